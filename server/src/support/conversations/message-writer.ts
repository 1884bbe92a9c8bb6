import { createGroupCommit, type Deps, type GroupCommit, sqlState } from '../../platform/index.js';
import { type InsertedMessage, insertMessages, type NewMessage } from './conversations.repository.js';

/**
 * Errors after which PostgreSQL has rolled the whole statement back, so each message can be tried
 * again alone: bad data (22), a constraint such as a retried client id twice in one batch (23), a
 * deadlock or serialization failure (40), a lock that was not available (55P03). After anything
 * else (a connection lost, a server shutting down) the batch may have committed: its senders hear
 * the error and retry with their client message ids, as they would after a lost answer.
 */
function rolledBack(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (['22', '23', '40'].includes(state.slice(0, 2)) || state === '55P03');
}

const writers = new WeakMap<object, GroupCommit<NewMessage, InsertedMessage>>();

/**
 * The node's group commit for messages (see createGroupCommit), one per database: messages sent
 * while a batch is being written go to the database together as the next batch, one statement
 * (insertMessages), and each sender hears its answer once its batch has committed. Under a steady
 * stream a batch starts at most every MESSAGE_BATCH_INTERVAL_MS (10 ms by default), so it carries
 * more messages for the same statement and commit; a message after a quiet spell goes at once. Messages to one
 * conversation keep the order in which they were handed in.
 */
export function messageWriter(deps: Pick<Deps, 'db' | 'logger' | 'config'>): GroupCommit<NewMessage, InsertedMessage> {
  let writer = writers.get(deps.db);
  if (!writer) {
    const { db } = deps;
    writer = createGroupCommit({
      name: 'message',
      logger: deps.logger,
      commit: (batch: NewMessage[]) => insertMessages(db, batch),
      retryAlone: rolledBack,
      minIntervalMs: deps.config.support.messageBatchIntervalMs,
    });
    writers.set(deps.db, writer);
  }
  return writer;
}
