import fastifyMultipart from '@fastify/multipart';
import {
  customerFreezesSchema,
  customerSecuritySchema,
  identityVerificationFieldsSchema,
  maxIdentityDocumentBytes,
  selfFreezeRequestSchema,
  staffFreezeRequestSchema,
  staffFreezeSchema,
  staffVerificationDetailSchema,
  staffVerificationSchema,
  unfreezeDecisionSchema,
  unfreezeProposalSchema,
  unfreezeRequestListSchema,
  unfreezeRequestQuerySchema,
  unfreezeRequestSchema,
  verificationApprovalSchema,
  verificationQueueQuerySchema,
  verificationQueueSchema,
  verificationRejectionSchema,
  verificationSubmissionSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerOf, requireCustomer, requireStaff, staffOf } from '../../identity/index.js';
import type { App, Deps } from '../../platform/index.js';
import { AppError, PlatformError, withTransaction } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { decideUnfreezeRequest } from './decide-unfreeze-request.js';
import { freezeCustomerByStaff } from './freeze-customer-by-staff.js';
import { freezeOwnAccount } from './freeze-own-account.js';
import { getCustomerSecurity } from './get-customer-security.js';
import { getIdentityVerification } from './get-identity-verification.js';
import { fileExtensions } from './image-type.js';
import { listCustomerFreezes } from './list-customer-freezes.js';
import { listIdentityVerifications } from './list-identity-verifications.js';
import { listUnfreezeRequests } from './list-unfreeze-requests.js';
import { proposeUnfreeze } from './propose-unfreeze.js';
import { readVerificationDocument } from './read-verification-document.js';
import { assertChecker, auditRefusals } from './refusal-audit.js';
import { reviewIdentityVerification } from './review-identity-verification.js';
import { submitIdentityVerification } from './submit-identity-verification.js';

const uuidParams = z.object({ id: z.uuid() });

const uploadLimits = { fileSize: maxIdentityDocumentBytes, files: 1, fields: 10, parts: 11, fieldSize: 1024 };

/** Reads the identity-verification form: text fields plus one `document` file, held in memory (≤ 5 MB). */
async function readVerificationForm(request: FastifyRequest) {
  if (!request.isMultipart()) throw ComplianceError('multipart_required');
  const fields: Record<string, unknown> = {};
  let document: Buffer | undefined;
  try {
    for await (const part of request.parts({ limits: uploadLimits })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'document') throw PlatformError('validation_failed', { fields: `body.${part.fieldname}` });
        document = await part.toBuffer();
      } else {
        if (part.valueTruncated || part.fieldname in fields) throw ComplianceError('upload_invalid');
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw ComplianceError('document_too_large', { limit: '5 MB' });
    // Part or file limits, a malformed body or a truncated upload.
    throw ComplianceError('upload_invalid');
  }
  const parsed = identityVerificationFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message }));
    throw PlatformError('validation_failed', { fields: [...new Set(issues.map((issue) => issue.field))].join(', ') }, issues);
  }
  if (!document) throw ComplianceError('document_missing');
  return { ...parsed.data, document };
}

/** Freezes, identity verification and the four-eyes unfreeze: the customer's Security page and the staff console. */
export async function registerComplianceRoutes(app: App, deps: Deps) {
  const customerOnly = requireCustomer(deps);
  // Role checks for checker actions happen inside the handlers so refused attempts reach the audit log.
  const staffOnly = requireStaff(deps);
  const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: deps.config.timeZone }).format(deps.clock.now());

  // ---- Customer ----------------------------------------------------------------------------------

  app.get(
    '/api/wallet/security',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Freezes in plain words and identity verification status',
        response: { 200: customerSecuritySchema },
      },
      preHandler: customerOnly,
    },
    async (request) => getCustomerSecurity(deps.db, customerOf(request).customerId, request.locale),
  );

  app.post(
    '/api/wallet/security/freeze',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Freeze my own account (e.g. lost phone); asking again keeps the one freeze',
        body: selfFreezeRequestSchema,
        response: { 200: customerSecuritySchema, 201: customerSecuritySchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const { isNew, security } = await freezeOwnAccount(deps, {
        customerId: customerOf(request).customerId,
        note: request.body.note,
        ip: request.ip,
        locale: request.locale,
      });
      return reply.status(isNew ? 201 : 200).send(security);
    },
  );

  // Multipart is parsed only inside this scope; every other route keeps the 64 KB JSON-only body.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: uploadLimits });
    scope.post(
      '/api/wallet/identity-verification',
      {
        schema: {
          tags: ['wallet'],
          summary: 'Submit identity verification as multipart/form-data: realName, idType, idNumber and a document image',
          consumes: ['multipart/form-data'],
          response: { 201: verificationSubmissionSchema },
        },
        preHandler: customerOnly,
      },
      async (request, reply) => {
        const form = await readVerificationForm(request);
        const submission = await withTransaction(deps.pool, (tx) =>
          submitIdentityVerification(tx, {
            ...form,
            customerId: customerOf(request).customerId,
            today: today(),
            at: deps.clock.now(),
            encryptionKey: deps.config.documentEncryptionKey,
            ip: request.ip,
          }),
        );
        return reply.status(201).send(submission);
      },
    );
  });

  // ---- Staff: identity verification review -------------------------------------------------------

  app.get(
    '/api/agent/verifications',
    {
      schema: {
        tags: ['staff'],
        summary: 'Identity verification queue (pending: oldest first)',
        querystring: verificationQueueQuerySchema,
        response: { 200: verificationQueueSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => ({ verifications: await listIdentityVerifications(deps.db, request.query) }),
  );

  app.get(
    '/api/agent/verifications/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'One submission; the full ID number only for supervisors and admins (audit-logged)',
        params: uuidParams,
        response: { 200: staffVerificationDetailSchema },
      },
      preHandler: staffOnly,
    },
    async (request) =>
      withTransaction(deps.pool, (tx) =>
        getIdentityVerification(tx, {
          id: request.params.id,
          staff: staffOf(request),
          encryptionKey: deps.config.documentEncryptionKey,
          ip: request.ip,
        }),
      ),
  );

  app.get(
    '/api/agent/verifications/:id/document',
    {
      schema: {
        tags: ['staff'],
        summary: 'The decrypted document image (supervisors and admins; every view audit-logged)',
        params: uuidParams,
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const attempt = {
        actor: { type: 'staff' as const, id: staff.staffId },
        action: 'identity_verification.document_viewed',
        target: { type: 'identity_verification', id: request.params.id },
        ip: request.ip,
      };
      const document = await auditRefusals(deps.db, attempt, () =>
        withTransaction(deps.pool, (tx) =>
          readVerificationDocument(tx, { id: request.params.id, staff, encryptionKey: deps.config.documentEncryptionKey, ip: request.ip }),
        ),
      );
      const extension = fileExtensions[document.mimeType as keyof typeof fileExtensions] ?? 'bin';
      return reply
        .header('content-type', document.mimeType)
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="identity-document-${request.params.id}.${extension}"`)
        .send(document.bytes);
    },
  );

  for (const [path, decision, body] of [
    ['approve', 'approved', verificationApprovalSchema],
    ['reject', 'rejected', verificationRejectionSchema],
  ] as const) {
    app.post(
      `/api/agent/verifications/:id/${path}`,
      {
        schema: {
          tags: ['staff'],
          summary: `${decision === 'approved' ? 'Approve' : 'Reject'} a pending identity verification (supervisors and admins)`,
          params: uuidParams,
          body,
          response: { 200: staffVerificationSchema },
        },
        preHandler: staffOnly,
      },
      async (request) => {
        const staff = staffOf(request);
        const attempt = {
          actor: { type: 'staff' as const, id: staff.staffId },
          action: `identity_verification.${decision}`,
          target: { type: 'identity_verification', id: request.params.id },
          ip: request.ip,
        };
        return auditRefusals(deps.db, attempt, async () => {
          assertChecker(staff);
          return withTransaction(deps.pool, (tx) =>
            reviewIdentityVerification(tx, {
              id: request.params.id,
              staffId: staff.staffId,
              decision,
              note: request.body.note,
              at: deps.clock.now(),
              ip: request.ip,
            }),
          );
        });
      },
    );
  }

  // ---- Staff: freezes and the four-eyes unfreeze -------------------------------------------------

  app.get(
    '/api/agent/customers/:id/freezes',
    {
      schema: {
        tags: ['staff'],
        summary: "A customer's freezes (active first) with internal notes and identity evidence",
        params: uuidParams,
        response: { 200: customerFreezesSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => listCustomerFreezes(deps.db, request.params.id),
  );

  app.post(
    '/api/agent/customers/:id/freezes',
    {
      schema: {
        tags: ['staff'],
        summary: 'Freeze a customer (any staff member)',
        params: uuidParams,
        body: staffFreezeRequestSchema,
        response: { 201: staffFreezeSchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const freeze = await withTransaction(deps.pool, (tx) =>
        freezeCustomerByStaff(tx, {
          customerId: request.params.id,
          staffId: staffOf(request).staffId,
          reason: request.body.reason,
          note: request.body.note,
          at: deps.clock.now(),
          ip: request.ip,
        }),
      );
      return reply.status(201).send(freeze);
    },
  );

  app.post(
    '/api/agent/freezes/:id/unfreeze-requests',
    {
      schema: {
        tags: ['staff'],
        summary: 'Propose lifting a freeze (any staff member); a different supervisor or admin decides',
        params: uuidParams,
        body: unfreezeProposalSchema,
        response: { 201: unfreezeRequestSchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const proposal = await withTransaction(deps.pool, (tx) =>
        proposeUnfreeze(tx, {
          freezeId: request.params.id,
          staffId: staffOf(request).staffId,
          note: request.body.note,
          conversationId: request.body.conversationId,
          at: deps.clock.now(),
          ip: request.ip,
        }),
      );
      return reply.status(201).send(proposal);
    },
  );

  app.get(
    '/api/agent/unfreeze-requests',
    {
      schema: {
        tags: ['staff'],
        summary: 'Unfreeze requests with the freeze, customer, proposer and identity evidence (pending: oldest first)',
        querystring: unfreezeRequestQuerySchema,
        response: { 200: unfreezeRequestListSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => ({ requests: await listUnfreezeRequests(deps.db, request.query, deps.clock.now()) }),
  );

  for (const [path, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/api/agent/unfreeze-requests/:id/${path}`,
      {
        schema: {
          tags: ['staff'],
          summary: `${decision === 'approved' ? 'Approve (and lift the freeze)' : 'Reject'} an unfreeze request: supervisors and admins, not the proposer`,
          params: uuidParams,
          body: unfreezeDecisionSchema,
          response: { 200: unfreezeRequestSchema },
        },
        preHandler: staffOnly,
      },
      async (request) => {
        const staff = staffOf(request);
        const attempt = {
          actor: { type: 'staff' as const, id: staff.staffId },
          action: `unfreeze.${decision}`,
          target: { type: 'unfreeze_request', id: request.params.id },
          ip: request.ip,
        };
        return auditRefusals(deps.db, attempt, async () => {
          assertChecker(staff);
          return withTransaction(deps.pool, (tx) =>
            decideUnfreezeRequest(tx, {
              requestId: request.params.id,
              staffId: staff.staffId,
              decision,
              note: request.body.note,
              at: deps.clock.now(),
              ip: request.ip,
            }),
          );
        });
      },
    );
  }
}
