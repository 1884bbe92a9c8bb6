import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInCustomer } from '../../test/wallet.js';
import { findConversation } from '../conversations/conversations.repository.js';
import { listCallsOfConversation } from './list-conversation-calls.js';
import { callerVisitorId } from './phone-numbers.js';
import { receiveCall } from './receive-call.js';
import { recordCallEvent } from './record-call-event.js';

const clock = fixedClock('2026-04-08T10:00:00+08:00');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
});
afterAll(() => runtime?.close());

let sid = 0;
const newSid = () => `CA${String(++sid).padStart(32, '0')}`;
const ring = (providerCallId: string, from = '+8613800138000') =>
  receiveCall(runtime.deps, { provider: 'twilio', providerCallId, direction: 'inbound', from, to: '+862100000000' });
const report = (providerCallId: string, event: Parameters<typeof recordCallEvent>[1]['event'], providerEventKey?: string) =>
  recordCallEvent(runtime.deps, { provider: 'twilio', providerCallId, event, providerEventKey });

describe('calls', () => {
  it('makes each call a phone conversation and logs it ringing → queued → answered → completed with queue and talk time', async () => {
    const id = newSid();
    clock.set('2026-04-08T10:00:00+08:00');
    const { call, isNew } = await ring(id);
    expect(isNew).toBe(true);
    const conversation = await findConversation(runtime.deps.db, call.conversationId);
    expect(conversation).toMatchObject({
      channel: 'phone',
      status: 'open',
      customerId: null,
      visitorId: callerVisitorId('+8613800138000'),
    });
    clock.set('2026-04-08T10:00:20+08:00');
    await report(id, 'enqueue');
    clock.set('2026-04-08T10:01:50+08:00');
    await report(id, 'answer');
    clock.set('2026-04-08T10:06:50+08:00');
    const ended = await report(id, 'hang-up');
    expect(ended).toMatchObject({ outcome: 'applied', transition: { ok: true, state: 'completed' } });

    const [view] = await listCallsOfConversation(runtime.deps.db, call.conversationId);
    expect(view).toMatchObject({
      direction: 'inbound',
      from: '+86 138****8000',
      state: 'completed',
      disposition: 'completed',
      queueSeconds: 90,
      talkSeconds: 300,
      endedAt: '2026-04-08T02:06:50.000Z',
    });
    expect(view?.log.map((entry) => `${entry.event}:${entry.from}→${entry.to}`)).toEqual([
      'ring:ringing→ringing',
      'enqueue:ringing→queued',
      'answer:queued→answered',
      'hang-up:answered→completed',
    ]);
  });

  it('logs a late or impossible report without changing the call, and records a replayed one once', async () => {
    const id = newSid();
    await ring(id);
    await report(id, 'enqueue', 'menu:1');
    expect(await report(id, 'enqueue', 'menu:1')).toMatchObject({ outcome: 'replayed' });
    expect(await report(id, 'hang-up', 'status:completed')).toMatchObject({ transition: { state: 'abandoned' } });
    // The provider's final status arrives after we ended it: logged, refused, nothing changes.
    expect(await report(id, 'busy', 'status:busy')).toMatchObject({
      outcome: 'applied',
      transition: { ok: false, state: 'abandoned', reason: 'call_ended' },
    });
    const { call } = await ring(id);
    const [view] = await listCallsOfConversation(runtime.deps.db, call.conversationId);
    expect(view).toMatchObject({ state: 'abandoned', disposition: 'abandoned', talkSeconds: null });
    expect(view?.log.map((entry) => `${entry.event}:${entry.from}→${entry.to}`)).toEqual([
      'ring:ringing→ringing',
      'enqueue:ringing→queued',
      'hang-up:queued→abandoned',
      'busy:abandoned→abandoned',
    ]);
  });

  it('answers a report about a call nobody rang as unknown', async () => {
    expect(await report('CA-never-rang', 'answer')).toEqual({ outcome: 'unknown_call' });
  });

  it('creates one call when two nodes take the same first report at once', async () => {
    const id = newSid();
    const [first, second] = await Promise.all([ring(id), ring(id)]);
    expect(first.call.id).toBe(second.call.id);
    expect([first.isNew, second.isNew].sort()).toEqual([false, true]);
  });

  it('files the call under the customer whose verified phone is calling, and not under an unverified one', async () => {
    const verified = await signedInCustomer(runtime, { phone: '13911112222' });
    await runtime.deps.pool.query('update customers set phone_verified_at = now() where id = $1', [verified.id]);
    const unverified = await signedInCustomer(runtime, { phone: '+8613933334444' });
    const matched = await ring(newSid(), '+8613911112222');
    expect(matched.call.customerId).toBe(verified.id);
    expect(await findConversation(runtime.deps.db, matched.call.conversationId)).toMatchObject({
      customerId: verified.id,
      isVerified: true,
    });
    const stranger = await ring(newSid(), '+8613933334444');
    expect(stranger.call.customerId).toBeNull();
    expect(unverified.id).not.toBe(stranger.call.customerId);
  });
});
