import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Exact matches: a plain string alias would also rewrite `@okpay/contracts/format` into the index's path.
const contracts = [
  { find: /^@okpay\/contracts$/, replacement: path.resolve(import.meta.dirname, 'contracts/src/index.ts') },
  { find: /^@okpay\/contracts\/format$/, replacement: path.resolve(import.meta.dirname, 'contracts/src/format.ts') },
];

// expect.poll gives up after 1 s by default: too little for a busy CI machine, where a background pass
// or a browser's repaint can take longer. A poll ends as soon as its condition holds, so only a
// failing one waits the whole time.
const pollDefaults = { timeout: 10_000, interval: 50 };

export default defineConfig({
  resolve: { alias: contracts },
  test: {
    projects: [
      {
        resolve: { alias: contracts },
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'contracts/src/**/*.test.ts'],
          globalSetup: ['server/src/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          expect: { poll: pollDefaults },
          pool: 'forks',
        },
      },
      {
        resolve: { alias: contracts },
        test: {
          // The chat widget's state logic is plain TypeScript: no DOM needed.
          name: 'widget',
          include: ['widget/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias: contracts },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: pollDefaults },
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
