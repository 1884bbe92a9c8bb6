import { findStaffAuth } from '../../identity/index.js';
import { checkLink, defineGuard, type Guard, PlatformError, type SecurityRequirement, signLink } from '../../platform/index.js';
import { chatParticipant } from '../chat-auth.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import type { Participant } from '../conversations/participant.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { type AttachmentRow, findAttachment } from './attachments.repository.js';

/** How long a link to a chat image works: long enough to load and open it, short enough that a copied link dies. */
export const attachmentLinkSeconds = 15 * 60;

type AttachmentAccess = { kind: 'link' } | { kind: 'staff' } | { kind: 'participant'; participant: Participant };

declare module 'fastify' {
  interface FastifyRequest {
    attachmentAccess?: AttachmentAccess;
  }
}

export const attachmentPath = (id: string) => `/api/support/attachments/${id}`;

/** A signed link to the image, for an <img src> that can send no header. */
export function attachmentLink(deps: Pick<SupportDeps, 'config' | 'clock'>, attachmentId: string) {
  return signLink(deps.config.sessionSecret, attachmentPath(attachmentId), deps.clock.now(), attachmentLinkSeconds);
}

const credentials: SecurityRequirement[] = [{ chatToken: [] }, { bearer: [] }, { staffSession: [] }];

/**
 * Guard for chat images: the widget's chat token (its own conversations), any staff session, or,
 * where `acceptsLink`, a signed link from the link endpoint.
 */
export function requireAttachmentAccess(deps: SupportDeps, options: { acceptsLink: boolean }): Guard {
  return defineGuard(
    {
      security: () => (options.acceptsLink ? [{ signedLink: [] }, ...credentials] : credentials),
      refusals: {
        401: 'No chat token or staff session (unauthenticated)',
        ...(options.acceptsLink ? { 403: 'The link has expired (attachment_link_expired) or was altered (attachment_link_invalid)' } : {}),
      },
    },
    async (request) => {
      const query = request.query as { expires?: unknown; signature?: unknown };
      if (options.acceptsLink && query.signature !== undefined) {
        const id = (request.params as { id?: string }).id ?? '';
        const check = checkLink(deps.config.sessionSecret, attachmentPath(id), query.expires, query.signature, deps.clock.now());
        if (check === 'expired') throw SupportError('attachment_link_expired');
        if (check === 'forged') throw SupportError('attachment_link_invalid');
        request.attachmentAccess = { kind: 'link' };
      } else if (request.headers['x-chat-token'] !== undefined) {
        request.attachmentAccess = { kind: 'participant', participant: await chatParticipant(deps, request) };
      } else if (await findStaffAuth(deps, request)) {
        request.attachmentAccess = { kind: 'staff' };
      } else {
        throw PlatformError('unauthenticated');
      }
    },
  );
}

/** The attachment if this request may see it; otherwise not found, so its existence is not given away. */
export async function getAttachmentFor(deps: SupportDeps, id: string, access: AttachmentAccess | undefined): Promise<AttachmentRow> {
  const attachment = await findAttachment(deps.db, id);
  if (!attachment || !access) throw SupportError('attachment_not_found');
  if (access.kind === 'participant') {
    await getConversationFor(deps.db, attachment.conversationId, access.participant).catch(() => {
      throw SupportError('attachment_not_found');
    });
  }
  return attachment;
}
