import type { BusinessCalendar } from '../hours/business-calendar.js';
import type { HoursSnapshot } from '../hours/support-hours.js';
import { conversationEvents } from '../support.events.js';
import { slaWarningPercent } from './shipped-policies.js';
import type { StoredSlaTarget, slaClocks, slaConversations } from './sla.tables.js';
import { policyFor, type SlaRules, type SlaTargetName, targetOf } from './sla-policies.js';

export type ClockState = SlaClockRow['state'];

/** One conversation's clock for one target (the `sla_clocks` row). */
/** A clock as stored (the `sla_clocks` row), without the conversation it belongs to. */
export type SlaClockRow = Omit<typeof slaClocks.$inferSelect, 'conversationId'>;

/** What the clocks know of a conversation (the `sla_conversations` row), from its events only. */
export type SlaConversation = Omit<typeof slaConversations.$inferSelect, 'conversationId'>;

/** A conversation event as the clocks read it. */
export type ClockEvent = { id: number; type: string; payload: Record<string, unknown>; occurredAt: Date };

/** An outcome to record: a target met in time, or breached (found when the clock stopped late). */
export type SlaAnnouncement = { kind: 'met' | 'breached'; clock: SlaClockRow; at: Date };

/** The rules and hours in force: which policy applies and how business time is counted. */
export type SlaEnvironment = { rules: SlaRules; hours: HoursSnapshot };

export const replyTargets: readonly SlaTargetName[] = ['first_reply', 'next_reply'];
const isActive = (clock: SlaClockRow) => clock.state === 'running' || clock.state === 'paused';

/** The calendar a business-time clock counts in: the one its target names, else its channel's. */
export function calendarFor(environment: SlaEnvironment, calendarName: string | null, channel: string): BusinessCalendar | undefined {
  const { calendars, channels } = environment.hours;
  return (calendarName ? calendars.get(calendarName) : undefined) ?? calendars.get(channels[channel as keyof typeof channels] ?? 'default');
}

/** Time counted by a clock between two instants: business time of its calendar, or wall-clock time. */
export function measure(environment: SlaEnvironment, clock: SlaClockRow, channel: string, from: Date, to: Date): number {
  if (to <= from) return 0;
  if (clock.clock === 'wall') return to.getTime() - from.getTime();
  const calendar = calendarFor(environment, clock.calendarName, channel);
  return calendar ? calendar.businessTimeBetween(from, to) : to.getTime() - from.getTime();
}

/** The instant by which `ms` more of a clock's time has passed since `from`; null when it never does. */
export function advance(environment: SlaEnvironment, clock: SlaClockRow, channel: string, from: Date, ms: number): Date | null {
  if (clock.clock === 'wall') return new Date(from.getTime() + ms);
  const calendar = calendarFor(environment, clock.calendarName, channel);
  if (!calendar) return new Date(from.getTime() + ms);
  try {
    return new Date(calendar.addBusinessTime(from, ms));
  } catch {
    // A calendar that does not open for years: the target never falls due.
    return null;
  }
}

/** Due and warning instants of a running clock (both null otherwise). */
export function schedule(environment: SlaEnvironment, clock: SlaClockRow, channel: string): void {
  if (clock.state !== 'running' || clock.resumedAt === null) {
    clock.dueAt = clock.state === 'paused' ? null : clock.dueAt;
    clock.warnAt = null;
    return;
  }
  const warnMs = Math.floor((clock.targetMs * slaWarningPercent) / 100);
  clock.dueAt = advance(environment, clock, channel, clock.resumedAt, Math.max(0, clock.targetMs - clock.elapsedMs));
  clock.warnAt = advance(environment, clock, channel, clock.resumedAt, Math.max(0, warnMs - clock.elapsedMs));
}

function applyTarget(clock: SlaClockRow, policyName: string, target: StoredSlaTarget): void {
  clock.policyName = policyName;
  clock.clock = target.clock;
  clock.calendarName = target.clock === 'business' ? target.calendar : null;
  clock.targetMs = target.minutes * 60_000;
}

/**
 * Applies one conversation event to its clocks. Pure apart from the calendars: the same events
 * under the same rules give the same clocks, which is what makes a replay safe.
 */
export class ClockBook {
  readonly announcements: SlaAnnouncement[] = [];

  constructor(
    private readonly environment: SlaEnvironment,
    public conversation: SlaConversation,
    readonly clocks: Map<SlaTargetName, SlaClockRow>,
  ) {}

  apply(event: ClockEvent): void {
    this.handle(event);
    // Clocks this event left alone were perhaps computed under older rules: bring them up to date too.
    if (this.conversation.rulesVersion !== this.environment.rules.version) this.reschedule();
  }

  private handle(event: ClockEvent): void {
    const at = event.occurredAt;
    const payload = event.payload;
    switch (event.type) {
      case conversationEvents.created:
        this.created(event);
        return;
      case conversationEvents.messagePosted: {
        if (payload.isInternal === true) return;
        const author = payload.authorType;
        if (author === 'customer' || author === 'visitor') {
          // The first unanswered customer message starts the reply clock; later ones wait for the same answer.
          if (!this.conversation.hasAgentReplied) {
            const first = this.clocks.get('first_reply');
            if (!first || !isActive(first)) this.start('first_reply', at);
          } else {
            const next = this.clocks.get('next_reply');
            if (!next || !isActive(next)) this.start('next_reply', at);
          }
        } else if (author === 'agent') {
          this.conversation.hasAgentReplied = true;
          for (const target of replyTargets) this.stop(target, at);
        }
        return;
      }
      case conversationEvents.statusChanged:
      case conversationEvents.resolved:
      case conversationEvents.reopened:
      case conversationEvents.closed:
        this.statusChanged(String(payload.to ?? ''), at);
        return;
      case conversationEvents.priorityChanged:
        this.conversation.priority = String(payload.to ?? this.conversation.priority);
        this.retarget(at);
        return;
      case conversationEvents.categoryChanged:
        this.conversation.category = String(payload.to ?? this.conversation.category);
        this.retarget(at);
        return;
      default:
        return;
    }
  }

  /** Recomputes due times under new rules (a policy or calendar changed), keeping what was counted. */
  reschedule(): void {
    const policy = policyFor(this.environment.rules, this.conversation);
    for (const clock of this.clocks.values()) {
      if (!isActive(clock)) continue;
      const target = policy ? targetOf(policy, clock.target) : null;
      if (target && policy) applyTarget(clock, policy.name, target);
      schedule(this.environment, clock, this.conversation.channel);
    }
    this.conversation.rulesVersion = this.environment.rules.version;
  }

  private created(event: ClockEvent): void {
    // Older email conversations were announced twice (timeline and mail thread), and a replay still reads both: the first counts.
    const known = this.conversation.createdEventId;
    if (known !== null && event.id > known) return;
    const payload = event.payload;
    this.conversation = {
      channel: typeof payload.channel === 'string' ? payload.channel : this.conversation.channel,
      category: typeof payload.category === 'string' ? payload.category : this.conversation.category,
      priority: typeof payload.priority === 'string' ? payload.priority : 'normal',
      status: 'open',
      hasAgentReplied: false,
      createdEventId: event.id,
      rulesVersion: this.environment.rules.version,
    };
    // A replay starts over: every clock's run count from zero (announcements remember what was said).
    for (const clock of this.clocks.values()) {
      clock.cycle = 0;
      clock.state = 'cancelled';
      clock.resumedAt = null;
      clock.elapsedMs = 0;
      clock.dueAt = null;
      clock.warnAt = null;
      clock.stoppedAt = null;
      clock.pausedReason = null;
    }
    this.start('resolution', event.occurredAt);
  }

  private statusChanged(to: string, at: Date): void {
    const from = this.conversation.status;
    this.conversation.status = to || from;
    if (to === 'pending') {
      // The SLA clock pauses while we wait for the customer.
      for (const clock of this.clocks.values()) if (clock.state === 'running') this.pause(clock, at);
    } else if (to === 'open') {
      for (const clock of this.clocks.values()) if (clock.state === 'paused') this.resume(clock, at);
      const resolution = this.clocks.get('resolution');
      // Reopened: the case was not solved after all, so its resolution time goes on from where it stood.
      if ((from === 'resolved' || from === 'closed') && resolution && !isActive(resolution) && resolution.state !== 'cancelled') {
        resolution.cycle += 1;
        resolution.state = 'running';
        resolution.resumedAt = at;
        resolution.stoppedAt = null;
        schedule(this.environment, resolution, this.conversation.channel);
      }
    } else if (to === 'resolved' || to === 'closed') {
      // Nothing more is owed on a solved case: open reply clocks end without an outcome.
      for (const target of replyTargets) {
        const clock = this.clocks.get(target);
        if (clock && isActive(clock)) this.end(clock, at, 'cancelled');
      }
      this.stop('resolution', at);
    }
  }

  private start(target: SlaTargetName, at: Date): void {
    const policy = policyFor(this.environment.rules, this.conversation);
    const amount = policy ? targetOf(policy, target) : null;
    if (!policy || !amount) return;
    const existing = this.clocks.get(target);
    const clock: SlaClockRow = existing ?? {
      target,
      policyName: policy.name,
      clock: amount.clock,
      calendarName: null,
      targetMs: 0,
      cycle: 0,
      state: 'running',
      pausedReason: null,
      startedAt: at,
      resumedAt: at,
      elapsedMs: 0,
      dueAt: null,
      warnAt: null,
      stoppedAt: null,
      warnedCycle: 0,
      breachedCycle: 0,
      announcedCycle: 0,
    };
    applyTarget(clock, policy.name, amount);
    clock.cycle += 1;
    clock.startedAt = at;
    clock.elapsedMs = 0;
    clock.stoppedAt = null;
    clock.pausedReason = null;
    if (this.conversation.status === 'pending') {
      clock.state = 'paused';
      clock.pausedReason = 'pending';
      clock.resumedAt = null;
    } else {
      clock.state = 'running';
      clock.resumedAt = at;
    }
    this.clocks.set(target, clock);
    schedule(this.environment, clock, this.conversation.channel);
  }

  private pause(clock: SlaClockRow, at: Date): void {
    clock.elapsedMs += measure(this.environment, clock, this.conversation.channel, clock.resumedAt ?? at, at);
    clock.state = 'paused';
    clock.pausedReason = 'pending';
    clock.resumedAt = null;
    schedule(this.environment, clock, this.conversation.channel);
  }

  private resume(clock: SlaClockRow, at: Date): void {
    clock.state = 'running';
    clock.pausedReason = null;
    clock.resumedAt = at;
    schedule(this.environment, clock, this.conversation.channel);
  }

  /** Stops a target's clock with its outcome: met if no more than the target was counted. */
  private stop(target: SlaTargetName, at: Date): void {
    const clock = this.clocks.get(target);
    if (!clock || !isActive(clock)) return;
    if (clock.state === 'running')
      clock.elapsedMs += measure(this.environment, clock, this.conversation.channel, clock.resumedAt ?? at, at);
    const isMet = clock.elapsedMs <= clock.targetMs;
    this.end(clock, at, isMet ? 'met' : 'breached');
    if (isMet && clock.announcedCycle < clock.cycle) {
      clock.announcedCycle = clock.cycle;
      this.announcements.push({ kind: 'met', clock: { ...clock }, at });
    } else if (!isMet && clock.breachedCycle < clock.cycle) {
      // Stopped late before the breach job saw it: the breach is recorded now, once.
      clock.breachedCycle = clock.cycle;
      clock.warnedCycle = clock.cycle;
      clock.announcedCycle = clock.cycle;
      this.announcements.push({ kind: 'breached', clock: { ...clock }, at });
    } else clock.announcedCycle = Math.max(clock.announcedCycle, clock.cycle);
  }

  private end(clock: SlaClockRow, at: Date, state: 'met' | 'breached' | 'cancelled'): void {
    clock.state = state;
    clock.stoppedAt = at;
    clock.resumedAt = null;
    clock.pausedReason = null;
    clock.warnAt = null;
    if (state === 'cancelled') clock.dueAt = null;
  }

  /** A new priority or category may bring another policy: running clocks keep what they counted. */
  private retarget(at: Date): void {
    const policy = policyFor(this.environment.rules, this.conversation);
    for (const clock of this.clocks.values()) {
      if (!isActive(clock)) continue;
      const target = policy ? targetOf(policy, clock.target) : null;
      if (clock.state === 'running') {
        clock.elapsedMs += measure(this.environment, clock, this.conversation.channel, clock.resumedAt ?? at, at);
        clock.resumedAt = at;
      }
      if (!policy || !target) {
        this.end(clock, at, 'cancelled');
        continue;
      }
      applyTarget(clock, policy.name, target);
      schedule(this.environment, clock, this.conversation.channel);
    }
  }
}

/** How urgent a conversation's clocks make it: 2 breached, 1 past the warning share, 0 otherwise. */
export function riskOf(clocks: Iterable<SlaClockRow>): number {
  let risk = 0;
  for (const clock of clocks) {
    if (clock.state !== 'running') continue;
    if (clock.breachedCycle >= clock.cycle) risk = 2;
    else if (clock.warnedCycle >= clock.cycle) risk = Math.max(risk, 1);
  }
  return risk;
}

/** The earliest due time among running clocks (of the given targets): what the inbox sorts by. */
export function nextDue(clocks: Iterable<SlaClockRow>, targets?: readonly SlaTargetName[]): Date | null {
  let due: Date | null = null;
  for (const clock of clocks) {
    if (targets && !targets.includes(clock.target)) continue;
    if (clock.state === 'running' && clock.dueAt && (due === null || clock.dueAt < due)) due = clock.dueAt;
  }
  return due;
}

/** What the conversation row carries for the inbox and the queue. */
export function projectionOf(clocks: readonly SlaClockRow[]): SlaProjection {
  return { replyDue: nextDue(clocks, replyTargets), nextDue: nextDue(clocks), risk: riskOf(clocks) };
}
export type SlaProjection = { replyDue: Date | null; nextDue: Date | null; risk: number };
