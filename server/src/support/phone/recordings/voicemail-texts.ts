import type { Locale } from '@okpay/contracts';

/** "0:12", "2:00": how long a recording plays, in whole seconds as players show it. */
export function formatRecordingLength(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** What the caller is told once the widget's voicemail is stored. */
export const voicemailTexts: Record<Locale, { received(length: string | null): string }> = {
  'zh-CN': {
    received: (length) => `您的语音留言${length ? `（${length}）` : ''}已收到，客服会在服务时间内尽快处理。`,
  },
  en: {
    received: (length) => `We received your voicemail${length ? ` (${length})` : ''}. An agent will follow up during our hours.`,
  },
};
