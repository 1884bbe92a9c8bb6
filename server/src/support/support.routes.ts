import fastifyMultipart from '@fastify/multipart';
import {
  attachmentLinkSchema,
  chatAttachmentSchema,
  offlineMessageSchema,
  socketTokenSchema,
  supportStatusSchema,
  transcriptAnswerSchema,
  transcriptCodeSchema,
  transcriptRequestSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  customerOf,
  findCustomerAuth,
  newVisitorId,
  publicSessionId,
  requireCustomer,
  signRealtimeToken,
  verifyRealtimeToken,
} from '../identity/index.js';
import { PlatformError } from '../platform/errors.js';
import { allowAnyOrigin } from '../platform/http/cross-origin.js';
import { defineGuard, docsOf } from '../platform/http/guards.js';
import type { App } from '../platform/http/types.js';
import { supportPickerItems } from '../wallet/index.js';
import { attachmentLink, attachmentLinkSeconds, getAttachmentFor, requireAttachmentAccess } from './attachments/attachment-access.js';
import { detectImageType, storeAttachment } from './attachments/store-attachment.js';
import { chatParticipant, requireChatParticipant } from './chat-auth.js';
import { getConversationFor } from './conversations/conversation-row.js';
import { toCustomerConversation } from './conversations/customer-view.js';
import { confirmTranscriptAddress, requestTranscript, transcriptLimits } from './conversations/request-transcript.js';
import { leaveOfflineMessage } from './email/leave-offline-message.js';
import { emailSupportInfo } from './email/reply-promise.js';
import { describeSupportHours } from './hours/describe-support-hours.js';
import { estimateWait, freeAgentCount, onlineAgentCount, typicalHandleSeconds, waitingQueue } from './routing/queue.js';
import { SupportError } from './support.errors.js';
import type { SupportDeps } from './support-deps.js';

const conversationParams = z.object({ id: z.uuid() });

// What the chat widget calls from other sites. It proves who it is with a token header, never a
// cookie, so any origin may read these answers; realtime-token (cookie-authenticated) is not among them.
const widgetPaths = /^\/api\/support\/(visitor-token|status|hours|picker|conversations|offline-messages|attachments)(?:[/?]|$)/;

/** The customer's side of the support centre: widget tokens, availability, the picker, offline messages, files. */
export async function registerSupportRoutes(app: App, deps: SupportDeps) {
  const customerOnly = requireCustomer(deps);
  const chatOnly = requireChatParticipant(deps);
  const attachmentAccess = requireAttachmentAccess(deps, { acceptsLink: false });
  const attachmentOrLink = requireAttachmentAccess(deps, { acceptsLink: true });
  // The picker serves the customer's own pages (session) and the widget on other sites (chat token).
  const customerOrChat = defineGuard(
    {
      security: (method) => [{ chatToken: [] }, ...docsOf(customerOnly).security(method)],
      refusals: { 401: 'Not signed in (unauthenticated)' },
    },
    async (request) => {
      if (request.headers['x-chat-token'] !== undefined) await chatParticipant(deps, request);
      else if (!(await findCustomerAuth(deps, request))) throw PlatformError('unauthenticated');
    },
  );

  allowAnyOrigin(app, widgetPaths);

  app.post(
    '/api/support/realtime-token',
    {
      schema: {
        tags: ['support'],
        summary: 'A short-lived token for the chat widget of a signed-in customer',
        response: { 200: socketTokenSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const { token, expiresAt } = signRealtimeToken(
        deps.config.sessionSecret,
        { kind: 'customer', customerId: customerOf(request).customerId, sessionId: publicSessionId(customerOf(request).session.id) },
        deps.clock.now(),
      );
      return { token, expiresAt: expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/support/visitor-token',
    {
      schema: {
        tags: ['support'],
        summary: 'A token for an anonymous visitor; send the old one to keep the same visitor',
        body: z.strictObject({ token: z.string().max(1000).optional() }).optional(),
        response: { 200: socketTokenSchema.extend({ visitorId: z.string() }) },
      },
    },
    async (request) => {
      const previous = verifyRealtimeToken(deps.config.sessionSecret, request.body?.token, deps.clock.now());
      const visitorId = previous?.kind === 'visitor' ? previous.visitorId : newVisitorId();
      const { token, expiresAt } = signRealtimeToken(deps.config.sessionSecret, { kind: 'visitor', visitorId }, deps.clock.now());
      return { token, visitorId, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/api/support/status',
    {
      schema: {
        tags: ['support'],
        summary: 'Whether agents are online, the queue length and the expected wait',
        response: { 200: supportStatusSchema },
      },
    },
    async () => {
      const [agentsOnline, freeAgents, queue, handleSeconds] = await Promise.all([
        onlineAgentCount(deps.pool),
        freeAgentCount(deps.pool),
        waitingQueue(deps.pool),
        typicalHandleSeconds(deps.pool),
      ]);
      // With a free slot and nobody queued, a new chat is answered at once.
      const isImmediate = freeAgents > 0 && queue.length === 0;
      return {
        isAvailable: agentsOnline > 0,
        agentsOnline,
        freeAgents,
        queueLength: queue.length,
        estimatedWaitSeconds: isImmediate ? 0 : estimateWait(queue.length + 1, agentsOnline, handleSeconds),
        email: emailSupportInfo(deps.config.email.supportAddress),
      };
    },
  );

  app.get(
    '/api/support/picker',
    {
      schema: {
        tags: ['support'],
        summary: 'Recent transactions and top-ups to pick before chatting, failed top-ups first (session or x-chat-token)',
      },
      preHandler: customerOrChat,
    },
    async (request) => {
      // The widget on another site has no session cookie; it sends the customer's chat token instead.
      if (request.headers['x-chat-token'] !== undefined) {
        const participant = await chatParticipant(deps, request);
        // Visitors have no wallet history to pick from.
        if (participant.kind !== 'customer') throw PlatformError('unauthenticated');
        return { items: await supportPickerItems(deps.pool, participant.customerId, request.locale) };
      }
      if (!(await findCustomerAuth(deps, request))) throw PlatformError('unauthenticated');
      return { items: await supportPickerItems(deps.pool, customerOf(request).customerId, request.locale) };
    },
  );

  app.get(
    '/api/support/conversations',
    { schema: { tags: ['support'], summary: "The widget's conversations (x-chat-token)" }, preHandler: chatOnly },
    async (request) => {
      const participant = await chatParticipant(deps, request);
      const owner = participant.kind === 'customer' ? ['customer_id', participant.customerId] : ['visitor_id', participant.visitorId];
      const rows = await deps.pool.query(`SELECT * FROM conversations WHERE ${owner[0]} = $1 ORDER BY created_at DESC LIMIT 20`, [
        owner[1],
      ]);
      return { conversations: await Promise.all(rows.rows.map((row) => toCustomerConversation(deps.pool, row))) };
    },
  );

  app.post(
    '/api/support/offline-messages',
    {
      schema: {
        tags: ['support'],
        summary: 'Leave a message while no agent is online: it becomes an email conversation, acknowledged and answered by mail',
        body: offlineMessageSchema,
        response: { 201: z.object({ conversationId: z.string(), reference: z.string(), message: z.string() }) },
      },
    },
    async (request, reply) => {
      const customer = await findCustomerAuth(deps, request).catch(() => undefined);
      const conversation = await leaveOfflineMessage(deps, {
        customer: customer ? { customerId: customer.customerId, name: request.body.name ?? '' } : null,
        email: request.body.email,
        name: request.body.name ?? null,
        category: request.body.category,
        message: request.body.message,
        locale: request.body.locale ?? request.locale,
      });
      const reference = conversation.reference ?? '';
      // Outside chat hours the answer says when chat opens again, from the chat calendar.
      const hours = await describeSupportHours(deps, { locale: request.locale, at: deps.clock.now(), timeZone: request.body.timeZone });
      const chat = hours.find((channel) => channel.channel === 'chat');
      const afterHours = chat !== undefined && !chat.open ? chat.status : null;
      return reply.status(201).send({
        conversationId: conversation.id,
        reference,
        message:
          request.locale === 'zh-CN'
            ? `留言已收到，工单编号 #${reference}。${afterHours ? `${afterHours}。` : ''}确认邮件已发送到 ${request.body.email}，客服会在 48 小时内通过邮件回复您（复杂问题需要 1–3 个工作日），直接回复邮件即可继续沟通。`
            : `Message received; your reference is #${reference}. ${afterHours ? `${afterHours}. ` : ''}We have sent a confirmation to ${request.body.email} and will reply by email within 48 hours (complex cases take 1–3 business days). Reply to that email to continue.`,
      });
    },
  );

  // Image attachments: multipart in this scope only, with the size limit enforced while streaming.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: deps.config.support.attachmentMaxBytes + 1, files: 1, fields: 2 } });

    scope.post(
      '/api/support/conversations/:id/attachments',
      {
        schema: {
          tags: ['support'],
          summary: 'Upload an image to a conversation (JPG, PNG, GIF or WebP)',
          params: conversationParams,
          response: { 201: chatAttachmentSchema },
        },
        preHandler: chatOnly,
      },
      async (request, reply) => {
        const participant = await chatParticipant(deps, request);
        const conversation = await getConversationFor(deps.pool, (request.params as { id: string }).id, participant);
        const file = await request.file().catch(() => undefined);
        if (!file) throw SupportError('attachment_type_not_allowed');
        const bytes = await file.toBuffer().catch(() => {
          throw SupportError('attachment_too_large', { limit: `${Math.round(deps.config.support.attachmentMaxBytes / 1024 / 1024)} MB` });
        });
        const stored = await storeAttachment(deps, {
          conversationId: conversation.id,
          uploader: { type: participant.kind, id: participant.kind === 'customer' ? participant.customerId : participant.visitorId },
          fileName: file.filename,
          bytes,
        });
        return reply.status(201).send(stored);
      },
    );
  });

  app.get(
    '/api/support/attachments/:id/link',
    {
      schema: {
        tags: ['support'],
        summary: `A signed link to a chat image, valid ${attachmentLinkSeconds / 60} minutes, for its customer (x-chat-token) or any staff member`,
        params: conversationParams,
        response: { 200: attachmentLinkSchema },
      },
      preHandler: attachmentAccess,
    },
    async (request) => {
      const attachment = await getAttachmentFor(deps, request.params.id, request.attachmentAccess);
      const { url, expiresAt } = attachmentLink(deps, attachment.id);
      return { url, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/api/support/attachments/:id',
    {
      schema: {
        tags: ['support'],
        summary: 'A chat image: by its signed link, or for its customer (x-chat-token) or any staff member',
        params: conversationParams,
        querystring: z.strictObject({ expires: z.string().max(12).optional(), signature: z.string().max(100).optional() }),
      },
      preHandler: attachmentOrLink,
    },
    async (request, reply) => {
      const attachment = await getAttachmentFor(deps, request.params.id, request.attachmentAccess);
      // Served as the type its bytes prove, never sniffed into HTML.
      return (
        reply
          .header('content-type', detectImageType(attachment.data) ?? 'application/octet-stream')
          .header('cache-control', 'private, max-age=900')
          // The widget shows it with an <img> on other sites; the link or credentials already decided who may.
          .header('cross-origin-resource-policy', 'cross-origin')
          .header('content-disposition', `inline; filename="${encodeURIComponent(attachment.file_name)}"`)
          .send(attachment.data)
      );
    },
  );

  const transcriptBudgets = transcriptLimits(deps);
  /** Who asks, about which of their conversations, from where. */
  const transcriptContext = async (request: FastifyRequest, conversationId: string) => {
    const requester = await chatParticipant(deps, request);
    const conversation = await getConversationFor(deps.pool, conversationId, requester);
    return { requester, conversation, locale: request.locale, ip: request.ip };
  };
  const transcriptBody = (answer: { status: 'sent' | 'verification_required'; to: string }, locale: string) => ({
    ok: true as const,
    status: answer.status,
    message:
      answer.status === 'sent'
        ? locale === 'zh-CN'
          ? `聊天记录已发送到 ${answer.to}`
          : `The transcript was sent to ${answer.to}`
        : locale === 'zh-CN'
          ? `验证码已发送到 ${answer.to}，请输入邮件中的 6 位验证码`
          : `A code was sent to ${answer.to}; enter the 6 digits from that email`,
  });

  app.post(
    '/api/support/conversations/:id/transcript',
    {
      schema: {
        tags: ['support'],
        summary:
          "Email the chat transcript: to a customer's verified address, or, for a visitor, first a code to the address given (one per conversation)",
        params: conversationParams,
        body: transcriptRequestSchema,
        response: { 202: transcriptAnswerSchema },
      },
      preHandler: chatOnly,
    },
    async (request, reply) => {
      const answer = await requestTranscript(deps, transcriptBudgets, {
        ...(await transcriptContext(request, request.params.id)),
        email: request.body.email,
      });
      return reply.status(202).send(transcriptBody(answer, request.locale));
    },
  );

  app.post(
    '/api/support/conversations/:id/transcript/verify',
    {
      schema: {
        tags: ['support'],
        summary: 'A visitor types back the code mailed to the address: the transcript goes there',
        params: conversationParams,
        body: transcriptCodeSchema,
        response: { 202: transcriptAnswerSchema },
      },
      preHandler: chatOnly,
    },
    async (request, reply) => {
      const answer = await confirmTranscriptAddress(deps, transcriptBudgets, {
        ...(await transcriptContext(request, request.params.id)),
        code: request.body.code,
      });
      return reply.status(202).send(transcriptBody(answer, request.locale));
    },
  );

  app.get('/api/support/widget.js', { schema: { hide: true } }, async () => {
    throw PlatformError('not_found');
  });
}
