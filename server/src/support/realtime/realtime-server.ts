import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { silentNotifier } from '../notifier.js';
import type { VoiceDeps } from '../phone/voice/voice-notifier.js';
import type { SupportDeps } from '../support-deps.js';
import { agentActivity } from './agent-activity.js';
import { registerChatHandlers } from './chat-handlers.js';
import { authenticateSockets, type ChatSocket, joinOwnRooms } from './chat-socket.js';
import { attachClusterAdapter } from './cluster-adapter.js';
import { coalesceWrites } from './coalesced-writes.js';
import { startSessionCheck } from './session-check.js';
import { socketDispatcher } from './socket-events.js';
import { socketNotifier } from './socket-notifier.js';
import type { ChatServer } from './socket-types.js';
import { registerVoiceHandlers } from './voice-handlers.js';
import { voiceSocketNotifier } from './voice-socket-notifier.js';
import { startVoiceUpkeep } from './voice-upkeep.js';

export type Realtime = { io: ChatServer; voice: VoiceDeps; close(): Promise<void> };

/**
 * Live chat over Socket.IO, put together from its parts: the handshake (chat-socket), the chat
 * events (chat-handlers), agent activity and presence, the session check, and the adapter that
 * shares rooms between nodes. Every message is committed with its sequence number before it is
 * broadcast (see post-message).
 */
export async function startRealtime(httpServer: HttpServer, deps: SupportDeps, options: { databaseUrl: string }): Promise<Realtime> {
  const io: ChatServer = new Server(httpServer, {
    path: '/socket.io',
    // The widget runs on other sites; tokens, not cookies, carry identity, so any origin may connect.
    cors: { origin: true, credentials: false },
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  // A connection's packets of one tick (a batch of messages and their answers) leave in one write.
  coalesceWrites(io, deps.logger);
  const closeAdapter = await attachClusterAdapter(io, deps, options.databaseUrl);
  const stopSessionCheck = startSessionCheck(deps, io);
  deps.notifier.connect(socketNotifier(io, deps.logger));
  const activity = agentActivity(deps, io);
  const voiceDeps: VoiceDeps = { ...deps, voice: voiceSocketNotifier(io, deps.logger) };
  const stopVoiceUpkeep = startVoiceUpkeep(voiceDeps, io);
  authenticateSockets(io, deps);
  // The events each kind of participant may send, once for the node: a connection adds no handlers.
  const events = socketDispatcher(deps, activity);
  registerChatHandlers(deps, events);
  registerVoiceHandlers(voiceDeps, events);

  io.on('connection', (raw) => {
    const socket = raw as ChatSocket;
    const { participant } = socket.data;
    joinOwnRooms(socket);
    events.listen(socket);
    if (participant.kind === 'staff') {
      activity.touch(participant.staffId, { force: true });
      socket.on('disconnect', () => activity.disconnected(participant.staffId));
    }
  });

  return {
    io,
    voice: voiceDeps,
    async close() {
      stopSessionCheck();
      stopVoiceUpkeep();
      // Work still finishing on this node (an event batch's after-commit notices) has nobody here
      // to tell once the adapter is closed: it must not publish through a closed Redis client.
      deps.notifier.connect(silentNotifier);
      // Closes this node's connections only, without a disconnect packet, so its clients reconnect
      // by themselves (to another node) and resume there. disconnectSockets() would go through the
      // adapter and cut every node's clients.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      activity.stop();
      await closeAdapter().catch(() => undefined);
    },
  };
}
