import fastifyMultipart from '@fastify/multipart';
import {
  attachmentLinkSchema,
  chatAttachmentSchema,
  customerConversationListSchema,
  offlineMessageReceiptSchema,
  offlineMessageSchema,
  socketTokenSchema,
  supportPickerSchema,
  supportStatusSchema,
  transcriptAnswerSchema,
  transcriptCodeSchema,
  transcriptRequestSchema,
  visitorTokenRequestSchema,
  visitorTokenSchema,
  widgetProfileSchema,
} from '@okpay/contracts';
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
import type { App } from '../platform/index.js';
import { allowAnyOrigin, defineGuard, detectImageType, docsOf, PlatformError } from '../platform/index.js';
import { supportPickerItems } from '../wallet/index.js';
import { attachmentLink, attachmentLinkSeconds, getAttachmentFor, requireAttachmentAccess } from './attachments/attachment-access.js';
import { storeAttachment } from './attachments/store-attachment.js';
import { chatParticipant, requireChatParticipant } from './chat-auth.js';
import { getConversationFor } from './conversations/get-conversation.js';
import { listOwnConversations } from './conversations/list-own-conversations.js';
import { confirmTranscriptAddress, requestTranscript, transcriptLimits } from './conversations/request-transcript.js';
import { receiveOfflineMessage } from './email/receive-offline-message.js';
import { getSupportStatus } from './routing/get-support-status.js';
import { SupportError } from './support.errors.js';
import type { SupportDeps } from './support-deps.js';
import { getWidgetProfile } from './widget-profile.js';

const conversationParams = z.object({ id: z.uuid() });

// What the chat widget calls from other sites. It proves who it is with a token header, never a
// cookie, so any origin may read these answers; realtime-token (cookie-authenticated) is not among them.
const widgetPaths =
  /^\/api\/support\/(visitor-token|me|status|hours|picker|conversations|offline-messages|attachments|callbacks|voice\/ice-servers)(?:[/?]|$)/;

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
        body: visitorTokenRequestSchema,
        response: { 200: visitorTokenSchema },
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
    '/api/support/me',
    {
      schema: {
        tags: ['support'],
        summary: 'Who the widget speaks for: time zone and, for a signed-in customer, their verified email (x-chat-token)',
        response: { 200: widgetProfileSchema },
      },
      preHandler: chatOnly,
    },
    async (request) => getWidgetProfile(deps, await chatParticipant(deps, request)),
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
    async () => getSupportStatus(deps),
  );

  app.get(
    '/api/support/picker',
    {
      schema: {
        tags: ['support'],
        summary: 'Recent transactions and top-ups to pick before chatting, failed top-ups first (session or x-chat-token)',
        response: { 200: supportPickerSchema },
      },
      preHandler: customerOrChat,
    },
    async (request) => {
      // The widget on another site has no session cookie; it sends the customer's chat token instead.
      if (request.headers['x-chat-token'] !== undefined) {
        const participant = await chatParticipant(deps, request);
        // Visitors have no wallet history to pick from.
        if (participant.kind !== 'customer') throw PlatformError('unauthenticated');
        return { items: await supportPickerItems(deps.db, participant.customerId, request.locale) };
      }
      if (!(await findCustomerAuth(deps, request))) throw PlatformError('unauthenticated');
      return { items: await supportPickerItems(deps.db, customerOf(request).customerId, request.locale) };
    },
  );

  app.get(
    '/api/support/conversations',
    {
      schema: {
        tags: ['support'],
        summary: "The widget's conversations (x-chat-token)",
        response: { 200: customerConversationListSchema },
      },
      preHandler: chatOnly,
    },
    async (request) => ({ conversations: await listOwnConversations(deps.db, await chatParticipant(deps, request)) }),
  );

  app.post(
    '/api/support/offline-messages',
    {
      schema: {
        tags: ['support'],
        summary: 'Leave a message while no agent is online: it becomes an email conversation, acknowledged and answered by mail',
        body: offlineMessageSchema,
        response: { 201: offlineMessageReceiptSchema },
      },
    },
    async (request, reply) => {
      const customer = await findCustomerAuth(deps, request).catch(() => undefined);
      const receipt = await receiveOfflineMessage(deps, {
        customer: customer ? { customerId: customer.customerId, name: request.body.name ?? '' } : null,
        email: request.body.email,
        name: request.body.name ?? null,
        category: request.body.category,
        message: request.body.message,
        locale: request.body.locale ?? request.locale,
        answerLocale: request.locale,
        timeZone: request.body.timeZone,
      });
      return reply.status(201).send(receipt);
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
        // Refused before the upload is read: a stranger's conversation is not found.
        const conversation = await getConversationFor(deps.db, (request.params as { id: string }).id, participant);
        const file = await request.file().catch(() => undefined);
        if (!file) throw SupportError('attachment_type_not_allowed');
        const bytes = await file.toBuffer().catch(() => {
          throw SupportError('attachment_too_large', { limit: `${Math.round(deps.config.support.attachmentMaxBytes / 1024 / 1024)} MB` });
        });
        const stored = await storeAttachment(deps, { conversation, uploader: participant, fileName: file.filename, bytes });
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
          .header('content-disposition', `inline; filename="${encodeURIComponent(attachment.fileName)}"`)
          .send(attachment.data)
      );
    },
  );

  const transcriptBudgets = transcriptLimits(deps);

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
        conversationId: request.params.id,
        requester: await chatParticipant(deps, request),
        email: request.body.email,
        locale: request.locale,
        ip: request.ip,
      });
      return reply.status(202).send(answer);
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
        conversationId: request.params.id,
        requester: await chatParticipant(deps, request),
        code: request.body.code,
        locale: request.locale,
        ip: request.ip,
      });
      return reply.status(202).send(answer);
    },
  );

  app.get('/api/support/widget.js', { schema: { hide: true } }, async () => {
    throw PlatformError('not_found');
  });
}
