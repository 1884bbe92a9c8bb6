import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../api/agent-console';
import { usePresence } from './console-context';

const statuses: PresenceStatus[] = ['online', 'away', 'offline'];

/** 在线 / 离开 / 离线: only online agents are given new chats; going offline hands your chats back to the queue. */
export function PresenceControl() {
  const { t } = useTranslation();
  const presence = usePresence();
  return (
    // Nothing is selected until the server has said where the agent stands.
    <Segmented<PresenceStatus | 'unknown'>
      size="small"
      className="presence-control"
      aria-label={t('console.presence.label')}
      value={presence.status ?? 'unknown'}
      disabled={presence.status === undefined || presence.isChanging}
      onChange={(next) => {
        if (next !== 'unknown') void presence.change(next);
      }}
      options={statuses.map((status) => ({
        value: status,
        label: (
          <span className="presence-option" title={t(`console.presence.${status}Hint`)}>
            <span className={`presence-dot presence-dot-${status}`} aria-hidden />
            {t(`console.presence.${status}`)}
          </span>
        ),
      }))}
    />
  );
}
