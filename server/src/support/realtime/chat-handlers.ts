import {
  presenceSchema,
  readSchema,
  resumeConversationSchema,
  sendMessageSchema,
  startConversationSchema,
  type TypingEvent,
  typingSchema,
} from '@okpay/contracts';
import { type ConversationRow, listMessagesAfter } from '../conversations/conversations.repository.js';
import { toCustomerConversation } from '../conversations/customer-view.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import { markRead } from '../conversations/mark-read.js';
import { toMessageView } from '../conversations/message-view.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import { startConversation } from '../conversations/start-conversation.js';
import { setPresence } from '../routing/presence.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { rooms } from './rooms.js';
import type { Caller, SocketEvents, Staff } from './socket-events.js';
import type { ChatSocket } from './socket-types.js';

/**
 * How long a socket remembers that it may use a conversation, so a message costs no extra read.
 * Only the access decision (ownership, which never changes) comes from here: post-message takes the
 * conversation's status, assignee and the rest from the statement that stores the message, and that
 * statement refuses closed conversations.
 */
const accessCacheMs = 30_000;
const accessCacheSize = 100;
/** Built once: a schema per socket costs every handshake its construction and every connection its memory. */
const leaveConversationSchema = resumeConversationSchema.pick({ conversationId: true });

/** Per socket, created by its first use of a conversation: which conversations it may use, until when. */
const accessOf = new WeakMap<ChatSocket, Map<string, { conversation: ConversationRow; until: number }>>();

function remember(socket: ChatSocket, conversation: ConversationRow): ConversationRow {
  let access = accessOf.get(socket);
  if (!access) {
    access = new Map();
    accessOf.set(socket, access);
  }
  if (access.size >= accessCacheSize) access.clear();
  access.set(conversation.id, { conversation, until: performance.now() + accessCacheMs });
  return conversation;
}

/** The conversation if this socket may use it: from the short-lived cache, else read and checked. */
async function accessible(
  deps: SupportDeps,
  socket: ChatSocket,
  participant: Participant,
  conversationId: string,
): Promise<ConversationRow> {
  const cached = accessOf.get(socket)?.get(conversationId);
  if (cached && performance.now() < cached.until) return cached.conversation;
  return remember(socket, await getConversationFor(deps.db, conversationId, participant));
}

/**
 * The chat events a socket may send. Each payload is validated and every ack answers with data or
 * our error shape; customers reach only their own conversations.
 */
export function registerChatHandlers(deps: SupportDeps, events: { caller: SocketEvents<Caller>; staff: SocketEvents<Staff> }): void {
  // A customer has one live chat: starting it and writing in it keep one order. Staff keep one per conversation.
  const ownSends = 'own';

  events.caller.on(
    'conversation:start',
    startConversationSchema,
    async (payload, socket, participant) => {
      const { conversation } = await startConversation(deps, {
        participant,
        category: payload.category,
        links: payload.links,
        message: payload.message,
        clientMessageId: payload.clientMessageId,
        locale: payload.locale ?? socket.data.locale,
      });
      remember(socket, conversation);
      await socket.join(rooms.customerConversation(conversation.id));
      const messages = await listMessagesAfter(deps.db, { conversationId: conversation.id, afterSeq: 0, includeInternal: false });
      return { conversation: await toCustomerConversation(deps.db, conversation), messages: messages.map(toMessageView) };
    },
    { orderKey: () => ownSends },
  );

  events.staff.on('presence:set', presenceSchema, async (payload, _socket, participant) => {
    await setPresence(deps, participant.staffId, payload.status);
    return { status: payload.status };
  });

  // The rest is the same for both sides, but for the rooms and what each may see.
  for (const isStaff of [false, true]) {
    const { on } = (isStaff ? events.staff : events.caller) as SocketEvents<Participant>;
    const roomsFor = isStaff ? rooms.staffConversation : rooms.customerConversation;

    // Resume after a reconnect: everything after the last sequence number the client saw.
    on(isStaff ? 'conversation:open' : 'conversation:resume', resumeConversationSchema, async (payload, socket, participant) => {
      const conversation = remember(socket, await getConversationFor(deps.db, payload.conversationId, participant));
      await socket.join(roomsFor(conversation.id));
      const messages = await listMessagesAfter(deps.db, {
        conversationId: conversation.id,
        afterSeq: payload.afterSeq,
        includeInternal: isStaff,
      });
      return {
        conversation: isStaff ? { id: conversation.id, status: conversation.status } : await toCustomerConversation(deps.db, conversation),
        messages: messages.map(toMessageView),
      };
    });

    on('conversation:leave', leaveConversationSchema, async (payload, socket) => {
      await socket.leave(roomsFor(payload.conversationId));
      return { ok: true as const };
    });

    on(
      'message:send',
      sendMessageSchema,
      async (payload, socket, participant) => {
        const conversation = await accessible(deps, socket, participant, payload.conversationId);
        if (!payload.body && !payload.attachmentId) throw SupportError('message_empty');
        const stored = await postMessage(deps, {
          conversation,
          author: participant,
          body: payload.body,
          clientMessageId: payload.clientMessageId,
          attachmentId: payload.attachmentId,
          isInternal: isStaff && payload.isInternal === true,
          // The widget takes its own message from the answer; the console's inbox also follows its own by the broadcast.
          senderSocket: isStaff ? undefined : socket.id,
        });
        return { message: stored.view };
      },
      { orderKey: (payload) => (isStaff ? payload.conversationId : ownSends) },
    );

    on('typing', typingSchema, async (payload, socket, participant) => {
      await accessible(deps, socket, participant, payload.conversationId);
      const event: TypingEvent = {
        conversationId: payload.conversationId,
        isTyping: payload.isTyping,
        from: isStaff ? 'agent' : 'customer',
        name: participant.kind === 'staff' ? participant.name : null,
      };
      // Typing is best-effort: volatile, to the other side only.
      socket.volatile
        .to(isStaff ? rooms.customerConversation(payload.conversationId) : rooms.staffConversation(payload.conversationId))
        .emit('typing', event);
      return { ok: true as const };
    });

    on('read', readSchema, async (payload, _socket, participant) => {
      // A fresh read: the receipt is clamped to the conversation's current last sequence number.
      return { seq: await markRead(deps, { conversationId: payload.conversationId, participant, seq: payload.seq }) };
    });
  }
}
