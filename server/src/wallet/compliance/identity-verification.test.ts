import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff as signedInStaffMember } from '../../test/staff.js';
import { signedInCustomer } from '../../test/wallet.js';
import { decryptField, verificationContext } from './document-encryption.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

/** A 1×1 PNG, as a phone would send a (very small) photo. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(200, 7),
  Buffer.from([0xff, 0xd9]),
]);

const residentId = '11010519491231002X';

type FilePart = { field?: string; filename?: string; contentType: string; bytes: Buffer };

function multipartBody(fields: Record<string, string>, files: FilePart[]) {
  const boundary = `okpay-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'document'}"; filename="${file.filename ?? 'id.jpg'}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts the form the way the web app does: session cookie plus CSRF token. */
async function submit(
  customer: Customer,
  fields: Record<string, string> = { realName: '张三', idType: 'resident_id', idNumber: residentId },
  files: FilePart[] = [{ contentType: 'image/png', bytes: png }],
  language = 'zh-CN',
) {
  const me = await customer.client.get('/api/me');
  const body = multipartBody(fields, files);
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/wallet/identity-verification',
    headers: {
      cookie: [...customer.client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'x-csrf-token': (me.body as { csrfToken: string }).csrfToken,
      'content-type': body.contentType,
      'accept-language': language,
    },
    payload: body.payload,
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

function signedInStaff(role: StaffRole) {
  return signedInStaffMember(runtime, role);
}

async function storedVerifications(customerId: string) {
  const result = await runtime.deps.pool.query<{
    id: string;
    id_number_encrypted: Buffer;
    id_number_last4: string;
    document_encrypted: Buffer;
    document_mime_type: string;
    document_size: number;
    status: string;
  }>('SELECT * FROM identity_verifications WHERE customer_id = $1 ORDER BY submitted_at', [customerId]);
  return result.rows;
}

async function auditOf(action: string, targetId: string) {
  const result = await runtime.deps.pool.query<{ actor_type: string; actor_id: string; outcome: string; ip: string | null }>(
    'SELECT actor_type, actor_id, outcome, ip FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id',
    [action, targetId],
  );
  return result.rows;
}

describe('submitting identity verification', () => {
  it('stores the ID number and the image encrypted, keeps only the last four in clear, and shows the submission as pending', async () => {
    const customer = await signedInCustomer(runtime);
    // The client calls it a JPEG; the bytes say PNG, and the bytes win.
    const response = await submit(customer, { realName: '张三', idType: 'resident_id', idNumber: '110105 19491231 002x' }, [
      { contentType: 'image/jpeg', bytes: png },
    ]);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ realName: '张三', idType: 'resident_id', idNumberMasked: '****002X', status: 'pending' });

    const [row] = await storedVerifications(customer.id);
    if (!row) throw new Error('nothing stored');
    expect(row.id_number_last4).toBe('002X');
    expect(row.document_mime_type).toBe('image/png');
    expect(row.document_size).toBe(png.length);
    for (const sealed of [row.id_number_encrypted, row.document_encrypted]) {
      expect(sealed.includes(Buffer.from(residentId))).toBe(false);
      expect(sealed.includes(Buffer.from('19491231'))).toBe(false);
    }
    expect(row.document_encrypted.equals(png)).toBe(false);
    expect(row.document_encrypted.includes(png.subarray(0, 16))).toBe(false);
    expect(row.document_encrypted.length).toBe(12 + 16 + png.length);
    const key = runtime.deps.config.documentEncryptionKey;
    expect(decryptField(key, row.document_encrypted, verificationContext(row.id, 'document')).equals(png)).toBe(true);
    expect(decryptField(key, row.id_number_encrypted, verificationContext(row.id, 'id_number')).toString()).toBe(residentId);

    const security = await customer.client.get('/api/wallet/security', { 'accept-language': 'en' });
    expect(security.body).toMatchObject({
      isFrozen: false,
      verification: { level: 'pending', latest: { id: row.id, status: 'pending', idNumberMasked: '****002X' } },
    });
    expect(JSON.stringify(security.body)).not.toContain(residentId);
    expect(await auditOf('identity_verification.submitted', row.id)).toEqual([
      { actor_type: 'customer', actor_id: customer.id, outcome: 'success', ip: '127.0.0.1' },
    ]);
  });

  it('accepts a passport in lowercase with a JPEG, storing it normalised', async () => {
    const customer = await signedInCustomer(runtime);
    const response = await submit(customer, { realName: 'Maria Garcia', idType: 'passport', idNumber: 'ea1234567' }, [
      { contentType: 'image/jpeg', bytes: jpeg },
    ]);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ idType: 'passport', idNumberMasked: '****4567' });
    const [row] = await storedVerifications(customer.id);
    expect(row?.document_mime_type).toBe('image/jpeg');
  });

  it('accepts a document of exactly 5 MB', async () => {
    const customer = await signedInCustomer(runtime);
    const bytes = Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024 - png.length, 1)]);
    const response = await submit(customer, undefined, [{ contentType: 'image/png', bytes }]);
    expect(response.status).toBe(201);
  });

  it('refuses a second submission while one is under review', async () => {
    const customer = await signedInCustomer(runtime);
    expect((await submit(customer)).status).toBe(201);
    const again = await submit(customer, undefined, undefined, 'en');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'verification_pending', message: expect.stringContaining('under review') } });
    expect(await storedVerifications(customer.id)).toHaveLength(1);
  });

  it('lets only one of two racing submissions through', async () => {
    const customer = await signedInCustomer(runtime);
    const responses = await Promise.all([submit(customer), submit(customer), submit(customer)]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    expect(await storedVerifications(customer.id)).toHaveLength(1);
  });

  it.each([
    ['a wrong check character', 'resident_id', '110105194912310021', 'resident_id_checksum_invalid'],
    ['month 13', 'resident_id', '11010519491331002X', 'resident_id_birth_date_invalid'],
    ['30 February', 'resident_id', '110105200102301236', 'resident_id_birth_date_invalid'],
    ['a birth date in the future', 'resident_id', '110105209912311235', 'resident_id_birth_date_invalid'],
    ['17 digits', 'resident_id', '11010519491231002', 'resident_id_format_invalid'],
    ['a leading zero', 'resident_id', '010105194912310026', 'resident_id_format_invalid'],
    ['a four-character passport', 'passport', 'E123', 'passport_number_invalid'],
    ['a passport without digits', 'passport', 'ABCDEFGH', 'passport_number_invalid'],
  ])('refuses an ID number with %s (%s → %s) and stores nothing', async (_label, idType, idNumber, code) => {
    const customer = await signedInCustomer(runtime);
    const response = await submit(customer, { realName: '李四', idType, idNumber });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: { code } });
    expect(await storedVerifications(customer.id)).toHaveLength(0);
  });

  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
  it.each([
    ['a PDF labelled as a JPEG (wrong magic bytes)', [{ contentType: 'image/jpeg', bytes: pdf }], 415, 'document_type_not_supported'],
    [
      'a text file',
      [{ contentType: 'text/plain', filename: 'id.txt', bytes: Buffer.from('my id number') }],
      415,
      'document_type_not_supported',
    ],
    ['a GIF', [{ contentType: 'image/gif', bytes: Buffer.from('GIF89a\x01\x00\x01\x00') }], 415, 'document_type_not_supported'],
    [
      'an image over 5 MB',
      [{ contentType: 'image/png', bytes: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024, 1)]) }],
      413,
      'document_too_large',
    ],
    ['an empty file', [{ contentType: 'image/png', bytes: Buffer.alloc(0) }], 400, 'document_missing'],
    ['no file at all', [], 400, 'document_missing'],
    [
      'two files',
      [
        { contentType: 'image/png', bytes: png },
        { contentType: 'image/png', bytes: png },
      ],
      400,
      'upload_invalid',
    ],
    ['the file under another name', [{ field: 'photo', contentType: 'image/png', bytes: png }], 400, 'validation_failed'],
  ] as Array<[string, FilePart[], number, string]>)('refuses %s with %s %s and stores nothing', async (_label, files, status, code) => {
    const customer = await signedInCustomer(runtime);
    const response = await submit(customer, undefined, files);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
    expect(await storedVerifications(customer.id)).toHaveLength(0);
  });

  it.each([
    ['no real name', { idType: 'resident_id', idNumber: residentId }],
    ['an unknown ID type', { realName: '张三', idType: 'driving_licence', idNumber: residentId }],
    ['an unexpected field', { realName: '张三', idType: 'resident_id', idNumber: residentId, nationality: 'CN' }],
  ])('refuses a form with %s as validation_failed', async (_label, fields) => {
    const customer = await signedInCustomer(runtime);
    const response = await submit(customer, fields as Record<string, string>);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('asks for multipart when sent JSON, and for sign-in when anonymous', async () => {
    const customer = await signedInCustomer(runtime);
    const json = await customer.client.post('/api/wallet/identity-verification', {
      realName: '张三',
      idType: 'resident_id',
      idNumber: residentId,
    });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({ error: { code: 'multipart_required' } });
    const form = multipartBody({ realName: '张三', idType: 'resident_id', idNumber: residentId }, [
      { contentType: 'image/png', bytes: png },
    ]);
    const anonymous = await runtime.app.inject({
      method: 'POST',
      url: '/api/wallet/identity-verification',
      headers: { 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('reviewing identity verification', () => {
  async function pendingSubmission(name = '王五') {
    const customer = await signedInCustomer(runtime, { displayName: name });
    const response = await submit(customer, { realName: name, idType: 'resident_id', idNumber: residentId });
    expect(response.status).toBe(201);
    return { customer, verificationId: String(response.body.id) };
  }

  it('lists pending submissions oldest first with the customer, to agents too, without the ID number', async () => {
    const first = await pendingSubmission('先来');
    const second = await pendingSubmission('后到');
    const agent = await signedInStaff('agent');
    const queue = await agent.client.get('/api/agent/verifications?status=pending');
    expect(queue.status).toBe(200);
    const verifications = (queue.body as { verifications: Array<Record<string, unknown>> }).verifications;
    const ids = verifications.map((verification) => verification.id);
    expect(ids.indexOf(first.verificationId)).toBeLessThan(ids.indexOf(second.verificationId));
    expect(verifications.find((verification) => verification.id === first.verificationId)).toMatchObject({
      customer: { id: first.customer.id, displayName: '先来', email: first.customer.email },
      idNumberMasked: '****002X',
      status: 'pending',
      document: { mimeType: 'image/png', size: png.length },
    });
    expect(JSON.stringify(queue.body)).not.toContain(residentId);
  });

  it('shows an agent the status but neither the full ID number nor the document, and logs the refused document view', async () => {
    const { verificationId } = await pendingSubmission();
    const agent = await signedInStaff('agent');
    const detail = await agent.client.get(`/api/agent/verifications/${verificationId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'pending', idNumberMasked: '****002X', idNumber: null, documentUrl: null });
    const document = await agent.client.get(`/api/agent/verifications/${verificationId}/document`);
    expect(document.status).toBe(403);
    expect(document.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(document.raw.rawPayload.includes(png.subarray(0, 8))).toBe(false);
    expect(await auditOf('identity_verification.document_viewed', verificationId)).toEqual([
      { actor_type: 'staff', actor_id: agent.id, outcome: 'failure', ip: '127.0.0.1' },
    ]);
  });

  it('shows a supervisor the full ID number and the decrypted document, logging every view', async () => {
    const { verificationId } = await pendingSubmission();
    const supervisor = await signedInStaff('supervisor');
    const detail = await supervisor.client.get(`/api/agent/verifications/${verificationId}`);
    expect(detail.body).toMatchObject({ idNumber: residentId, documentUrl: `/api/agent/verifications/${verificationId}/document` });
    expect(await auditOf('identity_verification.id_number_viewed', verificationId)).toHaveLength(1);

    for (let view = 0; view < 2; view += 1) {
      const document = await supervisor.client.get(`/api/agent/verifications/${verificationId}/document`);
      expect(document.status).toBe(200);
      expect(document.headers['content-type']).toBe('image/png');
      expect(document.headers['cache-control']).toBe('no-store');
      expect(document.raw.rawPayload.equals(png)).toBe(true);
    }
    expect(await auditOf('identity_verification.document_viewed', verificationId)).toEqual([
      { actor_type: 'staff', actor_id: supervisor.id, outcome: 'success', ip: '127.0.0.1' },
      { actor_type: 'staff', actor_id: supervisor.id, outcome: 'success', ip: '127.0.0.1' },
    ]);
  });

  it('lets a supervisor approve: audit-logged, announced, and the customer reads verified', async () => {
    const { customer, verificationId } = await pendingSubmission();
    const agent = await signedInStaff('agent');
    const refused = await agent.client.post(`/api/agent/verifications/${verificationId}/approve`, {});
    expect(refused.status).toBe(403);

    const supervisor = await signedInStaff('supervisor');
    const approved = await supervisor.client.post(`/api/agent/verifications/${verificationId}/approve`, { note: '证件清晰，信息一致' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', reviewedBy: { id: supervisor.id }, reviewNote: '证件清晰，信息一致' });
    expect(await auditOf('identity_verification.approved', verificationId)).toEqual([
      { actor_type: 'staff', actor_id: agent.id, outcome: 'failure', ip: '127.0.0.1' },
      { actor_type: 'staff', actor_id: supervisor.id, outcome: 'success', ip: '127.0.0.1' },
    ]);
    const events = await runtime.deps.pool.query(
      "SELECT payload FROM domain_events WHERE type = 'wallet.identity_verification.approved' AND subject_id = $1",
      [customer.id],
    );
    expect(events.rows[0]?.payload).toMatchObject({ verificationId, customerId: customer.id, reviewedBy: supervisor.id });

    const security = await customer.client.get('/api/wallet/security');
    expect(security.body).toMatchObject({
      verification: { level: 'verified', message: '您的身份已验证。', latest: { status: 'approved' } },
    });
    const again = await supervisor.client.post(`/api/agent/verifications/${verificationId}/reject`, { note: 'too late' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'verification_already_reviewed' } });
  });

  it('lets an admin reject with a note; the customer is told how to try again and may resubmit', async () => {
    const { customer, verificationId } = await pendingSubmission();
    const admin = await signedInStaff('admin');
    const noNote = await admin.client.post(`/api/agent/verifications/${verificationId}/reject`, {});
    expect(noNote.status).toBe(400);
    const rejected = await admin.client.post(`/api/agent/verifications/${verificationId}/reject`, { note: '照片模糊，疑似翻拍' });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    expect(await auditOf('identity_verification.rejected', verificationId)).toHaveLength(1);

    const security = await customer.client.get('/api/wallet/security', { 'accept-language': 'en' });
    expect(security.body).toMatchObject({
      verification: { level: 'rejected', message: expect.stringContaining('submit again'), latest: { status: 'rejected' } },
    });
    // The reviewer's note is internal.
    expect(JSON.stringify(security.body)).not.toContain('翻拍');
    expect((await submit(customer)).status).toBe(201);
  });

  it('answers 404 for an unknown submission and 401 without a staff session', async () => {
    const supervisor = await signedInStaff('supervisor');
    expect((await supervisor.client.get(`/api/agent/verifications/${randomUUID()}`)).status).toBe(404);
    expect((await supervisor.client.get(`/api/agent/verifications/${randomUUID()}/document`)).status).toBe(404);
    const customer = await signedInCustomer(runtime);
    expect((await customer.client.get('/api/agent/verifications')).status).toBe(401);
  });
});
