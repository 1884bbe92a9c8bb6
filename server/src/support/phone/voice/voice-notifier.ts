import type { QueueInfo, VoiceCall, VoiceRingStoppedEvent } from '@okpay/contracts';
import type { SupportDeps } from '../../support-deps.js';

/**
 * How voice use cases tell the people on a call what happened, after it commits. The realtime
 * layer implements it with Socket.IO rooms, which reach sockets on every node.
 */
export type VoiceNotifier = {
  /** The call as it now stands, to both sides (and the agent whose console rings for it). */
  callChanged(call: VoiceCall): void;
  /** An agent's consoles ring for the call. */
  ringing(agentId: string, call: VoiceCall): void;
  ringStopped(agentId: string, callId: string, reason: VoiceRingStoppedEvent['reason']): void;
  /** Every waiting caller's place in the queue. */
  queue(positions: ReadonlyMap<string, QueueInfo>): void;
  /** The agent side of the call is no longer that agent's (transferred away): their sockets leave it. */
  agentLeft(callId: string): void;
  /** The customer side should set media up again (the agent came back after a reload or a node's restart). */
  renegotiate(callId: string, isNewSession: boolean): void;
};

export type VoiceDeps = SupportDeps & { voice: VoiceNotifier };

/** Puts a socket into the call's room for its side: called once the use case has decided it may. */
export type JoinCall = (callId: string) => Promise<void>;
