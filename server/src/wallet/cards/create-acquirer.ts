import type { Deps } from '../../platform/deps.js';
import type { Acquirer } from './acquirer.js';
import { createSandboxAcquirer } from './sandbox-acquirer.js';

/**
 * The acquirer this node talks to. Only the sandbox bank exists so far; a live acquirer plugs in
 * here, and the sandbox must not reach production (PCI DSS 6.5.6).
 */
export function createAcquirer(deps: Pick<Deps, 'pool'>): Acquirer {
  return createSandboxAcquirer(deps.pool);
}
