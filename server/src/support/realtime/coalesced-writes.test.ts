import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { type Socket as ClientSocket, io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/index.js';
import { coalesceWrites } from './coalesced-writes.js';

type Tcp = { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
const opened: Array<{ http: HttpServer; io: Server; client: ClientSocket }> = [];

afterEach(async () => {
  for (const { http, io, client } of opened.splice(0)) {
    client.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    http.close();
  }
});

/** A server (coalescing or not) and one WebSocket client; the server's TCP writes to that client are counted. */
async function serverWithClient(coalesce: boolean) {
  const http = createServer();
  const io = new Server(http);
  if (coalesce) coalesceWrites(io, createLogger('silent'));
  const connected = new Promise<ServerSocket>((resolve) => io.on('connection', resolve));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const client = connectClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true });
  opened.push({ http, io, client });
  const socket = await connected;
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: Tcp } } }).transport.socket._socket;
  const writes = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      writes.count += 1;
      original(...args);
    };
  }
  return { socket, client, writes };
}

async function sendFiveInOneTick(coalesce: boolean) {
  const { socket, client, writes } = await serverWithClient(coalesce);
  const received: number[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('n', (n: number) => {
      received.push(n);
      if (received.length === 5) resolve();
    }),
  );
  // As a committed batch delivers: one continuation after another, in one tick.
  await Promise.all([1, 2, 3, 4, 5].map(async (n) => socket.emit('n', await Promise.resolve(n))));
  await all;
  return { received, writes: writes.count };
}

describe('coalesced writes', () => {
  it("sends a connection's packets of one tick in one write, in order", async () => {
    expect(await sendFiveInOneTick(true)).toEqual({ received: [1, 2, 3, 4, 5], writes: 1 });
  });

  it('without it, engine.io writes each packet on its own', async () => {
    expect(await sendFiveInOneTick(false)).toEqual({ received: [1, 2, 3, 4, 5], writes: 5 });
  });

  it('sends what waits for the end of the tick before the connection is closed in it, even discarding', async () => {
    const { socket, client } = await serverWithClient(true);
    const heard: string[] = [];
    const closed = new Promise<void>((resolve) => client.on('disconnect', () => resolve()));
    client.on('bye', (text: string) => heard.push(text));
    socket.emit('bye', 'last words');
    // As a node shutting down closes its connections (engine.io's close with discard).
    (socket.conn as unknown as { close(discard: boolean): void }).close(true);
    await closed;
    expect(heard).toEqual(['last words']);
  });

  it('keeps answering acknowledgements and packets sent later, each tick on its own', async () => {
    const { socket, client, writes } = await serverWithClient(true);
    socket.on('ping:me', (value: number, ack: (answer: number) => void) => ack(value + 1));
    expect(await client.timeout(2000).emitWithAck('ping:me', 1)).toBe(2);
    const seen: number[] = [];
    const both = new Promise<void>((resolve) =>
      client.on('later', (n: number) => {
        seen.push(n);
        if (seen.length === 2) resolve();
      }),
    );
    const before = writes.count;
    socket.emit('later', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.emit('later', 2);
    await both;
    expect(seen).toEqual([1, 2]);
    expect(writes.count - before).toBe(2);
  });
});
