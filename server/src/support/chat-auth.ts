import type { FastifyRequest } from 'fastify';
import { findLiveParticipants, type RealtimeIdentity, type SessionRef, sessionRefOf, verifyRealtimeToken } from '../identity/index.js';
import { type Deps, defineGuard, type Guard } from '../platform/index.js';
import type { Participant } from './conversations/participant.js';
import { SupportError } from './support.errors.js';

type Known = { participant: Participant; session: SessionRef | undefined };

/**
 * Who a realtime token speaks for, for sockets and the widget's HTTP calls alike: undefined when
 * the token is forged or expired, its session has ended (signed out, revoked, reset), or the
 * customer or staff member behind it is gone or deactivated.
 */
export async function participantOfToken(deps: Pick<Deps, 'db' | 'config' | 'clock'>, token: unknown): Promise<Known | undefined> {
  const identity = verifyRealtimeToken(deps.config.sessionSecret, token, deps.clock.now());
  if (!identity) return undefined;
  return (await participantsOfIdentities(deps, [identity]))[0];
}

/**
 * participantOfToken for a node's socket handshakes: the tokens that arrive together (a node's
 * clients reconnecting at once) are checked in one statement, not one or two each.
 */
export function batchedParticipantOfToken(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  options: { lingerMs?: number } = {},
): (token: unknown) => Promise<Known | undefined> {
  type Waiting = { resolve(known: Known | undefined): void; reject(error: unknown): void };
  const lingerMs = options.lingerMs ?? handshakeLingerMs;
  /** Tokens not yet checked. */
  const arrived: Array<Waiting & { token: unknown }> = [];
  /** Customers and staff whose token holds, waiting for the next statement. */
  const checked: Array<Waiting & { identity: RealtimeIdentity }> = [];
  let running = false;
  let scheduled = false;
  /** When the last statement came back (performance.now()); -Infinity before the first. */
  let lastAnsweredAt = Number.NEGATIVE_INFINITY;
  // Like a group commit: one statement at a time; the handshakes that arrive while it is out go
  // together in the next one.
  const flush = () => {
    scheduled = false;
    // The signatures are checked here, those that arrived together one after another, rather than
    // as each handshake arrives: the hashing code stays in the processor's caches (in a storm a
    // lone check took about twice as long as one of a run). Forged tokens and visitors need no
    // statement and are answered here, even while one is out.
    const now = deps.clock.now();
    for (const { token, ...entry } of arrived.splice(0)) {
      let identity: RealtimeIdentity | undefined;
      try {
        identity = verifyRealtimeToken(deps.config.sessionSecret, token, now);
      } catch (error) {
        // Not expected for any input; if it happens, that handshake fails, not the node's timer.
        entry.reject(error);
        continue;
      }
      if (!identity) entry.resolve(undefined);
      else if (identity.kind === 'visitor')
        participantsOfIdentities(deps, [identity]).then((known) => entry.resolve(known[0]), entry.reject);
      else checked.push({ ...entry, identity });
    }
    if (running || checked.length === 0) return;
    const batch = checked.splice(0, maxHandshakeBatch);
    running = true;
    participantsOfIdentities(
      deps,
      batch.map((entry) => entry.identity),
    )
      .then(
        (known) => {
          for (const [index, entry] of batch.entries()) entry.resolve(known[index]);
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        running = false;
        lastAnsweredAt = performance.now();
        schedule();
      });
  };
  const schedule = () => {
    if (scheduled || (arrived.length === 0 && (running || checked.length === 0))) return;
    scheduled = true;
    // A handshake after a quiet spell goes at once (in this turn of the event loop, with whatever
    // else arrived in it). In a burst (a statement came back moments ago: a node's clients are
    // reconnecting) the next statement waits a few milliseconds more for company: a storm's
    // handshakes then go about fifteen to a statement instead of three or four, and the node and
    // the database spend less per handshake on statements than they gain back in rate. While a
    // statement is out, the tokens that arrive are checked after the same few milliseconds: the
    // forged and the visitors' are answered then, the others wait for the next statement.
    if (running || performance.now() - lastAnsweredAt < burstWindowMs) setTimeout(flush, lingerMs);
    else setImmediate(flush);
  };
  return (token) =>
    new Promise((resolve, reject) => {
      arrived.push({ token, resolve, reject });
      schedule();
    });
}

const maxHandshakeBatch = 500;
/** How long a handshake in a burst waits for others to share its statement. */
const handshakeLingerMs = 3;
/** A statement answered this recently means handshakes are arriving in a burst. */
const burstWindowMs = 50;

/** The rules of participantOfToken for identities already verified: one statement however many (none for visitors). */
async function participantsOfIdentities(
  deps: Pick<Deps, 'db' | 'clock'>,
  identities: RealtimeIdentity[],
): Promise<Array<Known | undefined>> {
  const people = identities.filter((identity) => identity.kind !== 'visitor');
  const found =
    people.length === 0
      ? []
      : await findLiveParticipants(
          deps.db,
          people.map((identity) => ({
            owner:
              identity.kind === 'customer'
                ? { kind: 'customer', customerId: identity.customerId }
                : { kind: 'staff', staffId: identity.staffId },
            sessionPublicId: sessionRefOf(identity)?.publicId ?? null,
          })),
          deps.clock.now(),
        );
  let next = 0;
  return identities.map((identity): Known | undefined => {
    if (identity.kind === 'visitor')
      return { participant: { kind: 'visitor', visitorId: identity.visitorId, name: null }, session: undefined };
    const row = found[next++];
    if (!row || row.sessionEnded || row.name === null) return undefined;
    const session = sessionRefOf(identity);
    if (identity.kind === 'customer')
      return { participant: { kind: 'customer', customerId: identity.customerId, name: row.name }, session };
    if (!row.isActive || !row.role) return undefined;
    return { participant: { kind: 'staff', staffId: identity.staffId, name: row.name, role: row.role }, session };
  });
}

type WidgetParticipant = Participant & { kind: 'customer' | 'visitor' };

declare module 'fastify' {
  interface FastifyRequest {
    chatParticipant?: WidgetParticipant;
  }
}

/**
 * The widget's identity on HTTP: the same signed token it gives Socket.IO, in the `x-chat-token`
 * header only, never in a URL (images load by signed links instead). Staff tokens open nothing here.
 */
export async function chatParticipant(deps: Deps, request: FastifyRequest): Promise<WidgetParticipant> {
  if (request.chatParticipant) return request.chatParticipant;
  const header = request.headers['x-chat-token'];
  const participant = (await participantOfToken(deps, header))?.participant;
  if (!participant || participant.kind === 'staff') throw SupportError('realtime_unauthorized');
  request.chatParticipant = participant;
  return participant;
}

/** Guard: the request carries a live widget token (customer or visitor) in `x-chat-token`. */
export function requireChatParticipant(deps: Deps): Guard {
  return defineGuard(
    { security: () => [{ chatToken: [] }], refusals: { 401: 'No valid chat token (realtime_unauthorized)' } },
    async (request) => {
      await chatParticipant(deps, request);
    },
  );
}
