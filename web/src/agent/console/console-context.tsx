import { App } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { listAgents, type PresenceStatus, setPresence as putPresence } from '../../api/agent-console';
import { messageOf } from '../../api/client';
import { type ConnectionStatus, ConsoleConnection, type ConsoleEvents } from './console-connection';

type Presence = {
  /** Undefined until the server has said. */
  status: PresenceStatus | undefined;
  isChanging: boolean;
  change(status: PresenceStatus): Promise<void>;
};

type ConsoleContextValue = { connection: ConsoleConnection; staffId: string; presence: Presence };

const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

function useConsoleContext(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('the console hooks need ConsoleProvider above them');
  return value;
}

/**
 * The staff member's live connection and availability, for every console page. Presence is what
 * the server says (it turns idle agents away and disconnected ones offline); after a reconnect the
 * console restores the availability the agent chose if the server had taken them offline meanwhile.
 */
export function ConsoleProvider({ staffId, children }: { staffId: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [connection] = useState(() => new ConsoleConnection());
  const [status, setStatus] = useState<PresenceStatus>();
  const [isChanging, setChanging] = useState(false);
  // What the agent last chose here; undefined until they choose (or the server first tells us).
  const chosen = useRef<PresenceStatus | undefined>(undefined);
  const connectionCount = useSyncExternalStore(connection.watch, connection.getConnectionCount);

  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);

  useEffect(() => connection.on('presence', (event) => event.staffId === staffId && setStatus(event.status)), [connection, staffId]);

  const send = useCallback(
    async (next: PresenceStatus) => {
      if (connection.isConnected) await connection.request('presence:set', { status: next });
      else await putPresence(next);
    },
    [connection],
  );

  // On every (re)connect: learn where the server has us, and put back what the agent chose if a drop cost it.
  useEffect(() => {
    if (connectionCount === 0) return;
    let isCurrent = true;
    void (async () => {
      try {
        const { agents } = await listAgents();
        const server = agents.find((agent) => agent.id === staffId)?.status ?? 'offline';
        if (!isCurrent) return;
        const wanted = chosen.current;
        if (wanted && wanted !== 'offline' && server === 'offline') {
          await send(wanted);
          if (isCurrent) {
            setStatus(wanted);
            void message.info(t('console.presence.restored', { status: t(`console.presence.${wanted}`) }));
          }
        } else {
          chosen.current ??= server;
          setStatus(server);
        }
      } catch {
        // The next connect or change tries again.
      }
    })();
    return () => {
      isCurrent = false;
    };
  }, [connectionCount, staffId, send, message, t]);

  const change = useCallback(
    async (next: PresenceStatus) => {
      setChanging(true);
      try {
        await send(next);
        chosen.current = next;
        setStatus(next);
      } catch (error) {
        void message.error(messageOf(error));
      } finally {
        setChanging(false);
      }
    },
    [send, message],
  );

  const value = useMemo(
    () => ({ connection, staffId, presence: { status, isChanging, change } }),
    [connection, staffId, status, isChanging, change],
  );
  return <ConsoleContext.Provider value={value}>{children}</ConsoleContext.Provider>;
}

export function useConsoleConnection(): ConsoleConnection {
  return useConsoleContext().connection;
}

export function useConsoleStaffId(): string {
  return useConsoleContext().staffId;
}

export function usePresence(): Presence {
  return useConsoleContext().presence;
}

export function useConnectionStatus(): ConnectionStatus {
  const connection = useConsoleConnection();
  return useSyncExternalStore(connection.watch, connection.getStatus);
}

/** Goes up by one on every (re)connect: the moment to catch up on what may have been missed. */
export function useConnectionCount(): number {
  const connection = useConsoleConnection();
  return useSyncExternalStore(connection.watch, connection.getConnectionCount);
}

/** Subscribes to a server event for the component's lifetime, always calling the latest handler. */
export function useConsoleEvent<E extends keyof ConsoleEvents>(event: E, handler: (payload: ConsoleEvents[E]) => void): void {
  const connection = useConsoleConnection();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => connection.on(event, (payload) => latest.current(payload)), [connection, event]);
}
