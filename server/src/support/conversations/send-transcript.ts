import type { Locale } from '@okpay/contracts';
import { renderEmail } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, listMessagesAfter } from './conversations.repository.js';
import { recordConversationEvent } from './record-event.js';

/** Emails the customer-visible part of a chat (never internal notes), as stored: masked. */
export async function sendTranscript(deps: SupportDeps, conversation: ConversationRow, to: string, locale: Locale): Promise<void> {
  const messages = await listMessagesAfter(deps.db, {
    conversationId: conversation.id,
    afterSeq: 0,
    includeInternal: false,
    limit: 2000,
  });
  const time = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: deps.config.timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  });
  const zh = locale === 'zh-CN';
  const lines = messages.map(({ message }) => {
    const who = message.authorType === 'agent' ? (message.authorName ?? (zh ? '客服' : 'Agent')) : zh ? '我' : 'Me';
    const attachment = message.attachmentId ? (zh ? ' [图片]' : ' [image]') : '';
    return `[${time.format(message.createdAt)}] ${who}: ${message.body}${attachment}`;
  });
  const body = renderEmail(locale, {
    greeting: zh ? '您好：' : 'Hello,',
    paragraphs: [zh ? '以下是您与 OKPay 客服的聊天记录：' : 'Here is the transcript of your chat with OKPay customer service:', ...lines],
    footnotes: [zh ? '为保护您的安全，卡号和证件号已自动隐藏。' : 'For your safety, card and ID numbers were hidden automatically.'],
  });
  await deps.mailer.send({ to, subject: zh ? 'OKPay 客服聊天记录' : 'Your OKPay chat transcript', ...body });
  await recordConversationEvent(deps.db, conversation.id, 'transcript_sent', { kind: 'system' }, { messages: messages.length });
}
