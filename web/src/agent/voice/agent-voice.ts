import type { VoiceCall, VoiceSignalEvent } from '@okpay/contracts';
import { getVoiceIceServers } from '../../api/agent-console';
import type { ConsoleConnection } from '../console/console-connection';

/** What the console shows: the call ringing for this agent, the one they are on, and its media. */
export type AgentVoiceState = {
  ringing: VoiceCall | null;
  active: VoiceCall | null;
  isMuted: boolean;
  isMediaConnected: boolean;
  /** Answering: the microphone is being asked for and the server asked. */
  isAnswering: boolean;
  /** What went wrong on this console: a microphone problem or a refused action (in the server's words). */
  problem: { kind: 'microphone_denied' | 'no_microphone' | 'refused' | 'ice_failed'; message?: string } | null;
  /** The last call this console was on, once ended, with how it ended. */
  ended: VoiceCall | null;
};

const initial: AgentVoiceState = {
  ringing: null,
  active: null,
  isMuted: false,
  isMediaConnected: false,
  isAnswering: false,
  problem: null,
  ended: null,
};

/** How long a failed connection may recover (the caller restarts ICE) before the agent's side gives up. */
const iceRecoveryMs = 10_000;

function microphoneProblem(error: unknown): 'microphone_denied' | 'no_microphone' {
  const name = error instanceof DOMException ? error.name : '';
  return name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' ? 'no_microphone' : 'microphone_denied';
}

/**
 * The agent's side of in-app voice calls, one per console tab: the ringing call, answering with the
 * microphone, one RTCPeerConnection that answers the caller's offers (a new one per media session,
 * the same one for an ICE restart), mute, hold, transfer and hang-up over the console's socket, and
 * taking the call back up after a reconnect or a reload.
 */
export class AgentVoice {
  private state: AgentVoiceState = initial;
  private readonly listeners = new Set<() => void>();
  private readonly detach: Array<() => void> = [];
  private microphone: MediaStream | null = null;
  private peer: RTCPeerConnection | null = null;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private iceServers: RTCIceServer[] = [];
  private audio: HTMLAudioElement | null = null;
  private failureTimer: ReturnType<typeof setTimeout> | undefined;
  private seenConnections = 0;
  /** Signals for the call being answered that arrive before the server's answer to this console does. */
  private early: VoiceSignalEvent[] = [];

  constructor(private readonly connection: ConsoleConnection) {}

  // ── For React (useSyncExternalStore) ────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AgentVoiceState => this.state;

  private set(change: Partial<AgentVoiceState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  start(): void {
    const { connection } = this;
    this.detach.push(
      connection.on('voice:ringing', ({ call }) => {
        if (this.state.active?.id !== call.id) this.set({ ringing: call, problem: null });
      }),
      connection.on('voice:ring-stopped', ({ callId }) => {
        if (this.state.ringing?.id === callId) this.set({ ringing: null });
      }),
      connection.on('voice:call', (call) => this.onCall(call)),
      connection.on('voice:signal', (signal) => void this.onSignal(signal)),
      // After every (re)connect: what rings for this agent, and the call they were on.
      connection.watch(() => {
        const count = connection.getConnectionCount();
        if (count === this.seenConnections || !connection.isConnected) return;
        this.seenConnections = count;
        void this.catchUp();
      }),
    );
  }

  stop(): void {
    for (const off of this.detach.splice(0)) off();
    this.stopMedia();
  }

  // ── What the agent does ─────────────────────────────────────────────────────────────────────

  /** Answers the ringing call: the microphone first (without one the call goes to a colleague), then the server. */
  async answer(): Promise<VoiceCall | undefined> {
    const call = this.state.ringing;
    if (!call || this.state.isAnswering) return undefined;
    this.set({ isAnswering: true, problem: null, ended: null });
    try {
      this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      const kind = microphoneProblem(error);
      this.set({ isAnswering: false, ringing: null, problem: { kind } });
      await this.connection.request('voice:decline', { callId: call.id, reason: kind }).catch(() => undefined);
      return undefined;
    }
    void this.loadIceServers();
    try {
      const { call: answered } = await this.connection.request('voice:answer', { callId: call.id });
      this.set({ isAnswering: false, ringing: null, active: answered, isMuted: false });
      // The caller may have made its offer before this answer arrived: it is taken up now.
      for (const signal of this.early.splice(0)) await this.onSignal(signal);
      return answered;
    } catch (error) {
      this.early = [];
      this.stopMedia();
      this.set({ isAnswering: false, ringing: null, problem: { kind: 'refused', message: (error as Error).message } });
      return undefined;
    }
  }

  async decline(): Promise<void> {
    const call = this.state.ringing;
    if (!call) return;
    this.set({ ringing: null });
    await this.connection.request('voice:decline', { callId: call.id }).catch(() => undefined);
  }

  async hangUp(): Promise<void> {
    await this.end('hang_up');
  }

  async setMuted(isMuted: boolean): Promise<void> {
    const call = this.state.active;
    if (!call) return;
    this.set({ isMuted });
    this.applyTrackState();
    await this.act(() => this.connection.request('voice:mute', { callId: call.id, isMuted }));
  }

  async setOnHold(isOnHold: boolean): Promise<void> {
    const call = this.state.active;
    if (!call) return;
    await this.act(() => this.connection.request('voice:hold', { callId: call.id, isOnHold }));
  }

  /** To a colleague (their console rings) or back to the queue with null; this console's part of the call ends. */
  async transfer(agentId: string | null): Promise<boolean> {
    const call = this.state.active;
    if (!call) return false;
    const moved = await this.act(() => this.connection.request('voice:transfer', { callId: call.id, agentId }));
    if (!moved) return false;
    this.stopMedia();
    this.set({ active: null, isMuted: false });
    return true;
  }

  dismissEnded(): void {
    this.set({ ended: null, problem: null });
  }

  private async end(reason: 'hang_up' | 'ice_failed'): Promise<void> {
    const call = this.state.active;
    if (!call) return;
    const ended = await this.act(() => this.connection.request('voice:end', { callId: call.id, reason }));
    if (ended) this.onCall(ended.call);
  }

  /** Runs a request; a refusal is shown, the answer applied. */
  private async act<T extends { call: VoiceCall }>(request: () => Promise<T>): Promise<T | undefined> {
    try {
      const answer = await request();
      this.onCall(answer.call);
      return answer;
    } catch (error) {
      this.set({ problem: { kind: 'refused', message: (error as Error).message } });
      return undefined;
    }
  }

  // ── What the server says ────────────────────────────────────────────────────────────────────

  private onCall(call: VoiceCall): void {
    if (this.state.ringing?.id === call.id && call.ringingAgentId !== this.state.ringing.ringingAgentId) this.set({ ringing: null });
    if (this.state.active?.id !== call.id) return;
    if (call.phase === 'ended') {
      this.stopMedia();
      this.set({ active: null, ended: call, isMuted: false });
      return;
    }
    // Transferred away (by this agent, or taken over): this console is no longer on it.
    if (call.phase !== 'connected' || call.agent?.id !== this.state.active.agent?.id) {
      this.stopMedia();
      this.set({ active: null, isMuted: false });
      return;
    }
    this.set({ active: call });
    this.applyTrackState();
  }

  private async catchUp(): Promise<void> {
    let calls: VoiceCall[];
    try {
      ({ calls } = await this.connection.request('voice:current', {}));
    } catch {
      return;
    }
    const ringing = calls.find((call) => call.phase !== 'connected') ?? null;
    const active = calls.find((call) => call.phase === 'connected') ?? null;
    this.set({ ringing: this.state.isAnswering ? this.state.ringing : ringing });
    if (!active) return;
    // The same tab after a dropped connection keeps its media; a reloaded one needs its microphone again and a new session.
    const hasMedia = this.peer?.connectionState === 'connected';
    if (!this.microphone) {
      try {
        this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      } catch (error) {
        this.set({ problem: { kind: microphoneProblem(error) } });
      }
    }
    void this.loadIceServers();
    try {
      const { call } = await this.connection.request('voice:rejoin', { callId: active.id, hasMedia });
      this.set({ active: call.phase === 'connected' ? call : null, ended: call.phase === 'ended' ? call : null });
    } catch {
      // Not ours any more: nothing to take up.
    }
  }

  // ── Media ───────────────────────────────────────────────────────────────────────────────────

  private async loadIceServers(): Promise<void> {
    try {
      this.iceServers = (await getVoiceIceServers()).iceServers;
    } catch {
      // Without STUN/TURN the call still works where the two browsers reach each other directly.
    }
  }

  /** The caller always makes the offer: a new session opens a new connection, an ICE restart reuses this one. */
  private async onSignal(signal: VoiceSignalEvent): Promise<void> {
    if (this.state.isAnswering && signal.callId === this.state.ringing?.id) {
      this.early.push(signal);
      return;
    }
    const call = this.state.active;
    if (!call || signal.callId !== call.id || signal.from !== 'customer') return;
    try {
      if (signal.description?.type === 'offer') {
        if (signal.isNewSession || !this.peer) this.openPeer(call.id);
        const peer = this.peer as RTCPeerConnection;
        await peer.setRemoteDescription(signal.description);
        for (const candidate of this.pendingCandidates.splice(0)) await peer.addIceCandidate(candidate);
        const answer = await peer.createAnswer();
        await peer.setLocalDescription(answer);
        const description = peer.localDescription;
        if (description) {
          await this.connection.request('voice:signal', { callId: call.id, description: { type: 'answer', sdp: description.sdp } });
        }
      } else if (signal.candidate) {
        if (this.peer?.remoteDescription) await this.peer.addIceCandidate(signal.candidate);
        else this.pendingCandidates.push(signal.candidate);
      }
    } catch {
      // A description for a session already replaced: the caller's next offer sets things right.
    }
  }

  private openPeer(callId: string): void {
    this.closePeer();
    const peer = new RTCPeerConnection({ iceServers: this.iceServers });
    this.peer = peer;
    for (const track of this.microphone?.getAudioTracks() ?? []) peer.addTrack(track, this.microphone as MediaStream);
    peer.onicecandidate = (event) => {
      if (!event.candidate || this.peer !== peer) return;
      const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = event.candidate.toJSON();
      this.connection
        .request('voice:signal', { callId, candidate: { candidate: candidate ?? '', sdpMid, sdpMLineIndex, usernameFragment } })
        .catch(() => undefined);
    };
    peer.ontrack = (event) => {
      if (this.peer !== peer) return;
      this.audio ??= new Audio();
      this.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.applyTrackState();
      void this.audio.play().catch(() => undefined);
    };
    peer.onconnectionstatechange = () => {
      if (this.peer !== peer) return;
      this.set({ isMediaConnected: peer.connectionState === 'connected' });
      clearTimeout(this.failureTimer);
      // The caller restarts ICE when the path fails; if nothing recovers, the call cannot carry audio.
      if (peer.connectionState === 'failed') {
        this.failureTimer = setTimeout(() => {
          if (this.peer === peer && peer.connectionState === 'failed') {
            this.set({ problem: { kind: 'ice_failed' } });
            void this.end('ice_failed');
          }
        }, iceRecoveryMs);
      }
    };
  }

  /** Muted: this side sends nothing. On hold: neither side sends, and nothing plays. */
  private applyTrackState(): void {
    const isOnHold = this.state.active?.isOnHold === true;
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = !this.state.isMuted && !isOnHold;
    if (this.audio) this.audio.muted = isOnHold;
  }

  private closePeer(): void {
    clearTimeout(this.failureTimer);
    this.peer?.close();
    this.peer = null;
    this.pendingCandidates = [];
    if (this.state.isMediaConnected) this.set({ isMediaConnected: false });
  }

  private stopMedia(): void {
    this.closePeer();
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
    this.microphone = null;
    if (this.audio) {
      this.audio.pause();
      this.audio.srcObject = null;
    }
    this.audio = null;
  }
}
