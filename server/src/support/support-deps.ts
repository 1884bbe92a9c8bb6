import type { WalletDeps } from '../wallet/index.js';
import type { relayNotifier } from './notifier.js';

/** What support use cases need beyond the wallet's deps: someone to tell connected clients. */
export type SupportDeps = WalletDeps & { notifier: ReturnType<typeof relayNotifier> };
