import type { Locale } from '@okpay/contracts';

// TwiML, the XML Twilio executes on a call: what the caller hears and where their keys go.

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] as string);

const voiceLanguage: Record<Locale, string> = { 'zh-CN': 'zh-CN', en: 'en-US' };

export type Verb =
  | { say: string; locale: Locale }
  | { gather: { action: string; numDigits: number; timeout: number }; prompts: Array<{ say: string; locale: Locale }> }
  | { enqueue: { queue: string; action: string } }
  | { record: { action: string; maxLength: number } }
  | { redirect: string }
  | { hangup: true };

function verb(item: Verb): string {
  if ('say' in item) return `<Say language="${voiceLanguage[item.locale]}">${escapeXml(item.say)}</Say>`;
  if ('gather' in item) {
    const { action, numDigits, timeout } = item.gather;
    return `<Gather action="${escapeXml(action)}" method="POST" numDigits="${numDigits}" timeout="${timeout}">${item.prompts.map(verb).join('')}</Gather>`;
  }
  if ('enqueue' in item)
    return `<Enqueue action="${escapeXml(item.enqueue.action)}" method="POST">${escapeXml(item.enqueue.queue)}</Enqueue>`;
  if ('record' in item)
    return `<Record action="${escapeXml(item.record.action)}" method="POST" maxLength="${item.record.maxLength}" playBeep="true"/>`;
  if ('redirect' in item) return `<Redirect method="POST">${escapeXml(item.redirect)}</Redirect>`;
  return '<Hangup/>';
}

export function twiml(verbs: readonly Verb[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(verb).join('')}</Response>`;
}
