import type { CallRecordingView } from '@okpay/contracts';
import type { RecordingRow } from './recordings.repository.js';

export const recordingPath = (recordingId: string) => `/api/agent/recordings/${recordingId}`;

/** A recording as the console lists it: where to stream it while its bytes are kept. */
export function toRecordingView(recording: RecordingRow): CallRecordingView {
  return {
    id: recording.id,
    source: recording.source,
    state: recording.state,
    mimeType: recording.mimeType,
    size: recording.size,
    durationSeconds: recording.durationMs === null ? null : recording.durationMs / 1000,
    createdAt: recording.createdAt.toISOString(),
    expiredAt: recording.expiredAt?.toISOString() ?? null,
    url: recording.state === 'stored' ? recordingPath(recording.id) : null,
  };
}
