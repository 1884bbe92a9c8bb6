import type { Config, Queryable } from '../../platform/index.js';
import type { Acquirer } from './acquirer.js';
import { createSandboxAcquirer } from './sandbox-acquirer.js';

/**
 * The acquirer this node talks to (ACQUIRER), built once at start-up and handed to use cases in
 * their deps. Only the sandbox bank exists so far; a live acquirer plugs in here. Production refuses
 * to start without an explicit choice, so the sandbox cannot reach it by default (PCI DSS 6.5.6).
 */
export function createAcquirer(config: Pick<Config, 'acquirer'>, db: Queryable): Acquirer {
  switch (config.acquirer) {
    case 'sandbox':
      return createSandboxAcquirer(db);
  }
}
