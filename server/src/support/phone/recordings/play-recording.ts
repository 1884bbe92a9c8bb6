import { type AudioType, audioFileExtensions, recordAudit } from '../../../platform/index.js';
import { getConversationFor } from '../../conversations/get-conversation.js';
import type { Participant } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { findCall } from '../phone.repository.js';
import { RecordingError } from './recordings.errors.js';
import { findRecording, readRecordingBytes } from './recordings.repository.js';

/** A single `bytes=` range as a player asks for it: `from-`, `from-to` or the last `-n` bytes. */
export type ByteRange = { from: number; to: number | null } | { suffix: number };

/** Parses a Range header; undefined when absent, 'invalid' for one we do not serve (several ranges, other units, nonsense). */
export function parseRange(header: string | undefined): ByteRange | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return 'invalid';
  const [, from, to] = match as unknown as [string, string, string];
  if (from === '' && to === '') return 'invalid';
  if (from === '') return { suffix: Number(to) };
  return { from: Number(from), to: to === '' ? null : Number(to) };
}

export type RecordingBytes = {
  mimeType: string;
  total: number;
  /** Inclusive, zero-based; the whole file when no range was asked for. */
  from: number;
  to: number;
  isPartial: boolean;
  bytes: Buffer;
  fileName: string;
};

/**
 * A staff member plays a recording (or a part of it, as players ask by range). Recordings are
 * personal data: every access is written to the audit log with who, which recording, its call,
 * conversation and customer, like every opening of the wallet panel. Expired recordings answer
 * 410, ones still being fetched from the provider 409.
 */
export async function playRecording(
  deps: Pick<SupportDeps, 'db'>,
  input: { actor: Participant & { kind: 'staff' }; recordingId: string; range: string | undefined; ip: string },
): Promise<RecordingBytes> {
  const recording = await findRecording(deps.db, input.recordingId);
  if (!recording) throw RecordingError('recording_not_found');
  const call = await findCall(deps.db, recording.callId);
  if (!call) throw RecordingError('recording_not_found');
  const conversation = await getConversationFor(deps.db, call.conversationId, input.actor);
  if (recording.state === 'expired') throw RecordingError('recording_expired');
  if (recording.state !== 'stored' || recording.size === null || recording.mimeType === null) throw RecordingError('recording_not_ready');
  const total = recording.size;
  const range = parseRange(input.range);
  // The refusal carries the length, so the player can ask again for bytes that exist.
  const unsatisfiable = () => RecordingError('recording_range_invalid', {}, { size: total });
  if (range === 'invalid') throw unsatisfiable();
  let from = 0;
  let to = total - 1;
  if (range && 'suffix' in range) {
    if (range.suffix === 0) throw unsatisfiable();
    from = Math.max(0, total - range.suffix);
  } else if (range) {
    if (range.from >= total) throw unsatisfiable();
    from = range.from;
    to = Math.min(total - 1, range.to ?? total - 1);
    if (to < from) throw unsatisfiable();
  }
  const bytes = await readRecordingBytes(deps.db, recording.id, from, to);
  // Expired between the two reads: as if it had been asked a moment later.
  if (!bytes) throw RecordingError('recording_expired');
  await recordAudit(deps.db, {
    actor: { type: 'staff', id: input.actor.staffId },
    action: 'call.recording_played',
    target: { type: 'call_recording', id: recording.id },
    ip: input.ip,
    details: {
      callId: call.id,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      visitorId: conversation.customerId ? null : conversation.visitorId,
      range: range ? `${from}-${to}` : null,
    },
  });
  const extension = audioFileExtensions[recording.mimeType as AudioType] ?? 'bin';
  return {
    mimeType: recording.mimeType,
    total,
    from,
    to,
    isPartial: range !== undefined,
    bytes,
    fileName: `voicemail-${recording.createdAt.toISOString().slice(0, 10)}-${recording.id.slice(0, 8)}.${extension}`,
  };
}
