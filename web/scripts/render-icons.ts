// Renders the app icons (web/icons/*.svg) to the PNG sizes browsers and iOS ask for, into
// web/public/icons. Run after changing an icon: `npx tsx web/scripts/render-icons.ts` (needs Chromium).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputs = [
  { source: 'app-icon.svg', file: 'icon-192.png', size: 192 },
  { source: 'app-icon.svg', file: 'icon-512.png', size: 512 },
  // Android crops maskable icons to its own shape: full-bleed colour, the mark inside the safe circle.
  { source: 'app-icon-maskable.svg', file: 'icon-maskable-512.png', size: 512 },
  // iOS rounds the corners itself and shows transparency as black: the full-bleed square.
  { source: 'app-icon-maskable.svg', file: 'apple-touch-icon.png', size: 180 },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (const output of outputs) {
    const svg = await readFile(path.join(web, 'icons', output.source), 'utf8');
    await page.setViewportSize({ width: output.size, height: output.size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${output.size}" height="${output.size}" `)}</body></html>`,
    );
    await page.screenshot({ path: path.join(web, 'public/icons', output.file), omitBackground: true });
  }
} finally {
  await browser.close();
}
