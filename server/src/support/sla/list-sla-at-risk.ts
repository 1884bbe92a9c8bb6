import type { SlaAtRisk, SlaAtRiskItem } from '@okpay/contracts';
import type { Clock } from '../../platform/index.js';
import type { HoursDeps } from '../hours/support-hours.js';
import { listAtRiskClocks } from './sla.repository.js';
import { currentSlaEnvironment } from './sla-rules.js';
import { clockView } from './sla-view.js';

/**
 * Supervisors' "at risk now": running clocks that have used their warning share or are past due,
 * breached first and then by due time, with counts of each.
 */
export async function listSlaAtRisk(deps: HoursDeps & { clock: Clock }, limit = 100): Promise<SlaAtRisk> {
  const now = deps.clock.now();
  const [found, environment] = await Promise.all([listAtRiskClocks(deps.db, now, limit), currentSlaEnvironment(deps)]);
  const items: SlaAtRiskItem[] = found.records.map((record) => ({
    conversationId: record.conversationId,
    channel: record.channel as SlaAtRiskItem['channel'],
    priority: record.priority as SlaAtRiskItem['priority'],
    status: record.status as SlaAtRiskItem['status'],
    customerName: record.customerName,
    subject: record.subject,
    assigneeId: record.assigneeId,
    assigneeName: record.assigneeName,
    clock: clockView(environment, record.clock, record.channel, now),
  }));
  return { asOf: now.toISOString(), breached: found.breached, warning: found.total - found.breached, items };
}
