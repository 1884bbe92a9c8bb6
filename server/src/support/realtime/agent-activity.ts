import { setPresence, touchAgent } from '../routing/presence.js';
import { findPresence } from '../routing/routing.repository.js';
import type { SupportDeps } from '../support-deps.js';
import { rooms } from './rooms.js';
import type { ChatServer } from './socket-types.js';

export type AgentActivity = {
  /** Records that the agent did something (connecting forces it); throttled per agent. */
  touch(staffId: string, options?: { force?: boolean }): void;
  /** The agent's socket went away: once the grace period passes with none left on any node, they are offline. */
  disconnected(staffId: string): void;
  /**
   * The node is stopping: pending offline checks are dropped (the adapter and database pool they
   * use are closing). Agents cut off by the stop reconnect to another node, where a later
   * disconnect starts a check of its own; one who never comes back goes away with the idle sweep.
   */
  stop(): void;
};

/**
 * Agent activity keeps the agent online (see touchAgent). Every chat event used to run that UPDATE,
 * and with an agent in many chats those updates queued on one row lock, each behind a durable
 * commit. Once per agent per interval on this node is enough: the interval is a tenth of the
 * away-after time, so an idle agent goes away at most that much early. Connecting always touches.
 */
export function agentActivity(deps: SupportDeps, io: ChatServer): AgentActivity {
  const intervalMs = Math.min(30_000, (deps.config.support.awayAfterMinutes * 60_000) / 10);
  const lastTouched = new Map<string, number>();
  const offlineChecks = new Set<NodeJS.Timeout>();
  let isStopped = false;
  return {
    touch(staffId, options = {}) {
      const now = deps.clock.now().getTime();
      const last = lastTouched.get(staffId);
      if (!options.force && last !== undefined && now >= last && now - last < intervalMs) return;
      lastTouched.set(staffId, now);
      touchAgent(deps, staffId).catch(() => {
        // Best effort, as before; the next event tries again.
        if (lastTouched.get(staffId) === now) lastTouched.delete(staffId);
      });
    },
    disconnected(staffId) {
      if (isStopped) return;
      const check = setTimeout(() => {
        offlineChecks.delete(check);
        void (async () => {
          const sockets = await io.in(rooms.staff(staffId)).fetchSockets();
          if (sockets.length > 0) return;
          const presence = await findPresence(deps.db, staffId);
          if (presence && presence.status !== 'offline') await setPresence(deps, staffId, 'offline', 'disconnect');
        })().catch((error) => deps.logger.warn({ err: error, staffId }, 'offline check failed'));
      }, deps.config.support.offlineGraceSeconds * 1000).unref();
      offlineChecks.add(check);
    },
    stop() {
      isStopped = true;
      for (const check of offlineChecks) clearTimeout(check);
      offlineChecks.clear();
    },
  };
}
