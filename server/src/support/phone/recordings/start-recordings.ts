import type { SupportDeps } from '../../support-deps.js';
import { expireRecordings, recordingRetentionQueue } from './expire-recordings.js';
import { fetchProviderRecording, recordingFetchQueue } from './provider-recordings.js';

/** Recordings on this node: the worker that fetches providers' recordings, and the hourly retention run (one node per run). */
export async function startRecordings(deps: SupportDeps): Promise<void> {
  await deps.jobs.work<{ recordingId: string }>(recordingFetchQueue, (job) => fetchProviderRecording(deps, job.recordingId));
  await deps.jobs.schedule(recordingRetentionQueue, '41 * * * *', async () => {
    await expireRecordings(deps);
  });
}
