import type { Server } from 'socket.io';

type HeartbeatAdapter = {
  nodesMap?: Map<string, number>;
  broadcast(packet: unknown, options: { flags?: Record<string, unknown> }): unknown;
};

/**
 * The cluster adapters publish every broadcast to the other nodes and wait for that before
 * delivering locally, even when there are none. A node that has heard no other node's heartbeat
 * delivers locally at once. A node that has just joined is heard within its first heartbeat; a
 * broadcast missed in that instant is caught up by the clients' resume-by-sequence.
 */
export function deliverLocallyWhenAlone(io: Server): void {
  const adapter = io.of('/').adapter as unknown as HeartbeatAdapter;
  if (!adapter.nodesMap) return;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) =>
    broadcast(packet, adapter.nodesMap?.size === 0 ? { ...options, flags: { ...options.flags, local: true } } : options);
}
