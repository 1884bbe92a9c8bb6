import type {
  ClientToServerEvents,
  ConversationCategory,
  ErrorBody,
  IceServers,
  LinkedObject,
  Locale,
  ServerToClientEvents,
  VoiceCall,
  VoiceEndReason,
  VoiceSignalEvent,
} from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import type { Http } from '../api/http';
import { createStore, type Store } from '../chat/store';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the call needs from the widget around it: the chat socket, the token for HTTP, the language. */
export type VoiceHost = {
  http: Http;
  socket(): ChatSocket;
  token(): Promise<string | undefined>;
  locale(): Locale;
};

/** What went wrong on this device, before or during a call (the server words its own refusals). */
export type VoiceProblem = 'microphone_denied' | 'no_microphone' | 'unsupported' | 'ice_failed' | 'refused';

export type VoiceState = {
  /** The call as the server last described it; null before one is placed. */
  call: VoiceCall | null;
  isStarting: boolean;
  isMuted: boolean;
  /** Media flows between this browser and the agent. */
  isMediaConnected: boolean;
  problem: VoiceProblem | null;
  /** The server's refusal, in the caller's language. */
  refusal: string | null;
};

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
/** What an event's acknowledgement carries when the server agrees. */
type AnswerOf<E extends keyof ClientToServerEvents> = Exclude<
  Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0],
  ErrorBody
>;
type Answer<T> = { kind: 'ok'; data: T } | { kind: 'refused'; code: string; message: string } | { kind: 'unanswered' };

const ackTimeoutMs = 10_000;
/** How far along a call is, to tell which of two views heard around the start is the later. */
const phaseOrder: Record<VoiceCall['phase'], number> = { queued: 0, ringing: 1, transferring: 2, connected: 3, ended: 4 };

/** Whether this browser can place a call at all: a microphone API and WebRTC. */
export function canPlaceCalls(): boolean {
  return typeof RTCPeerConnection === 'function' && typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}

/**
 * The caller's side of an in-app voice call: the microphone, one RTCPeerConnection to the agent
 * (this side always makes the offer), the signalling over the chat socket, and what the server
 * says about the call. A transfer or a reloaded console gets a new media session; a dropped
 * connection an ICE restart. Anything this device cannot do ends the call with its reason.
 */
export class VoiceCallSession {
  readonly store: Store<VoiceState> = createStore<VoiceState>({
    call: null,
    isStarting: false,
    isMuted: false,
    isMediaConnected: false,
    problem: null,
    refusal: null,
  });
  private microphone: MediaStream | null = null;
  private peer: RTCPeerConnection | null = null;
  /** The agent the current media session is with: a different one needs a new session. */
  private peerAgentId: string | null = null;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private iceServers: RTCIceServer[] = [];
  private audio: HTMLAudioElement | null = null;
  private hasRestartedIce = false;
  private socket: ChatSocket | null = null;
  private early: VoiceCall | null = null;
  private readonly detach: Array<() => void> = [];

  constructor(private readonly host: VoiceHost) {}

  private get state(): VoiceState {
    return this.store.get();
  }

  get isLive(): boolean {
    const call = this.state.call;
    return this.state.isStarting || (call !== null && call.phase !== 'ended');
  }

  /** Places the call: the microphone is asked for while the server queues it, so a refusal ends it with its reason. */
  async start(input: { category: ConversationCategory; links: LinkedObject[] }): Promise<void> {
    if (this.isLive) return;
    this.store.set({ call: null, isStarting: true, isMuted: false, isMediaConnected: false, problem: null, refusal: null });
    if (!canPlaceCalls()) {
      this.store.set({ isStarting: false, problem: 'unsupported' });
      return;
    }
    this.listen();
    const microphone = navigator.mediaDevices.getUserMedia({ audio: true, video: false }).then(
      (stream) => ({ stream }),
      (error: unknown) => ({ problem: microphoneProblem(error) }),
    );
    void this.loadIceServers();
    const answer = await this.ask('voice:start', { category: input.category, links: input.links, locale: this.host.locale() });
    const mic = await microphone;
    if ('stream' in mic) this.microphone = mic.stream;
    if (answer.kind !== 'ok') {
      this.stopMedia();
      this.store.set({ isStarting: false, refusal: answer.kind === 'refused' ? answer.message : null, problem: 'refused' });
      return;
    }
    this.store.set({ isStarting: false });
    this.apply(answer.data.call);
    const early = this.early;
    this.early = null;
    if (early?.id === answer.data.call.id && phaseOrder[early.phase] > phaseOrder[answer.data.call.phase]) this.apply(early);
    if ('problem' in mic) {
      this.store.set({ problem: mic.problem });
      await this.end(mic.problem);
    }
  }

  /** Hangs up, or gives up waiting for the reason given (a callback instead, a device failure). */
  async end(reason: VoiceEndReason = 'hang_up'): Promise<void> {
    const call = this.state.call;
    if (!call || call.phase === 'ended') {
      this.stopMedia();
      return;
    }
    const answer = await this.ask('voice:end', { callId: call.id, reason });
    if (answer.kind === 'ok') this.apply(answer.data.call);
    else this.stopMedia();
  }

  async setMuted(isMuted: boolean): Promise<void> {
    const call = this.state.call;
    if (!call) return;
    this.store.set({ isMuted });
    this.applyTrackState();
    const answer = await this.ask('voice:mute', { callId: call.id, isMuted });
    if (answer.kind === 'ok') this.apply(answer.data.call);
  }

  /** Forgets an ended call (back to the start screen). */
  reset(): void {
    this.stopMedia();
    this.store.set({ call: null, isStarting: false, isMuted: false, isMediaConnected: false, problem: null, refusal: null });
  }

  // ── The server's side ───────────────────────────────────────────────────────────────────────

  private listen(): void {
    const socket = this.host.socket();
    if (this.socket === socket) return;
    for (const off of this.detach.splice(0)) off();
    this.socket = socket;
    const raw = socket as unknown as Socket;
    const on = <T>(event: string, handler: (payload: T) => void) => {
      const listener = (payload: T) => handler(payload);
      raw.on(event, listener);
      this.detach.push(() => raw.off(event, listener));
    };
    on('voice:call', (call: VoiceCall) => {
      if (call.id === this.state.call?.id) this.apply(call);
      // Heard before the start was acknowledged (an agent answering at once): kept until the answer is in.
      else if (this.state.isStarting) this.early = call;
    });
    on('voice:queue', (event: { callId: string; queue: VoiceCall['queue'] }) => {
      const call = this.state.call;
      if (call && event.callId === call.id && call.phase !== 'connected' && call.phase !== 'ended')
        this.store.set({ call: { ...call, queue: event.queue } });
    });
    on('voice:signal', (signal: VoiceSignalEvent) => void this.onSignal(signal));
    on('voice:renegotiate', (event: { callId: string; isNewSession: boolean }) => {
      if (event.callId === this.state.call?.id) void this.negotiate(event.isNewSession || !this.peer);
    });
    // After any reconnect (to whichever node), take the call back up.
    on('connect', () => void this.rejoin());
  }

  private async rejoin(): Promise<void> {
    const call = this.state.call;
    if (!call || call.phase === 'ended') return;
    const hasMedia = this.peer?.connectionState === 'connected';
    const answer = await this.ask('voice:rejoin', { callId: call.id, hasMedia });
    if (answer.kind !== 'ok') return;
    this.apply(answer.data.call);
    // The signalling may have gone down with a node while media kept flowing: an ICE restart checks the path.
    if (answer.data.call.phase === 'connected') await this.negotiate(!hasMedia);
  }

  /** Follows the call: new media with each new agent, none while waiting or being transferred, everything stopped at the end. */
  private apply(call: VoiceCall): void {
    this.store.set({ call });
    if (call.phase === 'ended') {
      this.stopMedia();
      return;
    }
    if (call.phase === 'connected' && call.agent && call.agent.id !== this.peerAgentId && this.microphone) {
      this.peerAgentId = call.agent.id;
      void this.negotiate(true);
    } else if (call.phase === 'transferring' || call.phase === 'queued' || call.phase === 'ringing') {
      this.closePeer();
    }
    this.applyTrackState();
  }

  // ── Media ───────────────────────────────────────────────────────────────────────────────────

  private async loadIceServers(): Promise<void> {
    try {
      const token = await this.host.token();
      const answer = await this.host.http.request<IceServers>('/api/support/voice/ice-servers', { token, locale: this.host.locale() });
      this.iceServers = answer.iceServers;
    } catch {
      // Without STUN/TURN the call still works where the two browsers can reach each other directly.
    }
  }

  /** Makes an offer: a new session (new connection) or an ICE restart of the current one. */
  private async negotiate(isNewSession: boolean): Promise<void> {
    const call = this.state.call;
    if (call?.phase !== 'connected' || !this.microphone) return;
    if (isNewSession || !this.peer) this.openPeer();
    const peer = this.peer;
    if (!peer) return;
    try {
      const offer = await peer.createOffer(isNewSession ? {} : { iceRestart: true });
      await peer.setLocalDescription(offer);
      const description = peer.localDescription;
      if (!description) return;
      await this.ask('voice:signal', {
        callId: call.id,
        description: { type: 'offer', sdp: description.sdp },
        ...(isNewSession ? { isNewSession: true } : {}),
      });
    } catch {
      await this.fail('ice_failed');
    }
  }

  private openPeer(): void {
    this.closePeer();
    const peer = new RTCPeerConnection({ iceServers: this.iceServers });
    this.peer = peer;
    this.pendingCandidates = [];
    this.hasRestartedIce = false;
    for (const track of this.microphone?.getAudioTracks() ?? []) peer.addTrack(track, this.microphone as MediaStream);
    peer.onicecandidate = (event) => {
      const call = this.state.call;
      if (!event.candidate || !call || this.peer !== peer) return;
      const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = event.candidate.toJSON();
      void this.ask('voice:signal', {
        callId: call.id,
        candidate: { candidate: candidate ?? '', sdpMid, sdpMLineIndex, usernameFragment },
      });
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
      this.store.set({ isMediaConnected: peer.connectionState === 'connected' });
      // One ICE restart to find another path; if that fails too, the call cannot carry audio.
      if (peer.connectionState === 'failed') {
        if (this.hasRestartedIce) void this.fail('ice_failed');
        else {
          this.hasRestartedIce = true;
          void this.negotiate(false);
        }
      }
    };
  }

  private async onSignal(signal: VoiceSignalEvent): Promise<void> {
    const peer = this.peer;
    if (signal.callId !== this.state.call?.id || signal.from !== 'agent' || !peer) return;
    try {
      if (signal.description?.type === 'answer') {
        await peer.setRemoteDescription(signal.description);
        for (const candidate of this.pendingCandidates.splice(0)) await peer.addIceCandidate(candidate);
      } else if (signal.candidate) {
        // Candidates can arrive before the answer they belong to.
        if (peer.remoteDescription) await peer.addIceCandidate(signal.candidate);
        else this.pendingCandidates.push(signal.candidate);
      }
    } catch {
      // A candidate or answer for a session already replaced: the current one goes on.
    }
  }

  /** Sends nothing while muted or on hold, and plays nothing while on hold: both sides pause. */
  private applyTrackState(): void {
    const call = this.state.call;
    const isOnHold = call?.isOnHold === true;
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = !this.state.isMuted && !isOnHold;
    if (this.audio) this.audio.muted = isOnHold;
  }

  private async fail(problem: 'ice_failed'): Promise<void> {
    this.store.set({ problem });
    await this.end(problem);
  }

  private closePeer(): void {
    this.peer?.close();
    this.peer = null;
    this.peerAgentId = null;
    this.pendingCandidates = [];
    this.store.set({ isMediaConnected: false });
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

  // ── The socket ──────────────────────────────────────────────────────────────────────────────

  private ask<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<Answer<AnswerOf<E>>> {
    const socket = this.host.socket();
    this.listen();
    const send = () =>
      new Promise<Answer<AnswerOf<E>>>((resolve) => {
        // The map types each event's payload and answer; emit cannot follow a generic event name, so it takes the plain form.
        (socket.timeout(ackTimeoutMs) as unknown as Socket).emit(event, payload, (error: unknown, response: unknown) => {
          if (error) return resolve({ kind: 'unanswered' });
          const refusal = (response as Partial<ErrorBody> | undefined)?.error;
          if (refusal) return resolve({ kind: 'refused', code: refusal.code, message: refusal.message });
          resolve({ kind: 'ok', data: response as AnswerOf<E> });
        });
      });
    if (socket.connected) return send();
    // The first call of a page may come before the socket is up: wait for it once.
    return new Promise((resolve) => {
      const onConnect = () => {
        clearTimeout(timer);
        void send().then(resolve);
      };
      const timer = setTimeout(() => {
        socket.off('connect', onConnect);
        resolve({ kind: 'unanswered' });
      }, ackTimeoutMs);
      socket.once('connect', onConnect);
    });
  }
}

function microphoneProblem(error: unknown): 'microphone_denied' | 'no_microphone' {
  const name = error instanceof DOMException ? error.name : '';
  return name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' ? 'no_microphone' : 'microphone_denied';
}
