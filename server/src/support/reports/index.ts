// Reports own the rollups built from the outbox and the supervisors' report API; staffing plans from them.
import type { EventSubscriptions } from '../../platform/index.js';
import { buildReports, type ReportDeps, reportEventTypes, reportsSubscriber } from './build-reports.js';

export { reportsSubscriber } from './build-reports.js';
export { registerReportRoutes } from './reports.routes.js';

/** Keeps the report tables from the first event ever published (a new install replays everything). */
export function subscribeReports(events: EventSubscriptions, deps: ReportDeps): void {
  events.subscribeBatch(reportsSubscriber, reportEventTypes, buildReports(deps));
}
