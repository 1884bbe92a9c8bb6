// Fails the build when the widget grows past its budget: it loads on every page of a host site.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const budgetBytes = 60 * 1024;
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/widget.js');
const source = readFileSync(file);
const gzipped = gzipSync(source, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log(`widget.js: ${kb(source.length)} raw, ${kb(gzipped)} gzipped (budget ${kb(budgetBytes)} gzipped)`);
if (gzipped > budgetBytes) {
  console.error(`widget.js is ${kb(gzipped - budgetBytes)} over its gzipped budget`);
  process.exit(1);
}
// Types only from @okpay/contracts: a runtime import would drag zod into every host page.
if (source.includes('ZodError')) {
  console.error('widget.js contains zod; import only types from @okpay/contracts');
  process.exit(1);
}
