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
 * closing it sends what waits first.
 */
export function coalesceWrites(io: Server, logger: Logger): void {
  io.engine.on('connection', (connection: EngineConnection) => {
    const flush = connection.flush.bind(connection);
    const close = connection.close.bind(connection);
    let isScheduled = false;
    const flushNow = () => {
      if (!isScheduled) return;
      isScheduled = false;
      const tcp = connection.transport.name === 'websocket' ? connection.transport.socket?._socket : undefined;
      const canCork = typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function';
      if (canCork) tcp.cork?.();
      try {
        flush();
      } catch (error) {
        // As a failed emit: logged, never thrown out of the tick (nothing would catch it there).
        logger.error({ err: error }, 'realtime flush failed');
      } finally {
        if (canCork) tcp.uncork?.();
      }
    };
    connection.flush = () => {
      if (isScheduled) return;
      isScheduled = true;
      if (connection.readyState === 'open') process.nextTick(flushNow);
      else flushNow();
    };
    connection.close = (...args: unknown[]) => {
      flushNow();
      return close(...args);
    };
  });
}
