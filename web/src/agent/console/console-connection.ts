import type { ClientToServerEvents, ErrorBody, ServerToClientEvents } from '@okpay/contracts';
import { io, type Socket } from 'socket.io-client';
import { getAgentRealtimeToken } from '../../api/agent-console';
import { ApiError } from '../../api/client';
import { currentLocale, i18n } from '../../i18n';

export type { ConversationUpdatedEvent } from '@okpay/contracts';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting';

/** What the server emits to staff sockets, by event: the event map shared with the server (contracts). */
export type ConsoleEvents = { [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] };

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
/** What an event's acknowledgement carries when the server agrees. */
type Answer<E extends keyof ClientToServerEvents> = Exclude<Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0], ErrorBody>;

const errorShape = (answer: unknown): { code: string; message: string } | undefined => {
  if (typeof answer !== 'object' || answer === null || !('error' in answer)) return undefined;
  const error = (answer as { error?: { code?: unknown; message?: unknown } }).error;
  return typeof error?.code === 'string' ? { code: error.code, message: String(error.message ?? error.code) } : undefined;
};

/**
 * The console's one socket. It authenticates with a short-lived staff token fetched on every
 * (re)connect (never the cookie), reconnects by itself with backoff, and counts connections so the
 * inbox and the open conversation know when to catch up on what they missed.
 */
export class ConsoleConnection {
  private socket: ConsoleSocket | undefined;
  private status: ConnectionStatus = 'connecting';
  private connections = 0;
  private readonly watchers = new Set<() => void>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMs = 1_000;
  // Kept here rather than on the socket, so components may subscribe before it exists or while it is replaced.
  private readonly handlers = new Map<string, Set<(payload: never) => void>>();

  start(): void {
    if (this.socket) return;
    const socket: ConsoleSocket = io({
      path: '/socket.io',
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      // A function, so each reconnect asks for a fresh token (they expire within minutes).
      auth: (callback) => {
        getAgentRealtimeToken().then(
          ({ token }) => callback({ token, locale: currentLocale() }),
          () => callback({ locale: currentLocale() }),
        );
      },
    });
    this.socket = socket;
    socket.onAny((event: string, payload: unknown) => {
      for (const handler of this.handlers.get(event) ?? []) handler(payload as never);
    });
    socket.on('connect', () => {
      this.retryDelayMs = 1_000;
      this.connections += 1;
      this.setStatus('online');
    });
    // The server lost live notifications (its database was away): catch up as after a reconnect.
    socket.on('resync', () => {
      this.connections += 1;
      this.setStatus(this.status);
    });
    socket.on('disconnect', (reason) => {
      this.setStatus('reconnecting');
      // The server closed us on purpose (a restart, say): Socket.IO leaves reconnecting to us.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    socket.on('connect_error', () => {
      this.setStatus('reconnecting');
      // The handshake was refused (an expired token): Socket.IO does not retry those itself.
      if (!socket.active) this.scheduleRetry();
    });
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.socket?.connect(), this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 15_000);
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const watcher of this.watchers) watcher();
  }

  /** For useSyncExternalStore. */
  watch = (watcher: () => void): (() => void) => {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  };

  getStatus = (): ConnectionStatus => this.status;

  /** How many times the socket has connected (or been told to catch up): a change means "catch up now". */
  getConnectionCount = (): number => this.connections;

  get isConnected(): boolean {
    return this.socket?.connected === true;
  }

  on<E extends keyof ConsoleEvents>(event: E, handler: (payload: ConsoleEvents[E]) => void): () => void {
    let handlers = this.handlers.get(event);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(event, handlers);
    }
    const registered = handlers;
    registered.add(handler as (payload: never) => void);
    return () => {
      registered.delete(handler as (payload: never) => void);
    };
  }

  /** Emits and waits for the server's answer; a refusal becomes an ApiError with the server's code and message. */
  async request<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>, timeoutMs = 10_000): Promise<Answer<E>> {
    const socket = this.socket;
    if (!socket?.connected) throw new ApiError('network_error', i18n.t('common.networkError'), 0);
    let answer: unknown;
    try {
      // The map types each event's payload; emitWithAck cannot follow a generic event name, so it takes the plain form.
      answer = await (socket.timeout(timeoutMs) as unknown as Socket).emitWithAck(event, payload);
    } catch {
      throw new ApiError('network_error', i18n.t('common.networkError'), 0);
    }
    const refusal = errorShape(answer);
    if (refusal) throw new ApiError(refusal.code, refusal.message, 400);
    return answer as Answer<E>;
  }

  /** Best-effort and unacknowledged, for typing indicators. */
  emitVolatile(event: 'typing', payload: Payload<'typing'>): void {
    if (this.socket?.connected) this.socket.volatile.emit(event, payload);
  }
}
