import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Locale, TranscriptAnswer } from '@okpay/contracts';
import { findCustomerById } from '../../identity/index.js';
import { createRateLimiter, type RateLimiter, renderEmail } from '../../platform/index.js';
import { SupportError } from '../support.errors.js';
import { supportMessage } from '../support.messages.js';
import type { SupportDeps } from '../support-deps.js';
import {
  countTranscriptCodeAttempt,
  findTranscriptAddress,
  insertTranscriptAddress,
  markTranscriptAddressVerified,
} from './conversations.repository.js';
import { getConversationFor } from './get-conversation.js';
import type { Participant } from './participant.js';
import { sendTranscript } from './send-transcript.js';

/** How long a visitor's code works, and how many wrong tries it takes. */
const codeMinutes = 30;
const codeTries = 5;

export type TranscriptLimits = { perConversation: RateLimiter; perAccount: RateLimiter; perIp: RateLimiter };

/** Budgets for transcripts and verification mails, shared by every node (PostgreSQL store). */
export function transcriptLimits(deps: Pick<SupportDeps, 'pool' | 'config'>): TranscriptLimits {
  const window = deps.config.rateLimits.windowMinutes * 60;
  const limits = deps.config.rateLimits;
  return {
    perConversation: createRateLimiter(deps.pool, 'transcript-conversation', limits.transcriptPerConversation, window),
    perAccount: createRateLimiter(deps.pool, 'transcript-account', limits.transcriptPerAccount, window),
    perIp: createRateLimiter(deps.pool, 'transcript-ip', limits.transcriptPerIp, window),
  };
}

type Requester = Participant & { kind: 'customer' | 'visitor' };
type Outcome = { status: 'sent' | 'verification_required'; to: string };

/** What the widget shows: the transcript went out, or where the code went. */
function answerOf(outcome: Outcome, locale: Locale): TranscriptAnswer {
  const message = supportMessage(outcome.status === 'sent' ? 'transcript_sent' : 'transcript_code_sent', locale, { to: outcome.to });
  return { ok: true, status: outcome.status, message };
}

const codeHash = (conversationId: string, code: string) =>
  createHash('sha256').update(`transcript:${conversationId}:${code}`).digest('hex');

async function consumeBudget(limits: TranscriptLimits, conversationId: string, requester: Requester, ip: string): Promise<void> {
  const account = requester.kind === 'customer' ? `customer:${requester.customerId}` : `visitor:${requester.visitorId}`;
  await limits.perIp.consume(ip);
  await limits.perAccount.consume(account);
  await limits.perConversation.consume(conversationId);
}

/**
 * "Email me the transcript", without becoming a mail relay. A signed-in customer gets it only at
 * their account's verified address. A visitor names an address and first gets a code there (one
 * verification mail per conversation, with none of the conversation's text); the transcript goes
 * out once they type it back (confirmTranscriptAddress). Every request spends the conversation's,
 * the account's and the IP's budget.
 */
export async function requestTranscript(
  deps: SupportDeps,
  limits: TranscriptLimits,
  input: { conversationId: string; requester: Requester; email?: string; locale: Locale; ip: string },
): Promise<TranscriptAnswer> {
  return answerOf(await sendOrVerify(deps, limits, input), input.locale);
}

async function sendOrVerify(
  deps: SupportDeps,
  limits: TranscriptLimits,
  input: { conversationId: string; requester: Requester; email?: string; locale: Locale; ip: string },
): Promise<Outcome> {
  const { requester } = input;
  const conversation = await getConversationFor(deps.db, input.conversationId, requester);
  if (requester.kind === 'customer') {
    const customer = await findCustomerById(deps.db, requester.customerId);
    if (!customer) throw SupportError('realtime_unauthorized');
    if (input.email && input.email.trim().toLowerCase() !== customer.email.toLowerCase()) throw SupportError('transcript_only_own_email');
    if (!customer.emailVerifiedAt) throw SupportError('transcript_email_unverified', { email: customer.email });
    await consumeBudget(limits, conversation.id, requester, input.ip);
    await sendTranscript(deps, conversation, customer.email, input.locale);
    return { status: 'sent', to: customer.email };
  }

  const email = input.email?.trim().toLowerCase();
  if (!email) throw SupportError('transcript_needs_email');
  const address = await findTranscriptAddress(deps.db, conversation.id);
  if (address?.verifiedAt && address.email === email) {
    await consumeBudget(limits, conversation.id, requester, input.ip);
    await sendTranscript(deps, conversation, email, input.locale);
    return { status: 'sent', to: email };
  }
  // One verification mail per conversation, whichever address: a second would make this a relay again.
  if (address) throw SupportError('transcript_verification_pending', { email: address.email });
  await consumeBudget(limits, conversation.id, requester, input.ip);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const isFirst = await insertTranscriptAddress(deps.db, {
    conversationId: conversation.id,
    email,
    codeHash: codeHash(conversation.id, code),
    expiresAt: new Date(deps.clock.now().getTime() + codeMinutes * 60_000),
  });
  // A concurrent request won the row: it sends the one mail.
  if (!isFirst) throw SupportError('transcript_verification_pending', { email });
  await deps.mailer.send({ to: email, ...verificationEmail(code, input.locale) });
  return { status: 'verification_required', to: email };
}

/** A visitor types back the code from the verification mail: the address is proven and the transcript goes out. */
export async function confirmTranscriptAddress(
  deps: SupportDeps,
  limits: TranscriptLimits,
  input: { conversationId: string; requester: Requester; code: string; locale: Locale; ip: string },
): Promise<TranscriptAnswer> {
  const conversation = await getConversationFor(deps.db, input.conversationId, input.requester);
  await limits.perIp.consume(input.ip);
  const address = await findTranscriptAddress(deps.db, conversation.id);
  if (!address) throw SupportError('transcript_not_requested');
  if (!address.verifiedAt) {
    if (address.attempts >= codeTries || address.expiresAt.getTime() <= deps.clock.now().getTime()) {
      throw SupportError('transcript_code_expired');
    }
    const expected = Buffer.from(address.codeHash);
    const given = Buffer.from(codeHash(conversation.id, input.code));
    if (!timingSafeEqual(expected, given)) {
      const left = codeTries - ((await countTranscriptCodeAttempt(deps.db, conversation.id)) ?? codeTries);
      if (left <= 0) throw SupportError('transcript_code_expired');
      throw SupportError('transcript_code_invalid', { left });
    }
    await markTranscriptAddressVerified(deps.db, conversation.id, deps.clock.now());
  }
  await limits.perAccount.consume(
    input.requester.kind === 'customer' ? `customer:${input.requester.customerId}` : `visitor:${input.requester.visitorId}`,
  );
  await limits.perConversation.consume(conversation.id);
  await sendTranscript(deps, conversation, address.email, input.locale);
  return answerOf({ status: 'sent', to: address.email }, input.locale);
}

/** The code and nothing of the conversation: whoever asked for this mail learns nothing from it. */
function verificationEmail(code: string, locale: Locale) {
  const zh = locale === 'zh-CN';
  const body = renderEmail(locale, {
    greeting: zh ? '您好：' : 'Hello,',
    paragraphs: [
      zh
        ? `有人在 OKPay 在线客服中请求把聊天记录发送到这个邮箱。验证码：${code}（${codeMinutes} 分钟内有效）。`
        : `Someone asked OKPay live chat to send a chat transcript to this address. The code is ${code} (valid for ${codeMinutes} minutes).`,
      zh ? '在聊天窗口中输入这个验证码，聊天记录就会发送过来。' : 'Type it into the chat window and the transcript will follow.',
    ],
    footnotes: [
      zh
        ? '如果不是您本人操作，请忽略这封邮件，不会再收到任何内容。'
        : 'If this was not you, ignore this email; nothing more will be sent.',
    ],
  });
  return { subject: zh ? `OKPay 聊天记录验证码：${code}` : `Your OKPay transcript code: ${code}`, ...body };
}
