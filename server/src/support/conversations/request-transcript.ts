import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Locale } from '@okpay/contracts';
import { createRateLimiter, type RateLimiter } from '../../platform/http/rate-limit.js';
import { renderEmail } from '../../platform/mail/layout.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
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
type Answer = { status: 'sent' | 'verification_required'; to: string };

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
  input: { conversation: ConversationRow; requester: Requester; email?: string; locale: Locale; ip: string },
): Promise<Answer> {
  const { conversation, requester } = input;
  if (requester.kind === 'customer') {
    const found = await deps.pool.query<{ email: string; email_verified_at: Date | null }>(
      'SELECT email, email_verified_at FROM customers WHERE id = $1',
      [requester.customerId],
    );
    const customer = found.rows[0];
    if (!customer) throw SupportError('realtime_unauthorized');
    if (input.email && input.email.trim().toLowerCase() !== customer.email.toLowerCase()) throw SupportError('transcript_only_own_email');
    if (!customer.email_verified_at) throw SupportError('transcript_email_unverified', { email: customer.email });
    await consumeBudget(limits, conversation.id, requester, input.ip);
    await sendTranscript(deps, conversation, customer.email, input.locale);
    return { status: 'sent', to: customer.email };
  }

  const email = input.email?.trim().toLowerCase();
  if (!email) throw SupportError('transcript_needs_email');
  const known = await deps.pool.query<{ email: string; verified_at: Date | null }>(
    'SELECT email, verified_at FROM transcript_addresses WHERE conversation_id = $1',
    [conversation.id],
  );
  const address = known.rows[0];
  if (address?.verified_at && address.email === email) {
    await consumeBudget(limits, conversation.id, requester, input.ip);
    await sendTranscript(deps, conversation, email, input.locale);
    return { status: 'sent', to: email };
  }
  // One verification mail per conversation, whichever address: a second would make this a relay again.
  if (address) throw SupportError('transcript_verification_pending', { email: address.email });
  await consumeBudget(limits, conversation.id, requester, input.ip);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const inserted = await deps.pool.query(
    `INSERT INTO transcript_addresses (conversation_id, email, code_hash, expires_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id) DO NOTHING`,
    [conversation.id, email, codeHash(conversation.id, code), new Date(deps.clock.now().getTime() + codeMinutes * 60_000)],
  );
  // A concurrent request won the row: it sends the one mail.
  if (inserted.rowCount === 0) throw SupportError('transcript_verification_pending', { email });
  await deps.mailer.send({ to: email, ...verificationEmail(code, input.locale) });
  return { status: 'verification_required', to: email };
}

/** A visitor types back the code from the verification mail: the address is proven and the transcript goes out. */
export async function confirmTranscriptAddress(
  deps: SupportDeps,
  limits: TranscriptLimits,
  input: { conversation: ConversationRow; requester: Requester; code: string; locale: Locale; ip: string },
): Promise<Answer> {
  const { conversation } = input;
  await limits.perIp.consume(input.ip);
  const found = await deps.pool.query<{ email: string; code_hash: string; expires_at: Date; attempts: number; verified_at: Date | null }>(
    'SELECT email, code_hash, expires_at, attempts, verified_at FROM transcript_addresses WHERE conversation_id = $1',
    [conversation.id],
  );
  const address = found.rows[0];
  if (!address) throw SupportError('transcript_not_requested');
  if (!address.verified_at) {
    if (address.attempts >= codeTries || address.expires_at.getTime() <= deps.clock.now().getTime()) {
      throw SupportError('transcript_code_expired');
    }
    const expected = Buffer.from(address.code_hash);
    const given = Buffer.from(codeHash(conversation.id, input.code));
    if (!timingSafeEqual(expected, given)) {
      const counted = await deps.pool.query<{ attempts: number }>(
        'UPDATE transcript_addresses SET attempts = attempts + 1 WHERE conversation_id = $1 RETURNING attempts',
        [conversation.id],
      );
      const left = codeTries - (counted.rows[0]?.attempts ?? codeTries);
      if (left <= 0) throw SupportError('transcript_code_expired');
      throw SupportError('transcript_code_invalid', { left });
    }
    await deps.pool.query('UPDATE transcript_addresses SET verified_at = $2 WHERE conversation_id = $1', [
      conversation.id,
      deps.clock.now(),
    ]);
  }
  await limits.perAccount.consume(
    input.requester.kind === 'customer' ? `customer:${input.requester.customerId}` : `visitor:${input.requester.visitorId}`,
  );
  await limits.perConversation.consume(conversation.id);
  await sendTranscript(deps, conversation, address.email, input.locale);
  return { status: 'sent', to: address.email };
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
