import type { ChatMessage } from '@okpay/contracts';
import { getConversationFor } from '../conversations/get-conversation.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import type { SupportDeps } from '../support-deps.js';

/** An agent's reply or internal note over HTTP (the console uses the socket while it is connected). */
export async function replyToConversation(
  deps: SupportDeps,
  input: { conversationId: string; actor: Participant & { kind: 'staff' }; body: string; isInternal: boolean; clientMessageId?: string },
): Promise<ChatMessage> {
  const conversation = await getConversationFor(deps.db, input.conversationId, input.actor);
  const stored = await postMessage(deps, {
    conversation,
    author: input.actor,
    body: input.body,
    isInternal: input.isInternal,
    clientMessageId: input.clientMessageId,
  });
  return stored.view;
}
