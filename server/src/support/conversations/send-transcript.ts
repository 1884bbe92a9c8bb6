import type { Locale } from '@okpay/contracts';
import { renderEmail } from '../../platform/mail/layout.js';
import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
import { listMessagesAfter } from './list-messages.js';
import { recordConversationEvent } from './record-event.js';

/** Emails the customer-visible part of a chat (never internal notes), as stored: masked. */
export async function sendTranscript(deps: SupportDeps, conversation: ConversationRow, to: string, locale: Locale): Promise<void> {
  const messages = await listMessagesAfter(deps.pool, {
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
  const lines = messages.map((message) => {
    const who = message.author_type === 'agent' ? (message.author_name ?? (zh ? '客服' : 'Agent')) : zh ? '我' : 'Me';
    const attachment = message.attachment_id ? (zh ? ' [图片]' : ' [image]') : '';
    return `[${time.format(message.created_at)}] ${who}: ${message.body}${attachment}`;
  });
  const body = renderEmail(locale, {
    greeting: zh ? '您好：' : 'Hello,',
    paragraphs: [zh ? '以下是您与 OKPay 客服的聊天记录：' : 'Here is the transcript of your chat with OKPay customer service:', ...lines],
    footnotes: [zh ? '为保护您的安全，卡号和证件号已自动隐藏。' : 'For your safety, card and ID numbers were hidden automatically.'],
  });
  await deps.mailer.send({ to, subject: zh ? 'OKPay 客服聊天记录' : 'Your OKPay chat transcript', ...body });
  await recordConversationEvent(deps.pool, conversation.id, 'transcript_sent', { kind: 'system' }, { messages: messages.length });
}
