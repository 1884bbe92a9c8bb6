import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff as signedInStaffMember } from '../../test/staff.js';
import { fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { reviewIdentityVerification } from './review-identity-verification.js';
import { submitIdentityVerification } from './submit-identity-verification.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

type Staff = Awaited<ReturnType<typeof signedInStaff>>;
type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

function signedInStaff(role: StaffRole) {
  return signedInStaffMember(runtime, role);
}

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The customer's documents, submitted and (unless told otherwise) approved by a reviewer. */
async function verifyIdentity(customerId: string, reviewerId: string, decision: 'approved' | 'rejected' | 'pending' = 'approved') {
  const submission = await withTransaction(runtime.deps.pool, (tx) =>
    submitIdentityVerification(tx, {
      customerId,
      realName: '张三',
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      document: png,
      today: '2026-01-01',
      at: new Date(),
      encryptionKey: runtime.deps.config.documentEncryptionKey,
      ip: null,
    }),
  );
  if (decision === 'pending') return;
  await withTransaction(runtime.deps.pool, (tx) =>
    reviewIdentityVerification(tx, { id: submission.id, staffId: reviewerId, decision, note: 'checked', at: new Date(), ip: null }),
  );
}

async function freeze(staff: Staff, customer: Customer, reason: string, note = '内部备注：风控复核中') {
  const response = await staff.client.post(`/api/agent/customers/${customer.id}/freezes`, { reason, note });
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}

async function propose(staff: Staff, freezeId: string, note = '客户已在在线客服说明情况') {
  const response = await staff.client.post(`/api/agent/freezes/${freezeId}/unfreeze-requests`, { note });
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}

async function isFrozen(customer: Customer) {
  const security = await customer.client.get('/api/wallet/security');
  return (security.body as { isFrozen: boolean }).isFrozen;
}

async function canSend(from: Customer, to: Customer) {
  const response = await from.client.post(
    '/api/wallet/transfers',
    { recipient: to.email, amount: 1_00, currency: 'CNY' },
    { 'idempotency-key': newIdempotencyKey() },
  );
  return response.status === 201;
}

async function auditActions(targetId: string) {
  const result = await runtime.deps.pool.query<{ action: string; actor_id: string; outcome: string; ip: string | null }>(
    'SELECT action, actor_id, outcome, ip FROM audit_events WHERE target_id = $1 ORDER BY id',
    [targetId],
  );
  return result.rows;
}

describe('staff freezes', () => {
  it('lets any staff member freeze; the customer reads the reason in plain words, never the internal note', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const freezeId = await freeze(agent, customer, 'policy_violation', '内部：疑似套现，勿告知客户');

    const security = await customer.client.get('/api/wallet/security');
    expect(security.body).toMatchObject({
      isFrozen: true,
      freezes: [{ id: freezeId, reason: 'policy_violation', meaning: expect.stringContaining('用户协议'), whatToDo: expect.any(String) }],
    });
    expect(JSON.stringify(security.body)).not.toContain('套现');
    const balances = await customer.client.get('/api/wallet/balances');
    expect(balances.body).toMatchObject({ isFrozen: true });
    expect(await auditActions(customer.id)).toContainEqual({
      action: 'customer.frozen',
      actor_id: agent.id,
      outcome: 'success',
      ip: '127.0.0.1',
    });
  });

  it.each([
    ['the same reason twice', 'freeze_exists', 409],
    ['an unknown customer', 'customer_not_found', 404],
    ['an unknown reason', 'validation_failed', 400],
  ])('refuses a freeze for %s with %s', async (label, code, status) => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    if (label === 'the same reason twice') await freeze(agent, customer, 'abnormal_activity');
    const customerId = label === 'an unknown customer' ? randomUUID() : customer.id;
    const reason = label === 'an unknown reason' ? 'looks_odd' : 'abnormal_activity';
    const response = await agent.client.post(`/api/agent/customers/${customerId}/freezes`, { reason, note: 'x' });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
  });

  it("lists a customer's freezes for staff with the internal note, who set it and the pending request", async () => {
    const customer = await signedInCustomer(runtime, { displayName: '赵六' });
    const agent = await signedInStaff('agent');
    const freezeId = await freeze(agent, customer, 'abnormal_activity', '多次登录失败后大额转出');
    const requestId = await propose(agent, freezeId);
    const listed = await agent.client.get(`/api/agent/customers/${customer.id}/freezes`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      customer: { id: customer.id, displayName: '赵六', email: customer.email },
      isFrozen: true,
      verification: { level: 'unverified', latest: null },
      freezes: [
        {
          id: freezeId,
          reason: 'abnormal_activity',
          note: '多次登录失败后大额转出',
          setBy: { type: 'staff', staff: { id: agent.id } },
          isActive: true,
          requiresVerification: true,
          pendingUnfreezeRequestId: requestId,
        },
      ],
    });
    expect((await agent.client.get(`/api/agent/customers/${randomUUID()}/freezes`)).status).toBe(404);
  });
});

describe('four-eyes unfreeze', () => {
  it('refuses an unfreeze approved by the person who proposed it, logs the attempt, and a second person can approve', async () => {
    const alice = await signedInCustomer(runtime);
    const bob = await signedInCustomer(runtime);
    await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 10_00);
    const maker = await signedInStaff('supervisor');
    const checker = await signedInStaff('supervisor');
    const freezeId = await freeze(maker, alice, 'policy_violation');
    expect(await canSend(alice, bob)).toBe(false);
    const requestId = await propose(maker, freezeId);

    const own = await maker.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, { note: '我自己批准' });
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ error: { code: 'four_eyes_required' } });
    expect(await isFrozen(alice)).toBe(true);
    expect(await auditActions(requestId)).toEqual([
      { action: 'unfreeze.approved', actor_id: maker.id, outcome: 'failure', ip: '127.0.0.1' },
    ]);

    const approved = await checker.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, { note: '已核实，解释合理' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      proposedBy: { id: maker.id },
      decidedBy: { id: checker.id },
      decisionNote: '已核实，解释合理',
      freeze: { id: freezeId, isActive: false },
    });
    expect(await isFrozen(alice)).toBe(false);
    expect(await canSend(alice, bob)).toBe(true);
    expect(await auditActions(alice.id)).toEqual(
      expect.arrayContaining([
        { action: 'unfreeze.proposed', actor_id: maker.id, outcome: 'success', ip: '127.0.0.1' },
        { action: 'unfreeze.approved', actor_id: checker.id, outcome: 'success', ip: '127.0.0.1' },
      ]),
    );
    const unfrozen = await runtime.deps.pool.query(
      "SELECT payload FROM domain_events WHERE type = 'wallet.account.unfrozen' AND subject_id = $1",
      [alice.id],
    );
    expect(unfrozen.rows[0]?.payload).toMatchObject({ freezeId, isStillFrozen: false });
    expect((await verifyLedger(runtime.deps.db)).isHealthy).toBe(true);
  });

  it('refuses a rejection by the proposer as well', async () => {
    const customer = await signedInCustomer(runtime);
    const maker = await signedInStaff('admin');
    const requestId = await propose(maker, await freeze(maker, customer, 'customer_request'));
    const response = await maker.client.post(`/api/agent/unfreeze-requests/${requestId}/reject`, { note: '撤回' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: { code: 'four_eyes_required' } });
  });

  it('is enforced by the database too: a decision by the proposer violates a CHECK', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const requestId = await propose(agent, await freeze(agent, customer, 'customer_request'));
    await expect(
      runtime.deps.pool.query(
        "UPDATE unfreeze_requests SET status = 'approved', decided_by = proposed_by, decided_at = now() WHERE id = $1",
        [requestId],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'unfreeze_requests_four_eyes' });
  });

  it('does not let an agent approve or reject, and logs the attempt', async () => {
    const customer = await signedInCustomer(runtime);
    const maker = await signedInStaff('agent');
    const otherAgent = await signedInStaff('agent');
    const requestId = await propose(maker, await freeze(maker, customer, 'customer_request'));
    for (const decision of ['approve', 'reject']) {
      const response = await otherAgent.client.post(`/api/agent/unfreeze-requests/${requestId}/${decision}`, { note: '我来处理' });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await isFrozen(customer)).toBe(true);
    expect((await auditActions(requestId)).map((row) => [row.action, row.outcome])).toEqual([
      ['unfreeze.approved', 'failure'],
      ['unfreeze.rejected', 'failure'],
    ]);
    const pending = await otherAgent.client.get('/api/agent/unfreeze-requests?status=pending');
    expect((pending.body as { requests: Array<{ id: string }> }).requests.map((request) => request.id)).toContain(requestId);
  });

  it('keeps one pending request per freeze, and allows a new proposal after a rejection', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    const freezeId = await freeze(agent, customer, 'policy_violation');
    const first = await propose(agent, freezeId);
    const duplicate = await supervisor.client.post(`/api/agent/freezes/${freezeId}/unfreeze-requests`, { note: '再提一次' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: { code: 'unfreeze_request_pending', details: { requestId: first } } });

    const rejected = await supervisor.client.post(`/api/agent/unfreeze-requests/${first}/reject`, { note: '证据不足' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: { id: supervisor.id } });
    expect(await isFrozen(customer)).toBe(true);
    const decidedAgain = await supervisor.client.post(`/api/agent/unfreeze-requests/${first}/approve`, { note: '改主意' });
    expect(decidedAgain.status).toBe(409);
    expect(decidedAgain.body).toMatchObject({ error: { code: 'unfreeze_request_already_decided' } });
    await propose(agent, freezeId, '客户补充了说明');
  });

  it.each([
    ['identity_unverified', 'approved', 200],
    ['identity_unverified', 'pending', 409],
    ['identity_unverified', 'rejected', 409],
    ['identity_unverified', 'none', 409],
    ['abnormal_activity', 'none', 409],
    ['abnormal_activity', 'approved', 200],
    ['policy_violation', 'none', 200],
    ['customer_request', 'none', 200],
  ])('approving a %s freeze with verification %s answers %i', async (reason, verification, status) => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    if (verification !== 'none') await verifyIdentity(customer.id, supervisor.id, verification as 'approved');
    const requestId = await propose(agent, await freeze(agent, customer, reason));
    const response = await supervisor.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, { note: '复核完毕' });
    expect(response.status).toBe(status);
    if (status === 409) expect(response.body).toMatchObject({ error: { code: 'verification_required' } });
    expect(await isFrozen(customer)).toBe(status !== 200);
  });

  it('lifts only the approved freeze: with another still active the accounts stay frozen', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    await fundCustomer(runtime.deps.pool, customer.id, 'CNY', 5_00);
    await fundCustomer(runtime.deps.pool, customer.id, 'USD', 5_00);
    const lost = await customer.client.post('/api/wallet/security/freeze', { note: '手机丢了' });
    expect(lost.status).toBe(201);
    const policyFreeze = await freeze(agent, customer, 'policy_violation');
    const requestId = await propose(agent, policyFreeze);
    const approved = await supervisor.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, { note: '已核实' });
    expect(approved.status).toBe(200);
    const security = await customer.client.get('/api/wallet/security');
    expect(security.body).toMatchObject({ isFrozen: true, freezes: [{ reason: 'customer_request' }] });
    const accounts = await runtime.deps.pool.query<{ is_frozen: boolean }>('SELECT is_frozen FROM ledger_accounts WHERE customer_id = $1', [
      customer.id,
    ]);
    expect(accounts.rows.map((row) => row.is_frozen)).toEqual([true, true]);
  });

  it('shows the checker the freeze, the customer, the proposer and the identity evidence, flagging requests older than a week', async () => {
    const customer = await signedInCustomer(runtime, { displayName: '钱七' });
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    await verifyIdentity(customer.id, supervisor.id);
    const freezeId = await freeze(agent, customer, 'identity_unverified', '24 小时内收款超限');
    const fresh = await propose(agent, freezeId);
    const other = await signedInCustomer(runtime);
    const old = await propose(agent, await freeze(agent, other, 'customer_request'));
    await runtime.deps.pool.query("UPDATE unfreeze_requests SET created_at = now() - interval '8 days' WHERE id = $1", [old]);

    const listed = await supervisor.client.get('/api/agent/unfreeze-requests?status=pending');
    expect(listed.status).toBe(200);
    const requests = (listed.body as { requests: Array<{ id: string; isStale: boolean }> }).requests;
    expect(requests.find((request) => request.id === fresh)).toMatchObject({
      status: 'pending',
      isStale: false,
      freeze: { id: freezeId, reason: 'identity_unverified', note: '24 小时内收款超限', requiresVerification: true },
      customer: { id: customer.id, displayName: '钱七', email: customer.email },
      proposedBy: { id: agent.id },
      proposalNote: '客户已在在线客服说明情况',
      verification: { level: 'verified', latest: { status: 'approved', idType: 'resident_id' } },
    });
    expect(requests.find((request) => request.id === old)?.isStale).toBe(true);
    // Oldest first: the customer waiting longest is decided first.
    expect(requests.findIndex((request) => request.id === old)).toBeLessThan(requests.findIndex((request) => request.id === fresh));
  });

  it('records the conversation the proposal came from', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const conversationId = randomUUID();
    const freezeId = await freeze(agent, customer, 'customer_request');
    const response = await agent.client.post(`/api/agent/freezes/${freezeId}/unfreeze-requests`, { note: '客户来电', conversationId });
    expect(response.body).toMatchObject({ conversationId });
  });

  it.each([
    ['an unknown freeze', 404, 'freeze_not_found'],
    ['a lifted freeze', 409, 'freeze_already_lifted'],
  ])('refuses to propose lifting %s', async (label, status, code) => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    let freezeId = randomUUID();
    if (label === 'a lifted freeze') {
      freezeId = await freeze(agent, customer, 'customer_request');
      const requestId = await propose(agent, freezeId);
      expect((await supervisor.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, { note: 'ok' })).status).toBe(200);
    }
    const response = await agent.client.post(`/api/agent/freezes/${freezeId}/unfreeze-requests`, { note: '再解一次' });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
  });

  it('requires a note on every proposal and decision', async () => {
    const customer = await signedInCustomer(runtime);
    const agent = await signedInStaff('agent');
    const supervisor = await signedInStaff('supervisor');
    const freezeId = await freeze(agent, customer, 'customer_request');
    expect((await agent.client.post(`/api/agent/freezes/${freezeId}/unfreeze-requests`, { note: ' ' })).status).toBe(400);
    const requestId = await propose(agent, freezeId);
    expect((await supervisor.client.post(`/api/agent/unfreeze-requests/${requestId}/approve`, {})).status).toBe(400);
  });
});
