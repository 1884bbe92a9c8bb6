import type { Locale } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { type CallRow, findCallByProviderIdForUpdate, hasCallEvent, insertCallEvent, updateCall } from './phone.repository.js';

/**
 * Logs a step of the call that does not move its state (a menu choice, a provider status we take
 * no action on), and the caller's language once chosen. A step whose key was logged before is a
 * replay: nothing is written.
 */
export async function recordCallStep(
  deps: SupportDeps,
  input: { provider: string; providerCallId: string; step: string; providerEventKey: string; locale?: Locale },
): Promise<{ outcome: 'unknown_call' } | { outcome: 'replayed' | 'logged'; call: CallRow }> {
  const at = deps.clock.now();
  return withTransaction(deps.pool, async (tx) => {
    const call = await findCallByProviderIdForUpdate(tx, input.provider, input.providerCallId);
    if (!call) return { outcome: 'unknown_call' as const };
    if (await hasCallEvent(tx, call.id, input.providerEventKey)) return { outcome: 'replayed' as const, call };
    await insertCallEvent(tx, {
      callId: call.id,
      event: input.step,
      fromState: call.state,
      toState: call.state,
      providerEventKey: input.providerEventKey,
      at,
    });
    const updated =
      input.locale && input.locale !== call.locale ? await updateCall(tx, call.id, { locale: input.locale, updatedAt: at }) : call;
    return { outcome: 'logged' as const, call: updated };
  });
}
