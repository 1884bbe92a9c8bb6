import type { ConversationCategory, Locale, PushNotificationKind } from '@okpay/contracts';

// What a notification says, in the device's language. It names the conversation (ticket reference
// or topic) and never carries message text, amounts or card numbers: lock screens are public.

const categories: Record<Locale, Record<ConversationCategory, string>> = {
  'zh-CN': {
    account: '账户与登录',
    top_up: '充值',
    transactions: '交易记录',
    freeze: '冻结与验证',
    card_binding: '绑卡',
    exchange: '货币兑换',
    other: '其他问题',
  },
  en: {
    account: 'account & sign-in',
    top_up: 'top-up',
    transactions: 'transactions',
    freeze: 'freeze & verification',
    card_binding: 'card',
    exchange: 'exchange',
    other: 'support',
  },
};

export type ConversationName = { reference: string | null; category: ConversationCategory };

/** "工单 #K7Q2M9" or "「充值」咨询"; in English "ticket #K7Q2M9" or "your top-up chat". */
export function conversationName(conversation: ConversationName, locale: Locale): string {
  const topic = categories[locale][conversation.category];
  if (locale === 'zh-CN') return conversation.reference ? `工单 #${conversation.reference}` : `「${topic}」咨询`;
  return conversation.reference ? `ticket #${conversation.reference}` : `your ${topic} chat`;
}

/** "「充值」回电" or "your top-up callback": a booked callback, named by its topic. */
function callbackName(conversation: ConversationName, locale: Locale): string {
  const topic = categories[locale][conversation.category];
  return locale === 'zh-CN' ? `「${topic}」回电` : `your ${topic} callback`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Why a customer is still waiting, as honestly as we can say it. */
export type WaitingState =
  | { kind: 'queued'; ahead: number; minutes: number }
  | { kind: 'nobody_online' }
  | { kind: 'closed'; reopens: string }
  | { kind: 'assigned' }
  | { kind: 'email_due'; due: string }
  | { kind: 'email_late' };

const texts = {
  'zh-CN': {
    agent_reply: { title: '客服回复了您', body: (name: string) => `${name}有新回复，点击查看` },
    email_reply: { title: '我们回复了您的邮件', body: (name: string) => `${name}的回复已发到您的邮箱，也可以在 OKPay 中查看` },
    resolved: { title: '您的问题已解决', body: (name: string) => `${name}已解决。这次服务怎么样？点击评价` },
    callback_soon: {
      title: '客服即将给您回电',
      body: (callback: string, when: string) => `您预约的${callback}：客服将在 ${when} 致电您留下的号码，请留意接听`,
    },
    waiting: {
      title: '我们正在处理',
      body: (name: string, state: WaitingState): string => {
        switch (state.kind) {
          case 'queued':
            return state.ahead > 0
              ? `${name}：您前面还有 ${state.ahead} 位，预计约 ${state.minutes} 分钟后接入`
              : `${name}：下一位就是您，预计约 ${state.minutes} 分钟后接入`;
          case 'nobody_online':
            return `${name}：客服暂时都在忙，没有人在线，我们会尽快回复您`;
          case 'closed':
            return `${name}：现在是非工作时间，预计 ${state.reopens} 回复您`;
          case 'assigned':
            return `${name}：客服正在查看您的问题，会尽快回复`;
          case 'email_due':
            return `${name}：我们会在 ${state.due} 前回复您`;
          case 'email_late':
            return `${name}：回复比承诺的时间晚了，我们仍在处理，抱歉让您久等`;
        }
      },
    },
  },
  en: {
    agent_reply: { title: 'Support replied', body: (name: string) => `There is a new reply in ${name}. Tap to read it.` },
    email_reply: {
      title: 'We answered your email',
      body: (name: string) => `Our answer to ${name} is in your inbox, and in the OKPay app.`,
    },
    resolved: { title: 'Your question is resolved', body: (name: string) => `We resolved ${name}. How did we do? Tap to rate us.` },
    callback_soon: {
      title: 'We will call you shortly',
      body: (callback: string, when: string) => `${capitalised(callback)}: an agent will call the number you gave ${when}.`,
    },
    waiting: {
      title: 'We are on it',
      body: (name: string, state: WaitingState): string => {
        const subject = capitalised(name);
        switch (state.kind) {
          case 'queued':
            return state.ahead > 0
              ? `${subject}: ${state.ahead} ahead of you, about ${state.minutes} min until an agent joins.`
              : `${subject}: you are next, about ${state.minutes} min until an agent joins.`;
          case 'nobody_online':
            return `${subject}: no agent is online right now; we will answer as soon as we can.`;
          case 'closed':
            return `${subject}: we are closed now; expect a reply ${state.reopens}.`;
          case 'assigned':
            return `${subject}: an agent is looking into it and will answer soon.`;
          case 'email_due':
            return `${subject}: we will answer by ${state.due}.`;
          case 'email_late':
            return `${subject}: our answer is later than we promised. We are still on it, and sorry for the wait.`;
        }
      },
    },
  },
} as const;

/** What else a notice says: why the customer still waits, or when their callback comes (in their zone). */
export type NoticeDetail = { waiting?: WaitingState; callbackWhen?: string };

export function notificationText(
  kind: PushNotificationKind,
  locale: Locale,
  conversation: ConversationName,
  detail: NoticeDetail = {},
): { title: string; body: string } {
  const name = conversationName(conversation, locale);
  const t = texts[locale];
  switch (kind) {
    case 'waiting':
      return { title: t.waiting.title, body: t.waiting.body(name, detail.waiting ?? { kind: 'assigned' }) };
    case 'callback_soon':
      return { title: t.callback_soon.title, body: t.callback_soon.body(callbackName(conversation, locale), detail.callbackWhen ?? '') };
    default:
      return { title: t[kind].title, body: t[kind].body(name) };
  }
}
