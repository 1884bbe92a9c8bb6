import type { Queryable } from '../../../platform/index.js';
import { findConversationByMessageIds, findConversationIdByReference, findThreadByGuid, findThreadByToken } from '../email.repository.js';
import type { DecodedMail } from '../parsing/decode-mail.js';
import { subjectReference } from '../parsing/subject.js';
import { threadGuid } from '../parsing/thread-index.js';

export type ThreadMatch = {
  conversationId: string;
  via: 'in_reply_to' | 'references' | 'reply_token' | 'thread_index' | 'subject_reference';
};

/**
 * Which conversation a mail continues, first hit wins: In-Reply-To, then References newest first
 * (any Message-ID we sent or received), then the reply token in a recipient address, then an
 * Outlook Thread-Index GUID, then the reference in the subject. Whether the sender may write
 * there is decided by the caller: a reference proves which thread is meant, not who may join it.
 */
export async function matchThread(db: Queryable, mail: DecodedMail, replyTokens: string[]): Promise<ThreadMatch | null> {
  if (mail.inReplyTo) {
    const found = await findConversationByMessageIds(db, [mail.inReplyTo]);
    if (found) return { conversationId: found, via: 'in_reply_to' };
  }
  if (mail.references.length > 0) {
    const found = await findConversationByMessageIds(db, [...mail.references].reverse());
    if (found) return { conversationId: found, via: 'references' };
  }
  for (const token of replyTokens) {
    const thread = await findThreadByToken(db, token);
    if (thread) return { conversationId: thread.conversationId, via: 'reply_token' };
  }
  const guid = threadGuid(mail.headers.get('thread-index')?.[0]);
  if (guid) {
    const thread = await findThreadByGuid(db, guid);
    if (thread) return { conversationId: thread.conversationId, via: 'thread_index' };
  }
  const reference = subjectReference(mail.subject);
  if (reference) {
    const found = await findConversationIdByReference(db, reference);
    if (found) return { conversationId: found, via: 'subject_reference' };
  }
  return null;
}
