import type { Config } from '../../platform/index.js';
import { routeWaiting } from '../routing/route-waiting.js';
import type { SupportDeps } from '../support-deps.js';
import { type SupportAddresses, supportAddresses } from './email-addresses.js';

/** pg-boss queue of outgoing support mail (replies and acknowledgements), retried with backoff. */
export const emailSendQueue = 'support.email.send';

const addressesByConfig = new WeakMap<Config, SupportAddresses>();

export function addressesFor(config: Config): SupportAddresses {
  let addresses = addressesByConfig.get(config);
  if (!addresses) {
    addresses = supportAddresses(config);
    addressesByConfig.set(config, addresses);
  }
  return addresses;
}

/** The shortest time between two routing runs caused by mail. */
const routingIntervalMs = 250;

const routing = new WeakMap<SupportDeps, { running: Promise<void> | null; again: boolean }>();

/**
 * Routes waiting conversations soon. Mail arrives in bursts; one routing run after a burst does
 * what one per message would, without queueing behind the routing lock.
 */
export function requestRouting(deps: SupportDeps): Promise<void> {
  let state = routing.get(deps);
  if (!state) {
    state = { running: null, again: false };
    routing.set(deps, state);
  }
  const current = state;
  if (current.running) {
    current.again = true;
    return current.running;
  }
  const run = async () => {
    do {
      current.again = false;
      const started = Date.now();
      try {
        await routeWaiting(deps);
      } catch (error) {
        deps.logger.warn({ err: error }, 'routing after email failed; the minute sweep retries');
      }
      // At most a few runs a second while mail keeps coming: each one routes everything waiting.
      const rest = routingIntervalMs - (Date.now() - started);
      if (current.again && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    } while (current.again);
    current.running = null;
  };
  current.running = run();
  return current.running;
}
