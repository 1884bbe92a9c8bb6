import { MailOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import type { ConversationChannel } from '../../api/agent-console';

export function ChannelIcon({ channel }: { channel: ConversationChannel }) {
  if (channel === 'email') return <MailOutlined />;
  if (channel === 'phone') return <PhoneOutlined />;
  return <MessageOutlined />;
}
