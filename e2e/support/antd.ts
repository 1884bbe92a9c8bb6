import type { Locator, Page } from 'playwright-core';

/** Opens an Ant Design select by its label and picks the option showing `option`. */
export async function chooseOption(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
  await dropdown.waitFor({ state: 'hidden' });
}

/** The side menu's entry for a section of the signed-in area (its icon's label comes first in the name). */
export function menuEntry(page: Page, name: string): Locator {
  return page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${name}$`) });
}
