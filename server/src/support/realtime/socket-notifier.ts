import type { ServerToClientEvents, SlaAlert, SlaAlertsEvent, SlaChangedEvent } from '@okpay/contracts';
import type { Logger } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import type { Notifier } from '../notifier.js';
import { rooms } from './rooms.js';
import type { ChatServer } from './socket-types.js';

/** Where staff hear about a conversation they do not have open: its assignee, or every agent while nobody has it. */
function staffInboxRooms(conversation: Pick<ConversationRow, 'assigneeId'>): string[] {
  return [conversation.assigneeId ? rooms.staff(conversation.assigneeId) : rooms.agents, rooms.supervisors];
}

/** Who a broadcast goes to: rooms, or an operator made from them (rooms except a socket). */
type Audience = string[] | ReturnType<ChatServer['to']>;

/** One broadcast to the rooms (one cross-node notification); a failure is logged, never thrown into the use case that committed. */
export function roomEmitter(io: ChatServer, logger: Logger) {
  return <E extends keyof ServerToClientEvents>(audience: Audience, event: E, ...payload: Parameters<ServerToClientEvents[E]>) => {
    try {
      (Array.isArray(audience) ? io.to(audience) : audience).emit(event, ...payload);
    } catch (error) {
      logger.error({ err: error, event }, 'realtime emit failed');
    }
  };
}

/**
 * Tells connected clients about committed changes. One broadcast per change, so the cross-node
 * adapter sends one notification; Socket.IO delivers it once to a socket in several of the rooms.
 */
export function socketNotifier(io: ChatServer, logger: Logger): Notifier {
  const emit = roomEmitter(io, logger);
  return {
    messageCreated(conversation, message, exceptSocket) {
      const targets = [rooms.staffConversation(conversation.id), ...staffInboxRooms(conversation)];
      if (!message.isInternal) targets.push(rooms.customerConversation(conversation.id));
      emit(exceptSocket ? io.to(targets).except(exceptSocket) : targets, 'message', message);
    },
    conversationUpdated(conversation, change) {
      emit(
        [
          rooms.customerConversation(conversation.id),
          rooms.staffConversation(conversation.id),
          ...staffInboxRooms(conversation),
          rooms.agents,
        ],
        'conversation:updated',
        {
          conversationId: conversation.id,
          change: change.type,
          status: conversation.status,
          category: conversation.category,
          priority: conversation.priority,
          assigneeId: conversation.assigneeId,
          agent: conversation.assigneeId && change.agentName ? { id: conversation.assigneeId, name: change.agentName } : undefined,
          waiting: conversation.waitingSince !== null,
        },
      );
    },
    queueChanged(positions) {
      for (const { conversation, queue } of positions)
        emit([rooms.customerConversation(conversation.id)], 'queue', { conversationId: conversation.id, queue });
      emit([rooms.agents, rooms.supervisors], 'queue:changed', { length: positions.length });
    },
    readReceipt(conversation, reader, seq) {
      emit([rooms.customerConversation(conversation.id), rooms.staffConversation(conversation.id)], 'read', {
        conversationId: conversation.id,
        readerType: reader.type,
        seq,
      });
    },
    presenceChanged(staffId, status) {
      emit([rooms.staff(staffId), rooms.supervisors], 'presence', { staffId, status });
    },
    slaChanged(conversation, clocks) {
      // Where its messages go: those who have it open, its assignee (every agent while it waits), supervisors.
      const event: SlaChangedEvent = { conversationId: conversation.id, clocks };
      emit([rooms.staffConversation(conversation.id), ...staffInboxRooms(conversation)], 'sla:changed', event);
    },
    slaAlerts(alerts) {
      if (alerts.length === 0) return;
      // One broadcast to supervisors with everything, one per assignee (or all agents) with theirs.
      const byRoom = new Map<string, SlaAlert[]>();
      for (const alert of alerts) {
        const room = alert.assigneeId ? rooms.staff(alert.assigneeId) : rooms.agents;
        byRoom.set(room, [...(byRoom.get(room) ?? []), alert]);
      }
      const all: SlaAlertsEvent = { alerts };
      emit([rooms.supervisors], 'sla:alerts', all);
      for (const [room, items] of byRoom) {
        const mine: SlaAlertsEvent = { alerts: items };
        emit(io.to(room).except(rooms.supervisors), 'sla:alerts', mine);
      }
    },
  };
}
