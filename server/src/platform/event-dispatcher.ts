import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from './clock.js';
import type { Database, Transaction } from './db/client.js';
import { isTemporaryDatabaseFailure, temporaryFailureReason } from './db/errors.js';
import { withSavepoint, withTransaction } from './db/transaction.js';
import type { BatchedEvent } from './events.js';
import {
  advanceEventSubscription,
  type DomainEventRow,
  deleteDeadLetter,
  eventSubscriptionPositions,
  insertEventSubscription,
  isEventDispatchIdle,
  listEventSubscriptions,
  listEventsAfter,
  lockEventSubscription,
  markDeadLetterFailedAgain,
  placeEventPositions,
  saveDeadLetter,
  scheduleEventRetry,
  subscriptionsWithRetries,
  takeDeadLetterToRetry,
} from './events.repository.js';
import type { Jobs } from './jobs.js';
import type { Logger } from './logger.js';
import { createQueuedMailer, type Mailer } from './mail/mailer.js';

/**
 * An event as subscribers receive it, with its place in the delivery order. The events of one
 * outbox row (a batch, see `domain_events.batch`) share its id and position.
 */
export type PublishedEvent = {
  id: number;
  position: number;
  type: string;
  subject: { type: string; id: string } | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
};

/**
 * What a handler works with: the transaction its event is handled in (the subscriber's progress
 * commits in it too, so writes made through it happen exactly once), and a mailer that queues in it.
 */
export type EventContext = {
  tx: Transaction;
  mailer: Mailer;
  /** Runs once the batch has committed (live notifications): never for a batch that rolled back. */
  afterCommit(effect: () => void): void;
};
export type EventHandler = (event: PublishedEvent, context: EventContext) => Promise<void>;
/**
 * A handler given a whole batch at once (in delivery order), for subscribers that fold many events
 * into a few writes, such as reports. If it throws, the batch is handled again one event at a time,
 * so the failing event is found and retried or set aside like any other.
 */
export type BatchHandler = (events: readonly PublishedEvent[], context: EventContext) => Promise<void>;

export type SubscribeOptions = {
  /**
   * Where a new subscriber starts: every event ever published (the default, so a report builds
   * its state by replay) or those published from now on (a notification must not resend the past).
   */
  startAt?: 'beginning' | 'now';
  /** Attempts before the event is set aside as a dead letter and the subscriber moves on. */
  maxAttempts?: number;
  /** Events per batch (one transaction) for this subscriber; the dispatcher's default otherwise. */
  batchSize?: number;
};

export type EventSubscriptions = {
  /** Hands every event of these types to the handler, once and in order per subject, on one node at a time. */
  subscribe(name: string, eventTypes: readonly string[], handler: EventHandler, options?: SubscribeOptions): void;
  /** The same, with a handler that takes each batch whole. */
  subscribeBatch(name: string, eventTypes: readonly string[], handler: BatchHandler, options?: SubscribeOptions): void;
};

export type EventDispatcher = EventSubscriptions & {
  start(): void;
  stop(): Promise<void>;
  /** One pass: place new events in the order, then give each subscriber its next batch. True if more is waiting. */
  runOnce(): Promise<boolean>;
  /** Passes until nothing is waiting (tests, the CLI). */
  drain(): Promise<void>;
  registerMetrics(registry: Registry): void;
};

export type DispatcherDeps = { db: Database; jobs: Jobs; logger: Logger; clock: Clock };
export type DispatcherOptions = { pollIntervalMs?: number; batchSize?: number };

type Subscription = {
  name: string;
  eventTypes: string[];
  typeSet: ReadonlySet<string>;
  handler: BatchHandler;
  startAt: 'beginning' | 'now';
  maxAttempts: number;
  batchSize: number | undefined;
};

/** A per-event handler as a batch handler: it says which event failed. */
function eventByEvent(handler: EventHandler): BatchHandler {
  return async (events, context) => {
    for (const event of events) {
      try {
        await handler(event, context);
      } catch (error) {
        throw new HandlerFailure(event, rowStart(events, event), error);
      }
    }
  };
}

/** How many of the batch's events come before the outbox row the event came in (rows are handled whole). */
function rowStart(events: readonly PublishedEvent[], event: PublishedEvent): number {
  return events.findIndex((other) => other.position === event.position);
}

/** How many outbox rows the events came in. */
function rowsOf(events: readonly PublishedEvent[]): number {
  return new Set(events.map((event) => event.position)).size;
}

/**
 * The first events, in order, up to `limit` of them but never part of a row: a row that would
 * begin past the limit is left for the next batch (a row larger than the limit is taken whole).
 */
function takeWholeRows(candidates: Iterable<PublishedEvent>, limit: number): { events: PublishedEvent[]; isCut: boolean } {
  const events: PublishedEvent[] = [];
  for (const event of candidates) {
    if (events.length >= limit && event.position !== events.at(-1)?.position) return { events, isCut: true };
    events.push(event);
  }
  return { events, isCut: false };
}

const positionBatch = 1_000;
const maxRetryDelayMs = 5 * 60_000;

/** A pass's events of every subscribed type after `from`, complete up to `horizon` (whole rows). */
type SharedEvents = {
  from: number;
  horizon: number;
  events: PublishedEvent[];
  /** Every subscriber's cursor when the events were read. */
  positions: Map<string, number>;
  /** Whether `horizon` is the last position given out (the read was not cut short by its limit). */
  isComplete: boolean;
};

class HandlerFailure extends Error {
  constructor(
    readonly event: PublishedEvent,
    /**
     * How many of the batch's events came before the failing event's row (handled again before the
     * failure is counted); -1 when a batch handler failed on one of `batchLength` events, not saying which.
     */
    readonly index: number,
    cause: unknown,
    readonly batchLength = 1,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Outbox rows whose batch cannot be read (not JSON, or not a list of events), each standing as one
 * event that no handler is given: it fails like an event whose handler throws, so the events
 * before it are handled, it is retried and then set aside as a dead letter with the reason, and
 * the subscriber moves on. Only our own statements write batches; this keeps one damaged row (an
 * edit by hand, a restore gone wrong) from stopping every subscriber.
 */
const unreadableRows = new WeakMap<PublishedEvent, string>();

/** The events an outbox row carries: itself, or each event of its batch (one unreadable event if the batch cannot be read). */
function eventsOf(row: DomainEventRow): PublishedEvent[] {
  const position = row.position ?? 0;
  if (row.batch === null) {
    const subject = row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null;
    return [{ id: row.id, position, type: row.type, subject, payload: row.payload, occurredAt: row.occurredAt }];
  }
  const unreadable = (reason: string): PublishedEvent[] => {
    const event: PublishedEvent = { id: row.id, position, type: row.type, subject: null, payload: {}, occurredAt: row.occurredAt };
    unreadableRows.set(event, `outbox row ${row.id} cannot be read: ${reason}`);
    return [event];
  };
  let batch: unknown;
  try {
    batch = JSON.parse(row.batch);
  } catch (error) {
    return unreadable(`its batch is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(batch) || batch.length === 0) return unreadable('its batch is not a list of events');
  const events: PublishedEvent[] = [];
  for (const [index, item] of batch.entries()) {
    const event = item as Partial<BatchedEvent> | null;
    const occurredAt = new Date(typeof event?.occurredAt === 'string' ? event.occurredAt : Number.NaN);
    if (
      typeof event?.subjectType !== 'string' ||
      typeof event.subjectId !== 'string' ||
      typeof event.payload !== 'object' ||
      event.payload === null ||
      Array.isArray(event.payload) ||
      Number.isNaN(occurredAt.getTime())
    )
      return unreadable(`event ${index + 1} of its batch lacks a subject, a payload object or a time`);
    events.push({
      id: row.id,
      position,
      type: row.type,
      subject: { type: event.subjectType, id: event.subjectId },
      payload: event.payload,
      occurredAt,
    });
  }
  return events;
}

/** Fails on the first unreadable row among the events, as its handler would, before any handler runs. */
function refuseUnreadable(events: readonly PublishedEvent[]): void {
  for (const event of events) {
    const reason = unreadableRows.get(event);
    if (reason !== undefined) throw new HandlerFailure(event, rowStart(events, event), new Error(reason));
  }
}

/**
 * Reads the outbox (`domain_events`) and hands each event to its subscribers.
 *
 * Order: events get their delivery position only once committed, from one node at a time (an
 * advisory lock), in id order. A subject's events are written under that subject's row lock, so
 * their ids follow commit order, and no later event can be placed before one already handed out.
 * Progress: each subscriber has a cursor row; a batch is handled in one transaction that moves the
 * cursor, holding the row (SKIP LOCKED), so one node at a time handles a subscriber and a restart
 * resumes after the last committed batch. Failures: the batch rolls back, the events before the
 * failing one are handled again, and the failing one is retried with backoff; after its attempts
 * it becomes a dead letter (logged, counted) and the subscriber moves on.
 */
export function createEventDispatcher(deps: DispatcherDeps, options: DispatcherOptions = {}): EventDispatcher {
  // The rest between passes once the outbox is empty (EVENT_DISPATCH_INTERVAL_MS). A subscriber's
  // batch costs a few statements and, for the SLA clocks and reports, work for each conversation it
  // touches: in a busy chat every conversation turns up in every batch, so fewer, larger batches
  // cost less per event (a second between them took a tenth off the CPU per chat message, against a
  // quarter second and batches of a thousand that filled up and ran back to back).
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  // Large enough that one pass takes a second of a busy chat (thousands of messages a second) whole.
  const batchSize = options.batchSize ?? 5_000;
  const subscriptions = new Map<string, Subscription>();
  const registered = new Set<string>();
  let deadLetters: Counter<'subscription'> | undefined;
  let failures: Counter<'subscription'> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let isRunning = false;

  /** Gives committed events their positions; `wait` waits for another node doing it instead of leaving it to them. */
  async function placeNewEvents(wait: boolean): Promise<number> {
    return withTransaction(deps.db.$client, (tx) => placeEventPositions(tx, { wait, limit: positionBatch }));
  }

  async function ensureRegistered(subscription: Subscription): Promise<void> {
    if (registered.has(subscription.name)) return;
    await insertEventSubscription(deps.db, subscription.name, subscription.startAt === 'now');
    registered.add(subscription.name);
  }

  /**
   * The events the subscribers will ask for next, read once for all of them: from the cursor
   * furthest behind, every subscribed type. A subscriber whose cursor lies in that span takes its
   * events from here instead of reading them again (a chat message's event interests four of them).
   */
  async function readSharedEvents(): Promise<SharedEvents | undefined> {
    const positions = await eventSubscriptionPositions(deps.db);
    const cursors = [...subscriptions.keys()].flatMap((name) => positions.get(name) ?? []);
    if (cursors.length === 0) return undefined;
    const from = Math.min(...cursors);
    const types = [...new Set([...subscriptions.values()].flatMap((subscription) => subscription.eventTypes))];
    // As many as the largest batch a subscriber takes: enough for every one of them this pass.
    const limit = Math.max(...[...subscriptions.values()].map((subscription) => subscription.batchSize ?? batchSize));
    const found = await listEventsAfter(deps.db, { position: from, types, limit });
    // Rows are taken apart only until there are events enough for every subscriber this pass: a
    // backlog of batch rows is not parsed again on every pass.
    const events: PublishedEvent[] = [];
    let rows = 0;
    while (rows < found.events.length && events.length < limit) events.push(...eventsOf(found.events[rows++] as DomainEventRow));
    const isComplete = rows === found.events.length && found.events.length < limit;
    const horizon = isComplete ? found.horizon : (found.events[rows - 1]?.position ?? from);
    return { from, horizon, events, positions, isComplete };
  }

  /**
   * The subscriber's next events (whole rows, about `limit` of them): from the pass's shared read
   * when it covers the cursor, else read for it alone. `isFull` when more may follow past the last
   * of them than the horizon says.
   */
  async function nextEvents(
    tx: Transaction,
    subscription: Subscription,
    position: number,
    limit: number,
    shared: SharedEvents | undefined,
  ): Promise<{ events: PublishedEvent[]; horizon: number; isFull: boolean }> {
    // A cursor at the end of a read that was cut short reads on alone, past it (the cursor furthest
    // behind may be waiting out a retry, and every pass would read the same span again).
    if (shared && position >= shared.from && (position < shared.horizon || (shared.isComplete && position === shared.horizon))) {
      const wanted = shared.events.filter((event) => event.position > position && subscription.typeSet.has(event.type));
      const taken = takeWholeRows(wanted, limit);
      // More may lie past the read: say so only when this batch took something, so the next pass comes at once.
      return { events: taken.events, horizon: shared.horizon, isFull: taken.isCut || (!shared.isComplete && taken.events.length > 0) };
    }
    const found = await listEventsAfter(tx, { position, types: subscription.eventTypes, limit });
    const taken = takeWholeRows(found.events.flatMap(eventsOf), limit);
    return { events: taken.events, horizon: found.horizon, isFull: taken.isCut || found.events.length === limit };
  }

  /** Handles about `limit` events (whole rows); returns how many, and whether the batch was full. */
  async function handleBatch(
    subscription: Subscription,
    limit: number,
    shared?: SharedEvents,
  ): Promise<{ handled: number; isFull: boolean }> {
    const effects: Array<() => void> = [];
    try {
      const outcome = await withTransaction(deps.db.$client, async (tx) => {
        const row = await lockEventSubscription(tx, subscription.name);
        // Another node is handling this subscriber right now, or it waits out a retry delay.
        if (!row || (row.retryAt && row.retryAt > deps.clock.now())) return { handled: 0, isFull: false };
        const found = await nextEvents(tx, subscription, row.position, limit, shared);
        const events = found.events;
        const context: EventContext = {
          tx,
          mailer: createQueuedMailer(deps.jobs, tx.$client),
          afterCommit: (effect) => effects.push(effect),
        };
        if (events.length > 0) {
          try {
            refuseUnreadable(events);
            await subscription.handler(events, context);
          } catch (error) {
            if (error instanceof HandlerFailure) throw error;
            // A batch handler cannot say which event failed: one row alone is where it failed; several are taken apart.
            throw new HandlerFailure(events[0] as PublishedEvent, rowsOf(events) === 1 ? 0 : -1, error, events.length);
          }
        }
        const last = events.at(-1);
        const reached = found.isFull && last ? last.position : Math.max(found.horizon, row.position);
        await advanceEventSubscription(tx, subscription.name, reached);
        return { handled: events.length, isFull: found.isFull };
      });
      runEffects(effects);
      return outcome;
    } catch (error) {
      if (!(error instanceof HandlerFailure)) throw error;
      if (error.index < 0) {
        // Some event of a batch failed: go through the same rows one at a time, up to the failing one.
        let handled = 0;
        while (handled < error.batchLength) {
          const single = await handleBatch(subscription, 1);
          if (single.handled === 0) break;
          handled += single.handled;
        }
        return { handled, isFull: false };
      }
      // The whole batch rolled back: hand over again the rows before the failing one's, then count the failure.
      const before = error.index > 0 ? await handleBatch(subscription, error.index) : { handled: 0 };
      // Set aside, the subscriber has moved past it: what follows is handled in the next pass, at once.
      const isSetAside = before.handled === error.index && (await recordFailure(subscription, error.event, error.cause));
      return { handled: before.handled, isFull: isSetAside };
    }
  }

  function runEffects(effects: ReadonlyArray<() => void>): void {
    for (const effect of effects) {
      try {
        effect();
      } catch (error) {
        deps.logger.error({ err: error }, "an event handler's after-commit effect failed");
      }
    }
  }

  /**
   * Counts a failed attempt: schedules a retry, or after the last one sets the event aside (true).
   * A temporary database failure (a statement canceled at its time limit, say while a lock was held
   * too long) says nothing about the event: it is retried without counting, never set aside.
   */
  async function recordFailure(subscription: Subscription, event: PublishedEvent, cause: unknown): Promise<boolean> {
    const message = (cause instanceof Error ? cause.message : String(cause)).slice(0, 2_000);
    failures?.inc({ subscription: subscription.name });
    const isTemporary = isTemporaryDatabaseFailure(cause);
    return withTransaction(deps.db.$client, async (tx) => {
      const row = await lockEventSubscription(tx, subscription.name);
      // Only while the failing event is still the next one for this subscriber.
      if (!row || row.position >= event.position) return false;
      const attempts = row.attempts + (isTemporary ? 0 : 1);
      const log = { subscription: subscription.name, eventId: event.id, type: event.type, attempts, err: cause };
      if (isTemporary || attempts < subscription.maxAttempts) {
        const delayMs = Math.min(maxRetryDelayMs, 1_000 * 2 ** Math.max(0, attempts - 1));
        await scheduleEventRetry(tx, subscription.name, {
          attempts,
          retryAt: new Date(deps.clock.now().getTime() + delayMs),
          lastError: message,
        });
        const why = isTemporary ? `event handler failed: ${temporaryFailureReason(cause)}` : 'event handler failed';
        deps.logger.warn({ ...log, retryInMs: delayMs }, `${why}; it will be retried`);
        return false;
      }
      await saveDeadLetter(tx, {
        subscription: subscription.name,
        eventId: event.id,
        error: message,
        attempts,
        failedAt: deps.clock.now(),
      });
      await advanceEventSubscription(tx, subscription.name, event.position, message);
      deadLetters?.inc({ subscription: subscription.name });
      deps.logger.error(log, 'event handler gave up: the event is a dead letter (see `okpay events:status`)');
      return true;
    });
  }

  /** Dead letters an operator asked to retry (`okpay events:retry`), oldest first, each on its own. */
  async function retryDeadLetters(subscription: Subscription): Promise<number> {
    let handled = 0;
    for (;;) {
      const effects: Array<() => void> = [];
      const outcome = await withTransaction(deps.db.$client, async (tx) => {
        const row = await takeDeadLetterToRetry(tx, subscription.name);
        if (!row) return 'none';
        try {
          const events = eventsOf(row);
          refuseUnreadable(events);
          await withSavepoint(tx, () =>
            subscription.handler(events, {
              tx,
              mailer: createQueuedMailer(deps.jobs, tx.$client),
              afterCommit: (effect) => effects.push(effect),
            }),
          );
          await deleteDeadLetter(tx, subscription.name, row.id);
          return 'handled';
        } catch (error) {
          await markDeadLetterFailedAgain(tx, subscription.name, row.id, {
            error: (error instanceof Error ? error.message : String(error)).slice(0, 2_000),
            failedAt: deps.clock.now(),
          });
          deps.logger.error({ subscription: subscription.name, eventId: row.id, err: error }, 'retried dead letter failed again');
          return 'failed';
        }
      });
      if (outcome === 'none') return handled;
      if (outcome === 'handled') {
        runEffects(effects);
        handled += 1;
      }
    }
  }

  /**
   * Whether the subscriber's cursor already stood at the last position given out when the pass read
   * the events: then it has nothing to do and takes no transaction (an idle node's passes write
   * nothing and commit nothing). A failed event waiting for its retry lies past the cursor, so a
   * subscriber in that state is never caught up.
   */
  function isCaughtUp(subscription: Subscription, shared: SharedEvents | undefined): boolean {
    return shared?.isComplete === true && shared.positions.get(subscription.name) === shared.horizon;
  }

  async function runOnce(options: { isDraining?: boolean } = {}): Promise<boolean> {
    let hasMore = (await placeNewEvents(options.isDraining === true)) === positionBatch;
    const retrying = await subscriptionsWithRetries(deps.db);
    for (const subscription of subscriptions.values()) await ensureRegistered(subscription);
    const shared = await readSharedEvents();
    for (const subscription of subscriptions.values()) {
      if (!isCaughtUp(subscription, shared)) {
        const batch = await handleBatch(subscription, subscription.batchSize ?? batchSize, shared);
        if (batch.isFull) hasMore = true;
      }
      if (retrying.has(subscription.name)) await retryDeadLetters(subscription);
    }
    return hasMore;
  }

  /** The background loop's pass: one statement while there is nothing to do, the whole pass otherwise. */
  async function backgroundPass(): Promise<boolean> {
    if (subscriptions.size > 0 && (await isEventDispatchIdle(deps.db, [...subscriptions.keys()]))) return false;
    return runOnce();
  }

  let failedPasses = 0;
  const tick = () => {
    if (!isRunning) return;
    const pass = backgroundPass().then(
      (hasMore) => {
        if (failedPasses > 0) deps.logger.info({ failedPasses }, 'event dispatch resumed');
        failedPasses = 0;
        return hasMore ? 0 : pollIntervalMs;
      },
      (error: unknown) => {
        // The database is away or refusing: log the outage once and wait longer each time, up to 5 s.
        if (failedPasses === 0) deps.logger.warn({ err: error }, `event dispatch paused: ${temporaryFailureReason(error)}; retrying`);
        failedPasses += 1;
        return Math.max(pollIntervalMs, Math.min(5_000, pollIntervalMs * 2 ** Math.min(failedPasses, 5)));
      },
    );
    current = pass;
    void pass.then((delayMs) => {
      if (isRunning) timer = setTimeout(tick, delayMs);
    });
  };

  const register = (name: string, eventTypes: readonly string[], handler: BatchHandler, options: SubscribeOptions) => {
    if (subscriptions.has(name)) throw new Error(`event subscriber ${name} is already registered`);
    subscriptions.set(name, {
      name,
      eventTypes: [...eventTypes],
      typeSet: new Set(eventTypes),
      handler,
      startAt: options.startAt ?? 'beginning',
      maxAttempts: options.maxAttempts ?? 8,
      batchSize: options.batchSize,
    });
  };

  return {
    subscribe(name, eventTypes, handler, subscribeOptions = {}) {
      register(name, eventTypes, eventByEvent(handler), subscribeOptions);
    },
    subscribeBatch(name, eventTypes, handler, subscribeOptions = {}) {
      register(name, eventTypes, handler, subscribeOptions);
    },
    start() {
      if (isRunning) return;
      isRunning = true;
      tick();
    },
    async stop() {
      isRunning = false;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
    runOnce: () => runOnce(),
    async drain() {
      // A pass of this node's own loop holds the batches it works on (others skip them): one under
      // way, or begun meanwhile, is waited for, so what was published before drain is handled when it returns.
      for (;;) {
        const running = current;
        await running.catch(() => undefined);
        while (await runOnce({ isDraining: true })) {
          // keep going while batches come back full
        }
        if (current === running) return;
      }
    },
    registerMetrics(registry) {
      const labelNames = ['subscription'] as const;
      failures = new Counter({
        name: 'okpay_event_handler_failures_total',
        help: 'Event handler failures by subscriber (each is retried)',
        labelNames,
        registers: [registry],
      });
      deadLetters = new Counter({
        name: 'okpay_event_dead_letters_total',
        help: 'Events a subscriber gave up on after its retries',
        labelNames,
        registers: [registry],
      });
      new Gauge({
        name: 'okpay_event_subscription_lag',
        help: 'Outbox rows placed in the order that a subscriber has not yet passed (a batch row carries several events)',
        labelNames,
        registers: [registry],
        async collect() {
          try {
            for (const row of await listEventSubscriptions(deps.db)) this.set({ subscription: row.name }, row.behind);
          } catch {
            // No database, no number: the scrape still answers.
          }
        },
      });
    },
  };
}
