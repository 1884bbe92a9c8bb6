import type { ConversationStatus } from '@okpay/contracts';
import type { ConversationPriority, PresenceStatus } from '../../api/agent-console';

export const statusColours: Record<ConversationStatus, string> = {
  open: 'blue',
  pending: 'gold',
  resolved: 'green',
  closed: 'default',
};

export const priorityColours: Record<ConversationPriority, string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export const presenceColours: Record<PresenceStatus, string> = {
  online: 'success',
  away: 'warning',
  offline: 'default',
};

export const priorities: ConversationPriority[] = ['low', 'normal', 'high', 'urgent'];
