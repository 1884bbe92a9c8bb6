import EmailReplyParser from 'email-reply-parser';
import { quoteMarker } from './html-text.js';

export type ReplyParts = {
  /** What the sender wrote this time. */
  body: string;
  /** Quoted history and signature, folded away in the console but one click from the body. */
  quoted: string;
};

/**
 * The line our outgoing mail starts with; a reply's new text is above it. The words differ by
 * language, the hashes do not.
 */
export const replyAboveMarker = '##- 请在此行上方回复 · Please reply above this line -##';

// Where quoted history starts, as the mail apps our customers use write it. Lines are tested after
// normalising: no leading `>`/`*`/spaces, full-width colon and comma as ASCII, no-break spaces as
// spaces.
const quoteStarts: RegExp[] = [
  // QQ Mail and Foxmail: ------------------ 原始邮件 ------------------ (English UI: Original)
  /^-{2,}\s*(原始邮件|原始郵件|Original)\s*-{2,}$/i,
  // Outlook desktop: -----邮件原件----- / -----Original Message-----
  /^-{2,}\s*(邮件原件|郵件原件|原始邮件|Original Message|Forwarded message|转发的邮件|轉寄的郵件|Weitergeleitete Nachricht)\s*-{2,}$/i,
  // NetEase Mail Master: ---- 回复的原邮件 ----
  /^-{2,}\s*(回复的原邮件|回覆的原郵件|转发的原邮件)\s*-{2,}$/,
  // Apple Mail forwarded: Begin forwarded message:
  /^(Begin forwarded message|转发的邮件|以下为转发的邮件)\s*:$/i,
  // NetEase 163/126, Apple Mail zh, Thunderbird zh: 在 2023-05-04 15:39:57,"X" <x@163.com> 写道:
  /^在\s?.{4,240}(写道|寫道)\s?:$/,
  // Gmail zh: Name <addr> 于2023年2月27日周一 17:29写道:
  /^.{0,200}于\s?\d{4}\s?年.{0,80}(写道|寫道)\s?:$/,
  // NetEase English UI: At 2023-04-29 01:06:03, "Name" <addr> wrote:
  /^At \d{4}-\d{1,2}-\d{1,2} .{0,240}wrote:$/i,
  // Gmail, Apple Mail, iPhone, Thunderbird (English): On … wrote:
  /^On .{4,300}wrote:$/i,
  // Outlook for Mac and some webmail: "Name" <addr> wrote:
  /^.{1,120}<[^<>\s]+@[^<>\s]+>\s?wrote:$/i,
  // Our own marker, in a reply that quotes our mail.
  /^##- .{0,80} -##$/,
];

// Outlook without a separator line (mobile, new Outlook): a From line followed closely by a date or
// subject line, in the languages Outlook speaks to our customers.
const headerFrom = /^(发件人|寄件者|寄件人|From)\s?:/i;
const headerFollowers = /^(发送时间|發送時間|寄件日期|发送日期|日期|已发送|Sent|Date|收件人|To|主题|主旨|Subject)\s?:?(\s|$)/i;
const separatorLine = /^(_{20,}|-{20,})$/;

// Signatures a phone or webmail app adds, and the conventional "-- " delimiter.
const signatures: RegExp[] = [
  /^--\s?$/,
  /^(发自|來自|来自)我的\s?(iPhone|iPad|Apple Watch|华为|華為|HUAWEI|荣耀|小米|Redmi|OPPO|vivo|一加|三星|Galaxy|手机|手機|安卓|Android)/i,
  /^从我的\s?(iPhone|iPad|Android|手机)\s?发送$/i,
  /^(发自|來自|来自)\s?(网易邮箱大师|网易邮箱|QQ邮箱|QQ郵箱|Outlook|Foxmail|我的手机|移动端邮箱|WPS 邮箱|阿里邮箱)/i,
  /^Sent from (my |Outlook|Mail for|Yahoo|Gmail|Samsung|the )/i,
  /^Get Outlook for (iOS|Android)/i,
  /^(获取|下载) ?(Outlook for|适用于)/i,
];

/** How much text the rules read; beyond it everything counts as body, kept but not searched. */
const scanLimit = 200_000;
/** email-reply-parser's multi-line patterns slow down on long text; it reads at most this much. */
const libraryLimit = 64_000;

function normalise(line: string): string {
  return line
    .replace(/[\u00a0\u3000\u2002-\u200b]/g, ' ')
    .replace(/^[\s>*]+/, '')
    .replace(/\*+$/, '')
    .replace(/：/g, ':')
    .replace(/，/g, ',')
    .trim();
}

function isQuoteStart(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (line.includes(quoteMarker)) return true;
  const current = normalise(line);
  if (current === '') return false;
  if (quoteStarts.some((pattern) => pattern.test(current))) return true;
  // Attributions wrapped over two or three lines ("On Mon, … Name <addr>\nwrote:").
  const next = normalise(lines[index + 1] ?? '');
  const afterNext = normalise(lines[index + 2] ?? '');
  if (/^(On |在|At \d{4}|.{0,200}于\s?\d{4})/i.test(current) && !/(wrote|写道|寫道)\s?:$/i.test(current)) {
    const joined2 = `${current} ${next}`;
    const joined3 = `${joined2} ${afterNext}`;
    if (quoteStarts.some((pattern) => pattern.test(joined2) || pattern.test(joined3))) return true;
  }
  if (headerFrom.test(current) || (separatorLine.test(current) && headerFrom.test(next))) {
    const window = lines.slice(index + 1, index + 7).map(normalise);
    const followers = window.filter((candidate) => headerFollowers.test(candidate)).length;
    if (followers >= 2) return true;
  }
  return false;
}

function isSignature(line: string): boolean {
  const current = normalise(line);
  return line.replace(/\s+$/, '') === '--' || line === '-- ' || signatures.some((pattern) => pattern.test(current));
}

function findQuoteStart(lines: readonly string[], from: number, until: number): number {
  for (let index = from; index < until; index++) if (isQuoteStart(lines, index)) return index;
  return -1;
}

/** After a quote start, the quoted block: the attribution and everything `>`-quoted or blank after it. */
function endOfQuotedBlock(lines: readonly string[], start: number): number {
  let index = start + 1;
  let sawQuote = false;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (/^\s*>/.test(line)) sawQuote = true;
    else if (line.trim() !== '') break;
    index += 1;
  }
  // A header-style quote (Outlook, QQ) has no `>` marks: it runs to the end.
  return sawQuote ? index : lines.length;
}

const isBlank = (lines: readonly string[]) => lines.every((line) => line.replace(quoteMarker, '').trim() === '');

function cutSignature(lines: string[]): { body: string[]; signature: string[] } {
  // A signature line near the end: anything after it belongs to it. Search the last 30 lines only,
  // so a "--" inside the text is not mistaken for one.
  for (let index = Math.max(1, lines.length - 30); index < lines.length; index++) {
    if (isSignature(lines[index] ?? '') && !isBlank(lines.slice(0, index))) {
      return { body: lines.slice(0, index), signature: lines.slice(index) };
    }
  }
  return { body: lines, signature: [] };
}

function tidy(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replaceAll(quoteMarker, '')
    .replace(/(\n\s*[-_=*]{3,}\s*)+$/, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The reply library's split, for the English shapes and `>` quoting our own rules leave. */
function librarySplit(text: string): { visible: string; hidden: string } {
  if (text.length > libraryLimit) return { visible: text, hidden: '' };
  try {
    const fragments = new EmailReplyParser().read(text).getFragments();
    const pick = (hidden: boolean) =>
      fragments
        .filter((fragment) => fragment.isHidden() === hidden)
        .map((fragment) => fragment.getContent())
        .join('\n')
        .trim();
    return { visible: pick(false), hidden: pick(true) };
  } catch {
    return { visible: text, hidden: '' };
  }
}

/**
 * Splits a message into the new text and the quoted history with signature. Our rules for the
 * Chinese mail apps (QQ/Foxmail, NetEase, Outlook zh, Gmail zh, Apple Mail zh) run first; then
 * email-reply-parser handles the English shapes and `>` quoting. Top-posted replies keep what is
 * above the quote; bottom-posted ones what follows it. If nothing new is left, the whole text is
 * the body: an agent must always see what arrived.
 */
export function splitReply(text: string): ReplyParts {
  const normalised = text.replace(/\r\n?/g, '\n');
  const head = normalised.slice(0, scanLimit);
  const tail = normalised.slice(scanLimit);
  const lines = head.split('\n');
  const start = findQuoteStart(lines, 0, lines.length);
  let bodyLines: string[];
  let quotedLines: string[] = [];
  if (start < 0) {
    bodyLines = lines;
  } else if (!isBlank(lines.slice(0, start))) {
    bodyLines = lines.slice(0, start);
    quotedLines = lines.slice(start);
  } else {
    // Bottom-posted: the quote comes first and the answer after it.
    const end = endOfQuotedBlock(lines, start);
    const rest = lines.slice(end);
    const next = findQuoteStart(rest, 0, rest.length);
    bodyLines = next < 0 ? rest : rest.slice(0, next);
    quotedLines = [...lines.slice(start, end), ...(next < 0 ? [] : rest.slice(next))];
  }
  // Foxmail signs with the bare address just above its quote header.
  while (bodyLines.length > 0 && /^\s*([\w.+-]+@[\w-]+(\.[\w-]+)+|\s*)$/.test(bodyLines.at(-1) ?? '') && quotedLines.length > 0) {
    const last = bodyLines.pop() ?? '';
    quotedLines.unshift(last);
  }
  const { body, signature } = cutSignature(bodyLines);
  let bodyText = tidy(body);
  const library = librarySplit(bodyText);
  const libraryHidden = library.visible === '' ? '' : library.hidden;
  if (library.visible !== '') bodyText = library.visible;
  const quotedText = [libraryHidden, tidy(signature), tidy(quotedLines)].filter(Boolean).join('\n\n');
  if (bodyText === '') return { body: tidy([normalised]), quoted: '' };
  return { body: tail ? `${bodyText}\n${tail}` : bodyText, quoted: quotedText };
}
