import type { ConversationCategory, Locale } from '@okpay/contracts';

/** What the phone menu says, in both languages. */
export const ivrTexts = {
  'zh-CN': {
    welcome: '您好，欢迎致电 OKPay 客服。普通话服务请按 1。',
    menu: '充值问题请按 1，账户冻结请按 2，银行卡问题请按 3，其他问题请按 4。',
    connecting: '正在为您转接客服，请稍候。',
    closed: (status: string) => `${status}。您可以在提示音后留言，我们上班后会尽快处理。`,
    leaveMessage: '现在暂时无人接听，请在提示音后留言。',
    thanks: '留言已收到，谢谢您的来电，再见。',
    goodbye: '谢谢您的来电，再见。',
  },
  en: {
    welcome: 'For English, press 2.',
    menu: 'For top-up problems, press 1. For a frozen account, press 2. For cards, press 3. For anything else, press 4.',
    connecting: 'Connecting you to an agent; please hold.',
    closed: (status: string) => `${status}. You can leave a message after the tone and we will get back to you when we open.`,
    leaveMessage: 'Nobody can take your call right now. Please leave a message after the tone.',
    thanks: 'Thank you, we have your message. Goodbye.',
    goodbye: 'Thank you for calling. Goodbye.',
  },
} satisfies Record<Locale, unknown>;

/** The menu's keys: 1 top-up, 2 frozen account, 3 cards, 4 other. */
export const menuCategories: Record<string, ConversationCategory> = { '1': 'top_up', '2': 'freeze', '3': 'card_binding', '4': 'other' };

/** The language menu's keys. */
export const languageKeys: Record<string, Locale> = { '1': 'zh-CN', '2': 'en' };
