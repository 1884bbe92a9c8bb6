import { endedSessions, type SessionRef, sessionRefKey } from '../../identity/index.js';
import type { SupportDeps } from '../support-deps.js';
import type { ChatServer, ChatSocket } from './socket-types.js';

/** How often each node looks for sockets whose session has ended since they connected. */
const sessionCheckMs = 15_000;

/** Checks this node's sockets every 15 s; returns the stop function. */
export function startSessionCheck(deps: SupportDeps, io: ChatServer): () => void {
  const timer = setInterval(() => {
    disconnectEndedSessions(deps, io).catch((error) => deps.logger.warn({ err: error }, 'session check failed'));
  }, sessionCheckMs).unref();
  return () => clearInterval(timer);
}

/**
 * A socket outlives the token it connected with, so a signed-out, revoked or reset session would
 * keep its live chat open. Each node checks its own sockets and disconnects those whose session
 * has ended; the clients then need a new token, which an ended session cannot get.
 */
export async function disconnectEndedSessions(deps: SupportDeps, io: ChatServer): Promise<number> {
  const bySession = new Map<string, { ref: SessionRef; sockets: ChatSocket[] }>();
  for (const raw of io.of('/').sockets.values()) {
    const socket = raw as ChatSocket;
    const ref = socket.data.session;
    if (!ref) continue;
    const key = sessionRefKey(ref);
    const entry = bySession.get(key) ?? { ref, sockets: [] };
    entry.sockets.push(socket);
    bySession.set(key, entry);
  }
  const ended = await endedSessions(
    deps.db,
    [...bySession.values()].map((entry) => entry.ref),
    deps.clock.now(),
  );
  let disconnected = 0;
  for (const key of ended) {
    for (const socket of bySession.get(key)?.sockets ?? []) {
      socket.disconnect(true);
      disconnected += 1;
    }
  }
  return disconnected;
}
