import type { Deps } from '../platform/index.js';
import type { Acquirer } from './cards/acquirer.js';
import type { RateProvider } from './fx/rate-provider.js';

/**
 * What wallet use cases need beyond the platform: the outside services money depends on, the bank
 * behind cards and top-ups and the source of exchange rates, both chosen by config at start-up.
 */
export type WalletDeps = Deps & { acquirer: Acquirer; fxRates: RateProvider };
