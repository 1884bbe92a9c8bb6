import { randomBytes } from 'node:crypto';
import type { HelpCategory, Locale } from '@okpay/contracts';
import { findAgentAnswer, findVisibleMessageBefore } from '../conversations/conversations.repository.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import { createArticle, type EditDeps, type Editor } from './edit-articles.js';
import { HelpError } from './help-centre.errors.js';
import { helpMessage } from './help-centre.messages.js';

/** Where a conversation's topic belongs in the help centre. */
const categoryOfConversation: Record<string, HelpCategory> = {
  account: 'account',
  freeze: 'account',
  top_up: 'top_up_cards',
  card_binding: 'top_up_cards',
  exchange: 'transfers_exchange',
  transactions: 'history',
  other: 'contact',
};

/**
 * Turns a good answer into a draft article: the agent's message is the body, the customer's
 * question before it the title (both already masked when stored). An editor reviews it before
 * anyone reads it.
 */
export async function draftFromMessage(
  deps: EditDeps,
  editor: Editor & { name: string },
  input: { conversationId: string; messageId: string; slug?: string; title?: string; category?: HelpCategory },
) {
  const conversation = await getConversationFor(deps.db, input.conversationId, {
    kind: 'staff',
    staffId: editor.staffId,
    name: editor.name,
    role: editor.role as 'agent',
  });
  const answer = await findAgentAnswer(deps.db, conversation.id, input.messageId);
  if (!answer) throw HelpError('help_message_not_found');
  const question = await findVisibleMessageBefore(deps.db, conversation.id, answer.seq);
  const locale = (conversation.locale === 'en' ? 'en' : 'zh-CN') as Locale;
  const title = (input.title ?? question?.body ?? answer.body).replace(/\s+/g, ' ').trim().slice(0, 60);
  return createArticle(
    deps,
    editor,
    {
      slug: input.slug ?? `answer-${randomBytes(4).toString('hex')}`,
      category: input.category ?? categoryOfConversation[conversation.category] ?? 'contact',
      locale,
      title: title.length >= 2 ? title : helpMessage('untitled_article', locale),
      summary: '',
      body: answer.body,
      keywords: [],
    },
    'conversation',
  );
}
