import { renderEmail } from '../../platform/mail/layout.js';
import type { MailMessage } from '../../platform/mail/mailer.js';
import type { ConversationRow } from './conversation-row.js';

export function offlineReplyEmail(conversation: ConversationRow, agentName: string, reply: string): MailMessage {
  const zh = conversation.locale === 'zh-CN';
  const name = conversation.contact_name ?? (zh ? '客户' : 'there');
  const body = renderEmail(conversation.locale, {
    greeting: zh ? `${name}，您好：` : `Hello ${name},`,
    paragraphs: [
      zh ? `OKPay 客服${agentName}回复了您的留言：` : `${agentName} from OKPay customer service replied to your message:`,
      reply,
      zh ? '如需继续沟通，可直接在网站右下角打开在线客服。' : 'To continue, open the live chat in the bottom-right corner of our website.',
    ],
  });
  return {
    to: conversation.contact_email ?? '',
    subject: zh ? 'OKPay 客服回复了您的留言' : 'OKPay customer service replied to your message',
    ...body,
  };
}
