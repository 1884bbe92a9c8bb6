import type { Socket as TcpSocket } from 'node:net';
import type { Server } from 'socket.io';
import type { Logger } from '../../platform/index.js';

type EngineConnection = {
  readyState: string;
  flush(): void;
  close(...args: unknown[]): unknown;
  transport: { name: string; socket?: { _socket?: Partial<TcpSocket> } };
};

/**
 * A connection's packets of one tick leave in one write. engine.io flushes a connection as soon as
 * a packet is queued, and its WebSocket transport hands each packet to the TCP socket as a frame of
 * its own: one system call per packet. A batch of committed messages reaches an agent as several
 * messages and acknowledgements in the same tick, each its own write (a fifth of the chat's server
 * CPU in a profile). Here a connection's flush waits for the end of the tick (the promise
 * continuations that deliver a batch run before it), and the frames it sends go out with the TCP
 * socket corked, so together. engine.io's own calls to flush go through the connection's method too.
 * The WebSocket's TCP socket is the `ws` library's `_socket`, as engine.io itself reaches for its
 * `_sender`: without it (long-polling) the packets still leave together, in one response. What
 * engine.io does right after flushing (closing the connection, or its transport once an upgrade
 * finds it closing) must find the packets sent: a connection that is not open flushes at once, and
 * closing it sends what waits first. The methods are shared and the connections waiting for the
 * end of the tick are one set for the node, so an idle connection costs no closures of its own.
 */
export function coalesceWrites(io: Server, logger: Logger): void {
  const waiting = new Set<EngineConnection>();
  let engineFlush: (() => void) | undefined;
  let engineClose: ((...args: unknown[]) => unknown) | undefined;

  const flushNow = (connection: EngineConnection) => {
    if (!waiting.delete(connection)) return;
    const tcp = connection.transport.name === 'websocket' ? connection.transport.socket?._socket : undefined;
    const canCork = typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function';
    if (canCork) tcp.cork?.();
    try {
      engineFlush?.call(connection);
    } catch (error) {
      // As a failed emit: logged, never thrown out of the tick (nothing would catch it there).
      logger.error({ err: error }, 'realtime flush failed');
    } finally {
      if (canCork) tcp.uncork?.();
    }
  };
  const flushWaiting = () => {
    for (const connection of waiting) flushNow(connection);
  };
  function deferredFlush(this: EngineConnection) {
    if (waiting.has(this)) return;
    waiting.add(this);
    if (this.readyState !== 'open') flushNow(this);
    else if (waiting.size === 1) process.nextTick(flushWaiting);
  }
  function flushingClose(this: EngineConnection, ...args: unknown[]) {
    flushNow(this);
    return engineClose?.apply(this, args);
  }

  io.engine.on('connection', (connection: EngineConnection) => {
    engineFlush ??= connection.flush;
    engineClose ??= connection.close;
    connection.flush = deferredFlush;
    connection.close = flushingClose;
  });
}
