import type { Queryable, Transaction } from '../../../platform/index.js';
import type { SupportDeps } from '../../support-deps.js';
import { type EmailThread, insertEmailMessage, type NewEmailMessage, updateThreadIndex } from '../email.repository.js';
import { newToken } from '../email-addresses.js';
import { emailSendQueue } from '../email-context.js';
import { newThreadIndex, replyThreadIndex } from '../parsing/thread-index.js';

/**
 * Records an outgoing mail as queued, in the caller's transaction: its Message-ID, a VERP token
 * for bounces and the next Outlook Thread-Index (appended to the customer's, or our own first).
 */
export async function recordOutgoing(
  db: Queryable,
  thread: EmailThread,
  message: Omit<NewEmailMessage, 'direction' | 'status' | 'bounceToken' | 'threadIndex'>,
  at: Date,
): Promise<string> {
  const threadIndex = thread.threadIndex
    ? replyThreadIndex(thread.threadIndex, at, Math.floor(Math.random() * 256))
    : newThreadIndex(thread.threadGuid ?? thread.conversationId.replaceAll('-', ''), at);
  await updateThreadIndex(db, thread.conversationId, threadIndex, thread.threadGuid ? null : thread.conversationId.replaceAll('-', ''));
  return insertEmailMessage(db, {
    ...message,
    direction: 'outbound',
    status: 'queued',
    bounceToken: newToken(),
    threadIndex,
    createdAt: at,
  });
}

/** Hands a recorded mail to the job queue: after its transaction has committed, or in it (given the transaction). */
export async function dispatchOutgoing(deps: SupportDeps, emailMessageId: string, tx?: Transaction): Promise<void> {
  await deps.jobs.send(
    emailSendQueue,
    { emailMessageId },
    {
      singletonKey: emailMessageId,
      retryLimit: deps.config.email.sendAttempts - 1,
      retryDelaySeconds: deps.config.email.sendRetryDelaySeconds,
      tx: tx?.$client,
    },
  );
}

const dispatching = new WeakMap<SupportDeps, { waiting: string[]; running: Promise<void> | null }>();

/**
 * The same for many mails recorded by separate transactions in a burst (acknowledgements): ids
 * that arrive while one batch is being queued go into the next, one statement each. Resolves once
 * this mail's job is queued; a mail whose job never gets queued is found by the stranded sweep.
 */
export function dispatchOutgoingSoon(deps: SupportDeps, emailMessageId: string): Promise<void> {
  let state = dispatching.get(deps);
  if (!state) {
    state = { waiting: [], running: null };
    dispatching.set(deps, state);
  }
  const current = state;
  current.waiting.push(emailMessageId);
  const drain = async () => {
    while (current.waiting.length > 0) {
      const batch = current.waiting.splice(0, 200);
      await deps.jobs.sendMany(
        emailSendQueue,
        batch.map((id) => ({ data: { emailMessageId: id }, singletonKey: id })),
        { retryLimit: deps.config.email.sendAttempts - 1, retryDelaySeconds: deps.config.email.sendRetryDelaySeconds },
      );
    }
  };
  if (!current.running) {
    current.running = drain().finally(() => {
      current.running = null;
    });
  }
  return current.running;
}
