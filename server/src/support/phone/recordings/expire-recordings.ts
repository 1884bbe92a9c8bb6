import { recordAudit } from '../../../platform/index.js';
import type { SupportDeps } from '../../support-deps.js';
import { expireRecordingsBefore } from './recordings.repository.js';

export const recordingRetentionQueue = 'support.recording-retention';
const batchSize = 200;

/**
 * The retention policy: recordings made more than RECORDING_RETENTION_DAYS ago lose their bytes
 * and are marked expired (the call and its log stay, and the console says the recording was
 * deleted per the policy). Runs hourly on one node; each batch is audited as the system's act.
 */
export async function expireRecordings(deps: Pick<SupportDeps, 'db' | 'clock' | 'config' | 'logger'>): Promise<number> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.config.telephony.recordingRetentionDays * 86_400_000);
  let expired = 0;
  for (;;) {
    const ids = await expireRecordingsBefore(deps.db, before, now, batchSize);
    if (ids.length > 0) {
      await recordAudit(deps.db, {
        actor: { type: 'system' },
        action: 'call.recordings_expired',
        details: { recordingIds: ids, retentionDays: deps.config.telephony.recordingRetentionDays, madeBefore: before.toISOString() },
      });
    }
    expired += ids.length;
    if (ids.length < batchSize) break;
  }
  if (expired > 0) deps.logger.info({ expired }, 'recordings deleted per the retention policy');
  return expired;
}
