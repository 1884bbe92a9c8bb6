import type { Deps } from '../../platform/deps.js';
import type { Acquirer } from './acquirer.js';
import { createSandboxAcquirer } from './sandbox-acquirer.js';

/**
 * The acquirer this node talks to (ACQUIRER). Only the sandbox bank exists so far; a live acquirer
 * plugs in here. Production refuses to start without an explicit choice, so the sandbox cannot
 * reach it by default (PCI DSS 6.5.6).
 */
export function createAcquirer(deps: Pick<Deps, 'pool' | 'config'>): Acquirer {
  switch (deps.config.acquirer) {
    case 'sandbox':
      return createSandboxAcquirer(deps.pool);
  }
}
