import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffWithLoad } from '../../api/agent-console';
import { presenceColours } from './labels';

/** An agent in an assignment picker: presence, name, and the chats they hold of how many they can. */
export function AgentOption({ agent }: { agent: StaffWithLoad }) {
  const { t } = useTranslation();
  return (
    <span className="agent-option">
      <Tag color={presenceColours[agent.status]} className="agent-option-status">
        {t(`console.presence.${agent.status}`)}
      </Tag>
      {agent.name}
      <span className="agent-option-load">
        {agent.load}/{agent.capacity}
      </span>
    </span>
  );
}
