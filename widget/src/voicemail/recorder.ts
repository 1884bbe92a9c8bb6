/** Why nothing could be recorded: each has its own words for the customer (texts.ts). */
export type RecorderProblem = 'denied' | 'no-microphone' | 'unsupported' | 'failed' | 'too-short';

export type RecorderState =
  | { kind: 'idle' }
  /** Waiting for the browser's permission prompt. */
  | { kind: 'asking' }
  | { kind: 'recording'; elapsedMs: number }
  | { kind: 'recorded'; blob: Blob; url: string; seconds: number }
  | { kind: 'problem'; problem: RecorderProblem };

/** What getUserMedia's refusals mean for the customer: refused, no microphone, or one that would not start. */
export function problemOf(error: unknown): RecorderProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'no-microphone';
  return 'failed';
}

/**
 * A take that stopped with no audio at all: stopped within a second, the encoder had nothing to give
 * yet (the customer tapped stop at once); longer, the microphone delivered nothing.
 */
export function emptyTakeProblem(seconds: number): RecorderProblem {
  return seconds < 1 ? 'too-short' : 'failed';
}

/** What the server accepts, in the order browsers record it best: Opus in WebM (Chromium) or Ogg (Firefox), else MP4 (Safari). */
export const recordingTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;

export function pickRecordingType(isTypeSupported: (type: string) => boolean): string | undefined {
  return recordingTypes.find((type) => isTypeSupported(type));
}

/** The file name the upload carries (the server goes by the bytes, not by it). */
export function fileNameFor(type: string): string {
  return type.startsWith('audio/ogg') ? 'voicemail.ogg' : type.startsWith('audio/mp4') ? 'voicemail.m4a' : 'voicemail.webm';
}

/** "0:07", "2:00". */
export function formatClock(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The browser's microphone through MediaRecorder: asks for it, records up to `maxSeconds` (then
 * stops by itself), and hands back one Blob to listen to and send. The microphone is released as
 * soon as recording stops. Refusals end in `problem` with nothing recorded and nothing sent.
 */
export class VoicemailRecorder {
  private state: RecorderState = { kind: 'idle' };
  private stream: MediaStream | null = null;
  private recorder: MediaRecorder | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private startedAt = 0;
  /** Bumped by reset(), so a permission answer that arrives after it is ignored. */
  private attempt = 0;

  constructor(
    private readonly maxSeconds: number,
    private readonly onChange: (state: RecorderState) => void,
  ) {}

  get current(): RecorderState {
    return this.state;
  }

  async start(): Promise<void> {
    this.reset();
    const attempt = this.attempt;
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    // No MediaRecorder, or a page that is not a secure context (no mediaDevices at all).
    if (typeof MediaRecorder === 'undefined' || !devices?.getUserMedia) return this.set({ kind: 'problem', problem: 'unsupported' });
    const type = pickRecordingType((candidate) => MediaRecorder.isTypeSupported(candidate));
    if (!type) return this.set({ kind: 'problem', problem: 'unsupported' });
    this.set({ kind: 'asking' });
    let stream: MediaStream;
    try {
      stream = await devices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    } catch (error) {
      if (attempt === this.attempt) this.set({ kind: 'problem', problem: problemOf(error) });
      return;
    }
    if (attempt !== this.attempt) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.stream = stream;
    const chunks: Blob[] = [];
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 32_000 });
    } catch {
      this.release();
      return this.set({ kind: 'problem', problem: 'unsupported' });
    }
    this.recorder = recorder;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = () => {
      const seconds = Math.min(this.maxSeconds, (Date.now() - this.startedAt) / 1000);
      this.release();
      if (attempt !== this.attempt) return;
      const blob = new Blob(chunks, { type: recorder.mimeType || type });
      if (blob.size === 0) return this.set({ kind: 'problem', problem: emptyTakeProblem(seconds) });
      this.set({ kind: 'recorded', blob, url: URL.createObjectURL(blob), seconds: Math.round(seconds * 10) / 10 });
    };
    // The microphone unplugged or taken away mid-recording: keep what was said.
    for (const track of stream.getAudioTracks()) track.onended = () => this.stop();
    this.startedAt = Date.now();
    recorder.start(1_000);
    this.set({ kind: 'recording', elapsedMs: 0 });
    this.timer = setInterval(() => {
      const elapsedMs = Date.now() - this.startedAt;
      if (elapsedMs >= this.maxSeconds * 1000) this.stop();
      else if (this.state.kind === 'recording') this.set({ kind: 'recording', elapsedMs });
    }, 250);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
  }

  /** Back to the start: a recording in progress is dropped, the microphone released, the preview forgotten. */
  reset(): void {
    this.attempt++;
    clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.release();
    if (this.state.kind === 'recorded') URL.revokeObjectURL(this.state.url);
    this.set({ kind: 'idle' });
  }

  private release(): void {
    clearInterval(this.timer);
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.recorder = null;
  }

  private set(state: RecorderState): void {
    this.state = state;
    this.onChange(state);
  }
}
