import { createHash } from 'node:crypto';
import type { ConversationCategory, Locale, VoicemailReceipt } from '@okpay/contracts';
import { findCustomerById } from '../../../identity/index.js';
import {
  type AudioType,
  audioDurationMs,
  detectAudioType,
  holdTransactionLock,
  withTransaction,
  withWebmDuration,
} from '../../../platform/index.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import type { Participant } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { openCall } from '../open-call.js';
import { findCallByProviderId } from '../phone.repository.js';
import { applyCallEvent } from '../record-call-event.js';
import { RecordingError } from './recordings.errors.js';
import { insertRecording, listRecordingsOfCalls } from './recordings.repository.js';
import { formatRecordingLength, voicemailTexts } from './voicemail-texts.js';

/** Calls left from the widget carry this provider; their provider call id is the caller and the upload's idempotency key. */
export const widgetProvider = 'widget';

/** What browsers' MediaRecorder writes; anything else is refused, whatever it is called. */
const browserAudio: readonly AudioType[] = ['audio/webm', 'audio/ogg', 'audio/mp4'];
/** A recorder's timer and the container's clock may differ a little. */
const lengthToleranceMs = 2_000;

export const idempotencyKeyPattern = /^[A-Za-z0-9_-]{8,100}$/;

export type VoicemailUpload = {
  caller: Participant & { kind: 'customer' | 'visitor' };
  idempotencyKey: string;
  bytes: Buffer;
  category: ConversationCategory;
  /** The recorder's own timer, used only when the container does not tell the length. */
  clientSeconds: number | null;
  locale: Locale;
};

/**
 * A voicemail recorded in the widget becomes a phone conversation, like a caller's through the
 * telephony provider: the call opens and goes to its final state `voicemail` through the state
 * machine, with the recording stored, all in one transaction. The file must be audio a browser
 * records (proven by its bytes), not empty and not longer than VOICEMAIL_MAX_SECONDS. The same
 * idempotency key again (a retried upload) answers the voicemail already stored; with another
 * recording it is refused.
 */
export async function leaveVoicemail(
  deps: SupportDeps,
  upload: VoicemailUpload,
): Promise<{ receipt: VoicemailReceipt; isReplay: boolean }> {
  const { voicemailMaxSeconds, voicemailMaxBytes } = deps.config.telephony;
  if (!idempotencyKeyPattern.test(upload.idempotencyKey)) throw RecordingError('voicemail_idempotency_key_invalid');
  if (upload.bytes.length === 0) throw RecordingError('voicemail_empty');
  if (upload.bytes.length > voicemailMaxBytes)
    throw RecordingError('voicemail_too_large', { limit: `${Math.round(voicemailMaxBytes / 1024 / 1024)} MB` });
  const type = detectAudioType(upload.bytes);
  if (!type || !browserAudio.includes(type)) throw RecordingError('voicemail_type_not_allowed');
  const counted = audioDurationMs(upload.bytes, type);
  // A WebM whose blocks cannot be counted holds no audio at all.
  if (counted === 0 || (type === 'audio/webm' && counted === undefined)) throw RecordingError('voicemail_empty');
  const durationMs = counted ?? (upload.clientSeconds === null ? null : Math.round(upload.clientSeconds * 1000));
  if (durationMs !== null && durationMs > voicemailMaxSeconds * 1000 + lengthToleranceMs)
    throw RecordingError('voicemail_too_long', { seconds: voicemailMaxSeconds });
  const data = type === 'audio/webm' ? withWebmDuration(upload.bytes) : upload.bytes;
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const callerId = upload.caller.kind === 'customer' ? upload.caller.customerId : upload.caller.visitorId;
  const providerCallId = `${upload.caller.kind}:${callerId}:${upload.idempotencyKey}`;
  const customer = upload.caller.kind === 'customer' ? await findCustomerById(deps.db, upload.caller.customerId) : undefined;
  const at = deps.clock.now();

  const stored = await withTransaction(deps.pool, async (tx) => {
    // The same upload on two nodes at once: one stores it, the other finds it.
    await holdTransactionLock(tx, `call:${widgetProvider}:${providerCallId}`);
    const known = await findCallByProviderId(tx, widgetProvider, providerCallId);
    if (known) {
      const [recording] = await listRecordingsOfCalls(tx, [known.id]);
      if (!recording || recording.sha256 !== sha256) throw RecordingError('voicemail_idempotency_key_reused');
      return { call: known, recording, isReplay: true };
    }
    const opened = await openCall(tx, {
      provider: widgetProvider,
      providerCallId,
      direction: 'inbound',
      // The caller's own verified number when we know it; a visitor in a browser has none.
      from: customer?.phone && customer.phoneVerifiedAt ? customer.phone : '',
      to: '',
      owner: upload.caller.kind === 'customer' ? { customerId: upload.caller.customerId } : { visitorId: upload.caller.visitorId },
      isVerified: upload.caller.kind === 'customer',
      contactName: customer?.displayName ?? null,
      category: upload.category,
      locale: upload.locale,
      actor: { kind: 'system' },
      at,
    });
    const { call } = await applyCallEvent(tx, opened.call, { event: 'voicemail' }, at);
    const recording = await insertRecording(tx, {
      callId: call.id,
      source: 'browser',
      state: 'stored',
      mimeType: type,
      size: data.length,
      durationMs,
      sha256,
      data,
      createdAt: at,
      storedAt: at,
    });
    return { call, recording, isReplay: false };
  });

  if (!stored.isReplay) {
    const conversation = await findConversation(deps.db, stored.call.conversationId);
    if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'voicemail' });
  }
  const length = stored.recording.durationMs === null ? null : formatRecordingLength(stored.recording.durationMs);
  return {
    isReplay: stored.isReplay,
    receipt: {
      conversationId: stored.call.conversationId,
      callId: stored.call.id,
      recordingId: stored.recording.id,
      state: 'voicemail',
      durationSeconds: stored.recording.durationMs === null ? null : stored.recording.durationMs / 1000,
      message: voicemailTexts[upload.locale].received(length),
    },
  };
}
