import type { Deps } from '../platform/deps.js';
import type { relayNotifier } from './notifier.js';

/** What support use cases need beyond the platform: someone to tell connected clients. */
export type SupportDeps = Deps & { notifier: ReturnType<typeof relayNotifier> };
