import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, findRuleBreaks, type ImportGraph, readImportGraph } from './test/architecture.js';

const serverSource = path.dirname(fileURLToPath(import.meta.url));
const graph = readImportGraph(serverSource);
const fake = (entries: Record<string, string[]>): ImportGraph =>
  new Map(
    Object.entries(entries).map(([file, imports]) => [
      file.split('/').join(path.sep),
      imports.map((target) => target.split('/').join(path.sep)),
    ]),
  );

describe('the module rules of server/src', () => {
  it('reads the import graph of every file, type imports and re-exports included', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get(path.join('support', 'index.ts'))).toContain(path.join('support', 'agent.routes.ts'));
    expect(graph.get(path.join('wallet', 'wallet-deps.ts'))).toContain(path.join('platform', 'index.ts'));
  });

  it('imports one way (support → wallet → identity → platform) and across modules only through an index', () => {
    expect(findRuleBreaks(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

describe('the checker behind those rules', () => {
  it('names the file and the import that points the wrong way', () => {
    const breaks = findRuleBreaks(fake({ 'wallet/pay.ts': ['support/index.ts'], 'identity/log-in.ts': ['wallet/index.ts'] }));
    expect(breaks).toEqual([
      `${path.join('wallet', 'pay.ts')} imports ${path.join('support', 'index.ts')}: wallet may not depend on support (support → wallet → identity → platform)`,
      `${path.join('identity', 'log-in.ts')} imports ${path.join('wallet', 'index.ts')}: identity may not depend on wallet (support → wallet → identity → platform)`,
    ]);
  });

  it('refuses reaching past an index, from a module or from the composition root', () => {
    const breaks = findRuleBreaks(
      fake({
        'support/chat.ts': ['wallet/cards/cards.repository.ts', 'platform/db/client.ts', 'wallet/index.ts'],
        'runtime.ts': ['wallet/top-ups/top-ups.jobs.ts', 'platform/index.ts'],
      }),
    );
    expect(breaks).toEqual([
      `${path.join('support', 'chat.ts')} imports ${path.join('wallet', 'cards', 'cards.repository.ts')}: across modules only through wallet/index.ts`,
      `${path.join('support', 'chat.ts')} imports ${path.join('platform', 'db', 'client.ts')}: across modules only through platform/index.ts`,
      `runtime.ts imports ${path.join('wallet', 'top-ups', 'top-ups.jobs.ts')}: across modules only through wallet/index.ts`,
    ]);
  });

  it("lets table files name another module's tables and the command line a module's commands, keeps a module off its own index and the app off the test helpers", () => {
    const breaks = findRuleBreaks(
      fake({
        'wallet/cards/cards.tables.ts': ['identity/identity.tables.ts'],
        'cli.ts': ['support/hours/hours.cli.ts', 'platform/index.ts'],
        'runtime.ts': ['support/hours/hours.cli.ts'],
        'wallet/cards/bind-card.ts': ['wallet/index.ts'],
        'seed.ts': ['test/wallet.ts'],
        'wallet/cards/cards.test.ts': ['test/wallet.ts', 'wallet/cards/bind-card.ts'],
      }),
    );
    expect(breaks).toEqual([
      `runtime.ts imports ${path.join('support', 'hours', 'hours.cli.ts')}: across modules only through support/index.ts`,
      `${path.join('wallet', 'cards', 'bind-card.ts')} imports ${path.join('wallet', 'index.ts')}: a module never imports its own index.ts`,
      `seed.ts imports ${path.join('test', 'wallet.ts')}: only tests may use the test and bench helpers`,
    ]);
  });

  it('finds a cycle, type-only imports included, and names its files in order', () => {
    const cycles = findCycles(
      fake({
        'wallet/top-ups/refund.ts': ['wallet/top-ups/reconcile.ts'],
        'wallet/top-ups/reconcile.ts': ['wallet/top-ups/record.ts'],
        'wallet/top-ups/record.ts': ['wallet/top-ups/refund.ts'],
        'wallet/top-ups/view.ts': [],
      }),
    );
    expect(cycles.map((cycle) => cycle.map((file) => path.basename(file)).join(' → '))).toEqual([
      'reconcile.ts → record.ts → refund.ts → reconcile.ts',
    ]);
  });
});
