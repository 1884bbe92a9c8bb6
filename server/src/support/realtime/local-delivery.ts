import type { ChatServer } from './socket-types.js';

type HeartbeatAdapter = {
  nodesMap?: Map<string, number>;
  broadcast(packet: unknown, options: { flags?: Record<string, unknown> }): unknown;
};

/**
 * The cluster adapters publish every broadcast to the other nodes and wait for that before
 * delivering locally, even when there are none. A node that has heard no other node delivers
 * locally at once. It may be wrong: another node may have just joined, or come back after its
 * heartbeats were lost (a database outage longer than the heartbeat timeout). So when a node that
 * delivered alone hears another node again, every node's clients are told to catch up by
 * sequence number (`resync`): whatever they missed is stored, nothing stays lost.
 */
export function deliverLocallyWhenAlone(io: ChatServer, onRejoined?: () => void): void {
  const adapter = io.of('/').adapter as unknown as HeartbeatAdapter;
  const nodes = adapter.nodesMap;
  if (!nodes) return;
  let hasDeliveredAlone = false;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    if (nodes.size > 0) return broadcast(packet, options);
    hasDeliveredAlone = true;
    return broadcast(packet, { ...options, flags: { ...options.flags, local: true } });
  };
  const set = nodes.set.bind(nodes);
  nodes.set = (uid, lastSeen) => {
    const wasAlone = nodes.size === 0;
    set(uid, lastSeen);
    if (wasAlone && hasDeliveredAlone) {
      hasDeliveredAlone = false;
      setImmediate(() => {
        io.emit('resync', { reason: 'delivered_alone' });
        onRejoined?.();
      });
    }
    return nodes;
  };
}
