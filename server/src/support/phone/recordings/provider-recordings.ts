import { createHash } from 'node:crypto';
import {
  type AudioType,
  audioDurationMs,
  detectAudioType,
  type Transaction,
  withTransaction,
  withWebmDuration,
} from '../../../platform/index.js';
import type { SupportDeps } from '../../support-deps.js';
import type { CallRow } from '../phone.repository.js';
import {
  findRecording,
  findRecordingForUpdate,
  insertProviderRecording,
  storeRecordingBytes,
  updateRecordingFetch,
} from './recordings.repository.js';

export const recordingFetchQueue = 'support.recording-fetch';

/** A provider's recording larger than this is not audio we asked for. */
const providerRecordingMaxBytes = 50 * 1024 * 1024;
const fetchTimeoutMs = 30_000;

export type ProviderRecording = { url: string; providerRecordingId: string | null; durationMs: number | null };

/**
 * In the transaction that puts the call into `voicemail`: the provider's recording as a pending
 * row, and the job that fetches its bytes (committed together, so neither exists without the other).
 */
export async function queueProviderRecording(
  tx: Transaction,
  deps: Pick<SupportDeps, 'jobs' | 'config'>,
  call: CallRow,
  recording: ProviderRecording,
  at: Date,
): Promise<void> {
  const row = await insertProviderRecording(tx, {
    callId: call.id,
    providerUrl: recording.url,
    providerRecordingId: recording.providerRecordingId,
    durationMs: recording.durationMs,
    createdAt: at,
  });
  if (!row) return;
  await deps.jobs.send(
    recordingFetchQueue,
    { recordingId: row.id },
    {
      tx: tx.$client,
      singletonKey: row.id,
      retryLimit: deps.config.telephony.recordingFetchAttempts - 1,
      retryDelaySeconds: deps.config.telephony.recordingFetchRetrySeconds,
    },
  );
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Recordings are fetched only from the provider's origins (TWILIO_RECORDING_ORIGINS), and outside
 * production from loopback too (the call simulator serves its recording there): a signed webhook
 * cannot make the node fetch anything else.
 */
export function isAllowedRecordingUrl(url: string, origins: readonly string[], isProduction: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (origins.includes(parsed.origin.toLowerCase())) return true;
  return !isProduction && parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname);
}

type Fetched = { ok: true; bytes: Buffer; type: AudioType } | { ok: false; error: string; final: boolean };

async function download(deps: Pick<SupportDeps, 'config'>, url: string): Promise<Fetched> {
  const { twilioAccountSid, twilioAuthToken } = deps.config.telephony;
  const headers: Record<string, string> = { accept: 'audio/*' };
  // Twilio protects recordings with HTTP basic auth (account SID and auth token) when the account asks for it.
  if (twilioAccountSid && twilioAuthToken)
    headers.authorization = `Basic ${Buffer.from(`${twilioAccountSid}:${twilioAuthToken}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(fetchTimeoutMs) });
  } catch (error) {
    return { ok: false, error: `unreachable: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), final: false };
  }
  // Twilio answers 404 for a moment after the call, until the recording is ready: worth another try, like a 5xx.
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, error: `HTTP ${response.status}`, final: response.status === 401 || response.status === 403 };
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > providerRecordingMaxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, error: `too large: ${declared} bytes`, final: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  try {
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
      size += part.value.length;
      if (size > providerRecordingMaxBytes) {
        await reader?.cancel().catch(() => undefined);
        return { ok: false, error: `too large: over ${providerRecordingMaxBytes} bytes`, final: true };
      }
      chunks.push(Buffer.from(part.value));
    }
  } catch (error) {
    return { ok: false, error: `cut off: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), final: false };
  }
  const bytes = Buffer.concat(chunks);
  const type = detectAudioType(bytes);
  if (!type)
    return { ok: false, error: `not audio (${response.headers.get('content-type') ?? 'no content type'})`.slice(0, 300), final: true };
  return { ok: true, bytes, type };
}

/**
 * The fetch job: the provider's recording is downloaded (with its credentials when configured)
 * and stored as ours. A failed try is written down and thrown, so the job runs again after a
 * growing wait, until RECORDING_FETCH_ATTEMPTS; then, or at once for a refusal that will not
 * change (credentials refused, not audio, too large, an origin not allowed), the recording is
 * marked failed.
 */
export async function fetchProviderRecording(deps: SupportDeps, recordingId: string): Promise<void> {
  const recording = await findRecording(deps.db, recordingId);
  if (recording?.state !== 'pending' || !recording.providerUrl) return;
  const url = recording.providerUrl;
  const fetched: Fetched = isAllowedRecordingUrl(url, deps.config.telephony.recordingOrigins, deps.config.isProduction)
    ? await download(deps, url)
    : { ok: false, error: 'origin not allowed (TWILIO_RECORDING_ORIGINS)', final: true };
  const at = deps.clock.now();
  const retry = await withTransaction(deps.pool, async (tx) => {
    const current = await findRecordingForUpdate(tx, recordingId);
    if (current?.state !== 'pending') return undefined;
    const attempts = current.fetchAttempts + 1;
    if (fetched.ok) {
      const data = fetched.type === 'audio/webm' ? withWebmDuration(fetched.bytes) : fetched.bytes;
      await storeRecordingBytes(tx, recordingId, {
        data,
        mimeType: fetched.type,
        durationMs: audioDurationMs(fetched.bytes, fetched.type) ?? current.durationMs,
        sha256: createHash('sha256').update(fetched.bytes).digest('hex'),
        at,
        fetchAttempts: attempts,
      });
      return undefined;
    }
    const givesUp = fetched.final || attempts >= deps.config.telephony.recordingFetchAttempts;
    await updateRecordingFetch(tx, recordingId, {
      fetchAttempts: attempts,
      lastError: fetched.error,
      ...(givesUp ? { state: 'failed' } : {}),
    });
    if (givesUp) deps.logger.warn({ recordingId, attempts, error: fetched.error }, 'gave up fetching a provider recording');
    return givesUp ? undefined : fetched.error;
  });
  if (retry) throw new Error(`recording ${recordingId} not fetched yet: ${retry}`);
}
