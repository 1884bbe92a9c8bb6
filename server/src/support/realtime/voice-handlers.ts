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
import type { Caller, SocketEvents, Staff } from './socket-events.js';
import type { ChatSocket } from './socket-types.js';

const noPayload = z.strictObject({});

/** A side's own reason, in the log's words: a hang-up names who hung up. */
function dispositionOf(reason: VoiceEndReason, side: 'customer' | 'agent'): VoiceDispositionReason {
  if (reason === 'hang_up') return side === 'customer' ? 'customer_hung_up' : 'agent_hung_up';
  return reason;
}

/** A socket's own room on a call, and the other side's. */
const ownRoom = (side: 'customer' | 'agent') => (side === 'agent' ? rooms.voiceAgent : rooms.voiceCaller);
const otherRoom = (side: 'customer' | 'agent') => (side === 'agent' ? rooms.voiceCaller : rooms.voiceAgent);

function sideOf(participant: Caller | Staff): Exclude<CallSide, { side: 'system' }> {
  return participant.kind === 'staff' ? { side: 'agent', staffId: participant.staffId } : { side: 'customer', participant };
}

/** Puts the socket in its side's room of the call (the use cases call it once the call admits it). */
function joinerOf(socket: ChatSocket, side: 'customer' | 'agent'): (callId: string) => Promise<void> {
  return async (callId) => {
    await socket.join(ownRoom(side)(callId));
  };
}

/**
 * In-app voice calls over the chat socket: the caller starts, both sides signal WebRTC to each
 * other through the call's rooms, agents answer, decline, hold and transfer, and either side mutes
 * and hangs up. Call ids come from clients: every use case checks that the sender is on the call.
 */
export function registerVoiceHandlers(deps: VoiceDeps, events: { caller: SocketEvents<Caller>; staff: SocketEvents<Staff> }): void {
  events.caller.on('voice:start', voiceStartSchema, async (payload, socket, caller) => {
    const callId = await startVoiceCall(
      deps,
      caller,
      { category: payload.category, links: payload.links, locale: payload.locale ?? socket.data.locale },
      joinerOf(socket, 'customer'),
    );
    return { call: await loadVoiceCall(deps, callId) };
  });

  for (const isStaff of [false, true]) {
    const { on } = (isStaff ? events.staff : events.caller) as SocketEvents<Caller | Staff>;
    const sideName = isStaff ? 'agent' : 'customer';
    const own = ownRoom(sideName);
    const other = otherRoom(sideName);

    on('voice:rejoin', voiceRejoinSchema, async (payload, socket, participant) => ({
      call: await rejoinVoiceCall(deps, participant, payload.callId, { hasMedia: payload.hasMedia }, joinerOf(socket, sideName)),
    }));

    on('voice:end', voiceEndSchema, async (payload, _socket, participant) => {
      const side = sideOf(participant);
      const call = await endVoiceCall(deps, payload.callId, side, dispositionOf(payload.reason, side.side));
      return { call: call ?? (await loadVoiceCall(deps, payload.callId)) };
    });

    on('voice:mute', voiceMuteSchema, async (payload, _socket, participant) => ({
      call: await setVoiceMedia(deps, payload.callId, sideOf(participant), { kind: 'mute', isMuted: payload.isMuted }),
    }));

    // Relayed as they come, to the other side's socket on whichever node it is. Only a socket the
    // call admitted is in its room; descriptions (which start or change media) are also checked
    // against the call as it is now.
    on('voice:signal', voiceSignalSchema, async (payload, socket, participant) => {
      if (!socket.rooms.has(own(payload.callId))) throw VoiceError('voice_call_not_found');
      if (payload.description) await assertMaySignal(deps.db, payload.callId, sideOf(participant));
      socket.to(other(payload.callId)).emit('voice:signal', { ...payload, from: sideName });
      return { ok: true as const };
    });
  }

  const { on } = events.staff;
  on('voice:current', noPayload, async (_payload, _socket, agent) => ({ calls: await listAgentVoiceCalls(deps, agent.staffId) }));
  on('voice:answer', voiceCallRefSchema, async (payload, socket, agent) => ({
    call: await answerVoiceCall(deps, agent, payload.callId, joinerOf(socket, 'agent')),
  }));
  on('voice:decline', voiceDeclineSchema, async (payload, _socket, agent) => {
    await passOnVoiceCall(deps, payload.callId, { reason: 'declined', staffId: agent.staffId, why: payload.reason });
    return { ok: true as const };
  });
  on('voice:hold', voiceHoldSchema, async (payload, _socket, agent) => ({
    call: await setVoiceMedia(deps, payload.callId, sideOf(agent), { kind: 'hold', isOnHold: payload.isOnHold }),
  }));
  on('voice:transfer', voiceTransferSchema, async (payload, _socket, agent) => ({
    call: await transferVoiceCall(deps, agent, payload.callId, payload.agentId),
  }));
}
