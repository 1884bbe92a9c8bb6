import type { Locator, Page } from 'playwright-core';

/**
 * Opens an Ant Design select by its label and picks the option showing `option`. A dropdown that
 * closes while it opens (the page re-rendered under it, e.g. right after a tab change) is opened
 * again, and so is one that stays open after the click (the click landed during its opening
 * animation): it is closed and the option picked again, which a single select takes as the same pick.
 */
export async function chooseOption(page: Page, label: string, option: string | RegExp): Promise<void> {
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    const timeout = attempt < 3 ? 5_000 : 30_000;
    await page.getByLabel(label, { exact: true }).click();
    try {
      await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click({ timeout });
      await dropdown.waitFor({ state: 'hidden', timeout });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      // Only an open dropdown takes Escape for itself; on a closed one it would close the dialog around it.
      if (await dropdown.first().isVisible()) await page.keyboard.press('Escape');
    }
  }
}

/** The side menu's entry for a section of the signed-in area (its icon's label comes first in the name). */
export function menuEntry(page: Page, name: string): Locator {
  return page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${name}$`) });
}
