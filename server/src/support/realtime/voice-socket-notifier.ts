import type { Logger } from '../../platform/index.js';
import type { VoiceNotifier } from '../phone/voice/voice-notifier.js';
import { rooms } from './rooms.js';
import { roomEmitter } from './socket-notifier.js';
import type { ChatServer } from './socket-types.js';

/** Tells the sockets on a call what happened, on every node, through the rooms the call's sides joined. */
export function voiceSocketNotifier(io: ChatServer, logger: Logger): VoiceNotifier {
  const emit = roomEmitter(io, logger);
  return {
    callChanged(call) {
      // The agents' own rooms too: a console between a reconnect and its rejoin still hears that the call ended.
      const agents = [call.agent?.id, call.ringingAgentId].filter((id): id is string => Boolean(id)).map(rooms.staff);
      emit([rooms.voiceCaller(call.id), rooms.voiceAgent(call.id), ...agents], 'voice:call', call);
    },
    ringing(agentId, call) {
      emit([rooms.staff(agentId)], 'voice:ringing', { call });
    },
    ringStopped(agentId, callId, reason) {
      emit([rooms.staff(agentId)], 'voice:ring-stopped', { callId, reason });
    },
    queue(positions) {
      for (const [callId, queue] of positions) emit([rooms.voiceCaller(callId)], 'voice:queue', { callId, queue });
    },
    agentLeft(callId) {
      io.in(rooms.voiceAgent(callId)).socketsLeave(rooms.voiceAgent(callId));
    },
    renegotiate(callId, isNewSession) {
      emit([rooms.voiceCaller(callId)], 'voice:renegotiate', { callId, isNewSession });
    },
  };
}
