import type { Locale } from '@okpay/contracts';

/** What a customer reads about their callback, in their language. */
export const callbackTexts = {
  'zh-CN': {
    scheduled: (when: string, number: string) => `已预约回电：客服将在 ${when} 致电 ${number}，请留意接听。`,
    retry: (when: string, number: string) => `我们刚才致电 ${number} 未能接通，将在 ${when} 再次致电。`,
    gaveUp: (attempts: number) => `我们已尝试致电 ${attempts} 次，均未能接通。如仍需帮助，请重新预约回电或联系在线客服。`,
    queued: (number: string) => `客服即将致电 ${number}，请留意接听。`,
    completed: '回电已完成，感谢您的耐心。',
  },
  en: {
    scheduled: (when: string, number: string) => `Callback booked: an agent will call ${number} ${when}.`,
    retry: (when: string, number: string) => `We could not reach you on ${number} just now; we will try again ${when}.`,
    gaveUp: (attempts: number) =>
      `We tried to call you ${attempts} times without reaching you. If you still need help, book another callback or chat with us.`,
    queued: (number: string) => `An agent will call ${number} shortly.`,
    completed: 'We have called you back. Thank you for your patience.',
  },
} satisfies Record<Locale, unknown>;
