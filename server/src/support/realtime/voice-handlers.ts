import {
  type VoiceDispositionReason,
  type VoiceEndReason,
  voiceCallRefSchema,
  voiceDeclineSchema,
  voiceEndSchema,
  voiceHoldSchema,
  voiceMuteSchema,
  voiceRejoinSchema,
  voiceSignalSchema,
  voiceStartSchema,
  voiceTransferSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import type { Participant } from '../conversations/participant.js';
import { answerVoiceCall } from '../phone/voice/answer-voice-call.js';
import type { CallSide } from '../phone/voice/call-side.js';
import { assertMaySignal } from '../phone/voice/check-signalling.js';
import { endVoiceCall } from '../phone/voice/end-voice-call.js';
import { loadVoiceCall } from '../phone/voice/load-voice-calls.js';
import { passOnVoiceCall } from '../phone/voice/pass-on-voice-call.js';
import { listAgentVoiceCalls, rejoinVoiceCall } from '../phone/voice/rejoin-voice-call.js';
import { setVoiceMedia } from '../phone/voice/set-voice-media.js';
import { startVoiceCall } from '../phone/voice/start-voice-call.js';
import { transferVoiceCall } from '../phone/voice/transfer-voice-call.js';
import { VoiceError } from '../phone/voice/voice.errors.js';
import type { VoiceDeps } from '../phone/voice/voice-notifier.js';
import { rooms } from './rooms.js';
import type { SocketEvents } from './socket-events.js';
import type { ChatSocket } from './socket-types.js';

const noPayload = z.strictObject({});

/** A side's own reason, in the log's words: a hang-up names who hung up. */
function dispositionOf(reason: VoiceEndReason, side: 'customer' | 'agent'): VoiceDispositionReason {
  if (reason === 'hang_up') return side === 'customer' ? 'customer_hung_up' : 'agent_hung_up';
  return reason;
}

/**
 * In-app voice calls over the chat socket: the caller starts, both sides signal WebRTC to each
 * other through the call's rooms, agents answer, decline, hold and transfer, and either side mutes
 * and hangs up. Call ids come from clients: every use case checks that the sender is on the call.
 */
export function registerVoiceHandlers(deps: VoiceDeps, socket: ChatSocket, { on }: SocketEvents): void {
  const { participant, locale } = socket.data;
  const isStaff = participant.kind === 'staff';
  const side: Exclude<CallSide, { side: 'system' }> =
    participant.kind === 'staff'
      ? { side: 'agent', staffId: participant.staffId }
      : { side: 'customer', participant: participant as Participant & { kind: 'customer' | 'visitor' } };
  const ownRoom = isStaff ? rooms.voiceAgent : rooms.voiceCaller;
  const otherRoom = isStaff ? rooms.voiceCaller : rooms.voiceAgent;
  const join = async (callId: string) => {
    await socket.join(ownRoom(callId));
  };

  if (side.side === 'customer') {
    const caller = side.participant;
    on('voice:start', voiceStartSchema, async (payload) => {
      const callId = await startVoiceCall(
        deps,
        caller,
        { category: payload.category, links: payload.links, locale: payload.locale ?? locale },
        join,
      );
      return { call: await loadVoiceCall(deps, callId) };
    });
  }

  on('voice:rejoin', voiceRejoinSchema, async (payload) => ({
    call: await rejoinVoiceCall(deps, participant, payload.callId, { hasMedia: payload.hasMedia }, join),
  }));

  on('voice:end', voiceEndSchema, async (payload) => {
    const call = await endVoiceCall(deps, payload.callId, side, dispositionOf(payload.reason, side.side));
    return { call: call ?? (await loadVoiceCall(deps, payload.callId)) };
  });

  on('voice:mute', voiceMuteSchema, async (payload) => ({
    call: await setVoiceMedia(deps, payload.callId, side, { kind: 'mute', isMuted: payload.isMuted }),
  }));

  // Relayed as they come, to the other side's socket on whichever node it is. Only a socket the
  // call admitted is in its room; descriptions (which start or change media) are also checked
  // against the call as it is now.
  on('voice:signal', voiceSignalSchema, async (payload) => {
    if (!socket.rooms.has(ownRoom(payload.callId))) throw VoiceError('voice_call_not_found');
    if (payload.description) await assertMaySignal(deps.db, payload.callId, side);
    socket.to(otherRoom(payload.callId)).emit('voice:signal', { ...payload, from: isStaff ? 'agent' : 'customer' });
    return { ok: true as const };
  });

  if (participant.kind === 'staff') {
    on('voice:current', noPayload, async () => ({ calls: await listAgentVoiceCalls(deps, participant.staffId) }));
    on('voice:answer', voiceCallRefSchema, async (payload) => ({ call: await answerVoiceCall(deps, participant, payload.callId, join) }));
    on('voice:decline', voiceDeclineSchema, async (payload) => {
      await passOnVoiceCall(deps, payload.callId, { reason: 'declined', staffId: participant.staffId, why: payload.reason });
      return { ok: true as const };
    });
    on('voice:hold', voiceHoldSchema, async (payload) => ({
      call: await setVoiceMedia(deps, payload.callId, side, { kind: 'hold', isOnHold: payload.isOnHold }),
    }));
    on('voice:transfer', voiceTransferSchema, async (payload) => ({
      call: await transferVoiceCall(deps, participant, payload.callId, payload.agentId),
    }));
  }
}
