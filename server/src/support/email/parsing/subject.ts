// Reply and forward prefixes in the languages our customers' mail apps use; the colon may be
// full-width (回复：) and Outlook may number them (RE[2]:). Zammad's ASCII-colon-only rule misses
// the Chinese ones.
const prefix = /^\s*(re|aw|sv|vs|antw|回复|回覆|答复|答覆|fw|fwd|转发|轉寄|转寄|wg|tr|rv)(\s?\[\d+\])?\s*[:：]\s*/i;
const forwardPrefix = /^(fw|fwd|转发|轉寄|转寄|wg|tr|rv)$/i;

/** Reference like K7Q2M9: six characters without 0/O/1/I, so it reads aloud over the phone. */
export const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const referencePattern = /\[#([A-HJ-NP-Z2-9]{6})\]/g;

/** The subject without reply/forward prefixes and our reference, for display and comparison. */
export function baseSubject(subject: string): string {
  let rest = subject.replace(referencePattern, ' ');
  for (let guard = 0; guard < 20; guard++) {
    const match = prefix.exec(rest);
    if (!match) break;
    rest = rest.slice(match[0].length);
  }
  return rest.replace(/\s+/g, ' ').trim();
}

/** Whether the subject says the mail was forwarded (its first prefix is a forward one). */
export function isForwardSubject(subject: string): boolean {
  const match = prefix.exec(subject.replace(referencePattern, ' ').trimStart());
  return match !== null && forwardPrefix.test(match[1] ?? '');
}

/** Our ticket reference in the subject (`[#K7Q2M9]`), the last one if several. */
export function subjectReference(subject: string): string | null {
  const found = [...subject.toUpperCase().matchAll(referencePattern)];
  return found.at(-1)?.[1] ?? null;
}

export function newReference(randomBytes: (size: number) => Buffer): string {
  const bytes = randomBytes(6);
  return [...bytes].map((byte) => referenceAlphabet[byte % referenceAlphabet.length]).join('');
}
