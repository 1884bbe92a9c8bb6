import type { StoredSlaTarget } from './sla.tables.js';

export type SlaPolicyDefinition = {
  name: string;
  channel: 'chat' | 'email' | 'phone';
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  category: string | null;
  firstReply: StoredSlaTarget | null;
  nextReply: StoredSlaTarget | null;
  resolution: StoredSlaTarget | null;
};

/** Share of a target used at which the assignee and supervisors are warned. */
export const slaWarningPercent = 80;

// Complex cases are resolved within 3 business days: 27 business hours of the office calendar
// (09:00–18:00 working days, China's holidays and make-up workdays).
const threeBusinessDays: StoredSlaTarget = { minutes: 3 * 9 * 60, clock: 'business', calendar: 'default' };

/**
 * What ships before an administrator changes anything, matching what the home page promises:
 * chat answered within 2 minutes while chat is staffed, email within 48 hours on the wall clock.
 */
export const shippedPolicies: readonly SlaPolicyDefinition[] = [
  {
    name: 'chat',
    channel: 'chat',
    priority: null,
    category: null,
    firstReply: { minutes: 2, clock: 'business', calendar: null },
    nextReply: { minutes: 5, clock: 'business', calendar: null },
    resolution: threeBusinessDays,
  },
  {
    name: 'email',
    channel: 'email',
    priority: null,
    category: null,
    firstReply: { minutes: 48 * 60, clock: 'wall', calendar: null },
    nextReply: { minutes: 48 * 60, clock: 'wall', calendar: null },
    resolution: threeBusinessDays,
  },
  {
    name: 'phone',
    channel: 'phone',
    priority: null,
    category: null,
    firstReply: null,
    nextReply: null,
    resolution: threeBusinessDays,
  },
];
