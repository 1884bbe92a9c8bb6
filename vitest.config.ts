import path from 'node:path';
import { defineConfig } from 'vitest/config';

const contracts = path.resolve(import.meta.dirname, 'contracts/src/index.ts');

export default defineConfig({
  resolve: { alias: { '@okpay/contracts': contracts } },
  test: {
    projects: [
      {
        resolve: { alias: { '@okpay/contracts': contracts } },
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'contracts/src/**/*.test.ts'],
          globalSetup: ['server/src/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias: { '@okpay/contracts': contracts } },
        test: {
          // The chat widget's state logic is plain TypeScript: no DOM needed.
          name: 'widget',
          include: ['widget/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias: { '@okpay/contracts': contracts } },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
