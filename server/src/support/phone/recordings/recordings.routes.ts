import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import {
  callbackNumberSchema,
  callNumbersSchema,
  conversationCategorySchema,
  errorBodySchema,
  voicemailReceiptSchema,
} from '@okpay/contracts';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../../identity/index.js';
import { type App, AppError, allowAnyOrigin } from '../../../platform/index.js';
import { chatParticipant, requireChatParticipant } from '../../chat-auth.js';
import { staffParticipant } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { leaveVoicemail } from './leave-voicemail.js';
import { playRecording } from './play-recording.js';
import { RecordingError } from './recordings.errors.js';
import { revealCallbackNumber, revealCallNumbers } from './reveal-call-numbers.js';

const idParams = z.object({ id: z.uuid() });
const voicemailHeaders = z.object({
  'idempotency-key': z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Required: 8–100 letters, digits, - or _; a retried upload sends the same' }),
});
const rangeHeaders = z.object({ range: z.string().max(200).optional() });
const formFields = new Set(['category', 'seconds']);

type VoicemailForm = { bytes: Buffer; category: z.infer<typeof conversationCategorySchema>; seconds: number | null };

/**
 * Reads the upload's parts: the recording (`file`, at most VOICEMAIL_MAX_MB, cut off while
 * streaming) and the optional `category` and `seconds` (the recorder's own timer). Unknown
 * fields, a second file or values that are not what they should be are refused.
 */
async function readVoicemailForm(parts: AsyncIterableIterator<Multipart>, maxBytes: number): Promise<VoicemailForm> {
  let bytes: Buffer | undefined;
  let category: VoicemailForm['category'] = 'other';
  let seconds: number | null = null;
  const tooLarge = () => RecordingError('voicemail_too_large', { limit: `${Math.round(maxBytes / 1024 / 1024)} MB` });
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || bytes) {
        part.file.resume();
        throw RecordingError('voicemail_field_invalid', { field: 'file' });
      }
      bytes = await part.toBuffer().catch((error: unknown) => {
        // Cut off at the limit while streaming; anything else is a form the parser could not finish.
        if ((error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw RecordingError('voicemail_field_invalid', { field: 'form' });
      });
      if (part.file.truncated) throw tooLarge();
      continue;
    }
    if (!formFields.has(part.fieldname) || typeof part.value !== 'string')
      throw RecordingError('voicemail_field_invalid', { field: 'form' });
    if (part.fieldname === 'category') {
      const parsed = conversationCategorySchema.safeParse(part.value);
      if (!parsed.success) throw RecordingError('voicemail_field_invalid', { field: 'category' });
      category = parsed.data;
    } else {
      const value = /^\d{1,4}(\.\d{1,3})?$/.test(part.value) ? Number(part.value) : Number.NaN;
      if (!(value >= 0 && value <= 3600)) throw RecordingError('voicemail_field_invalid', { field: 'seconds' });
      seconds = value;
    }
  }
  if (!bytes) throw RecordingError('voicemail_file_missing');
  return { bytes, category, seconds };
}

/**
 * Recordings: the widget's voicemail upload (chat token, any origin), and for staff the audited
 * streaming of a recording and the audited full numbers of a call.
 */
export async function registerRecordingRoutes(app: App, deps: SupportDeps) {
  const chatOnly = requireChatParticipant(deps);
  const staffOnly = requireStaff(deps);
  allowAnyOrigin(app, /^\/api\/support\/voicemails(?:[/?]|$)/);

  await app.register(async (scope) => {
    const maxBytes = deps.config.telephony.voicemailMaxBytes;
    await scope.register(fastifyMultipart, {
      limits: { fileSize: maxBytes, files: 1, fields: 2, parts: 3, fieldSize: 64, fieldNameSize: 32, headerPairs: 20 },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/support/voicemails',
      {
        schema: {
          tags: ['support'],
          summary:
            'Leave a voicemail recorded in the widget (multipart: file = WebM, Ogg or MP4 audio; optional category, seconds; x-chat-token, Idempotency-Key): it becomes a phone conversation with its call in state voicemail',
          consumes: ['multipart/form-data'],
          headers: voicemailHeaders,
          response: {
            201: voicemailReceiptSchema,
            400: errorBodySchema,
            401: errorBodySchema,
            404: errorBodySchema,
            413: errorBodySchema,
            415: errorBodySchema,
            422: errorBodySchema,
          },
        },
        preHandler: chatOnly,
      },
      async (request, reply) => {
        const caller = await chatParticipant(deps, request);
        const key = request.headers['idempotency-key'];
        if (key === undefined || key === '') throw RecordingError('voicemail_idempotency_key_missing');
        if (!request.isMultipart()) throw RecordingError('voicemail_file_missing');
        const form = await readVoicemailForm(request.parts(), maxBytes).catch((error: unknown) => {
          // A form the parser gives up on (cut off, over its limits, not a form at all) is the client's to fix.
          if (error instanceof AppError) throw error;
          throw RecordingError('voicemail_field_invalid', { field: 'form' });
        });
        const { receipt, isReplay } = await leaveVoicemail(deps, {
          caller,
          idempotencyKey: key,
          bytes: form.bytes,
          category: form.category,
          clientSeconds: form.seconds,
          locale: request.locale,
        });
        if (isReplay) reply.header('idempotent-replayed', 'true');
        return reply.status(201).send(receipt);
      },
    );
  });

  app.get(
    '/api/agent/recordings/:id',
    {
      schema: {
        tags: ['agent console'],
        summary:
          'Stream a call recording (staff; Range requests answered 206). Every request is written to the audit log; an expired recording answers 410',
        params: idParams,
        headers: rangeHeaders,
        response: { 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema, 416: errorBodySchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const played = await playRecording(deps, {
        actor: staffParticipant(staffOf(request)),
        recordingId: request.params.id,
        range: request.headers.range,
        ip: request.ip,
      }).catch((error: unknown) => {
        // A range past the end is answered with the length (RFC 9110), so the player can ask again.
        const size = error instanceof AppError ? (error.details as { size?: unknown } | undefined)?.size : undefined;
        if (typeof size === 'number') reply.header('content-range', `bytes */${size}`);
        throw error;
      });
      // Bytes, not JSON: sent as they are, past the JSON response schemas (which cover the refusals).
      const raw = reply as FastifyReply;
      if (played.isPartial) raw.status(206).header('content-range', `bytes ${played.from}-${played.to}/${played.total}`);
      return (
        raw
          .header('content-type', played.mimeType)
          .header('content-length', played.bytes.length)
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, no-store')
          // Only the console's own pages may load it (the session cookie is SameSite=Lax too).
          .header('cross-origin-resource-policy', 'same-origin')
          .header('content-disposition', `inline; filename="${played.fileName}"`)
          .send(played.bytes)
      );
    },
  );

  app.post(
    '/api/agent/calls/:id/numbers',
    {
      schema: {
        tags: ['agent console'],
        summary: 'A call’s numbers in full, for dialling back (staff; lists show them masked). Every request is written to the audit log',
        params: idParams,
        response: { 200: callNumbersSchema, 404: errorBodySchema },
      },
      preHandler: staffOnly,
    },
    async (request) => {
      return revealCallNumbers(deps, {
        actor: staffParticipant(staffOf(request)),
        callId: request.params.id,
        ip: request.ip,
      });
    },
  );

  app.post(
    '/api/agent/callbacks/:id/number',
    {
      schema: {
        tags: ['agent console'],
        summary:
          'The number a booked callback is to be made to, in full (staff; lists show it masked). Every request is written to the audit log',
        params: idParams,
        response: { 200: callbackNumberSchema, 404: errorBodySchema },
      },
      preHandler: staffOnly,
    },
    async (request) => {
      return revealCallbackNumber(deps, {
        actor: staffParticipant(staffOf(request)),
        callbackId: request.params.id,
        ip: request.ip,
      });
    },
  );
}
