#!/usr/bin/env node
// Builds the server, web app and widget, each only when its sources changed since its last build
// (`npm start` runs this). A build's inputs are fingerprinted by content, not by modification time
// (a checkout touches every file); the fingerprint is kept beside the build's output. `npm run
// build` still builds everything.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = ['package-lock.json', 'tsconfig.base.json', 'contracts/src', 'contracts/package.json', 'contracts/tsconfig.json'];

const targets = [
  {
    name: 'server',
    inputs: [...shared, 'tsconfig.json', 'server/src', 'server/package.json', 'server/tsconfig.json'],
    outputs: ['server/dist/main.js', 'contracts/dist/index.js'],
    stamp: 'server/dist/.build-stamp',
    command: ['npx', ['tsc', '-b']],
  },
  {
    name: 'web',
    inputs: [...shared, 'web'],
    outputs: ['web/dist/index.html'],
    stamp: 'web/dist/.build-stamp',
    command: ['npm', ['run', 'build', '-w', 'web']],
  },
  {
    name: 'widget',
    inputs: [...shared, 'widget'],
    outputs: ['widget/dist/widget.js'],
    stamp: 'widget/dist/.build-stamp',
    command: ['npm', ['run', 'build', '-w', 'widget']],
  },
];

const skipped = new Set(['node_modules', 'dist', '.vite']);

function* files(relative) {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return;
  if (statSync(absolute).isFile()) {
    yield relative;
    return;
  }
  for (const entry of readdirSync(absolute, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (skipped.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (entry.isFile()) yield child;
  }
}

function fingerprint(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(input)) {
      hash.update(file);
      hash.update('\0');
      hash.update(readFileSync(path.join(root, file)));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

const started = performance.now();
for (const target of targets) {
  const stampFile = path.join(root, target.stamp);
  const current = fingerprint(target.inputs);
  const isBuilt = existsSync(stampFile) && target.outputs.every((output) => existsSync(path.join(root, output)));
  const built = isBuilt ? readFileSync(stampFile, 'utf8').trim() : '';
  if (built === current) continue;
  console.log(`Building ${target.name} (its sources changed since the last build)…`);
  const [command, args] = target.command;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // Fingerprinted again: a file edited during the build must not be taken as built.
  writeFileSync(stampFile, `${current === fingerprint(target.inputs) ? current : ''}\n`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Server, web app and widget are up to date (${seconds} s).`);
