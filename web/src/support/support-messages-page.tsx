import { CustomerServiceOutlined, MailOutlined } from '@ant-design/icons';
import type { SupportConversationSummary } from '@okpay/contracts';
import { Alert, Badge, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listMyConversations } from '../api/push';
import { useLoaded } from '../api/use-loaded';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { formatDateTime } from '../wallet/money';

/** "工单 #K7Q2M9" for email, "「充值」咨询" for chat: the same names the notifications use. */
export function conversationTitle(conversation: SupportConversationSummary, t: TFunction): string {
  if (conversation.reference) return t('pwa.support.ticket', { reference: conversation.reference });
  return t('pwa.support.topic', { topic: t(`console.categories.${conversation.category}`) });
}

const statusColour: Record<SupportConversationSummary['status'], string> = {
  open: 'processing',
  pending: 'warning',
  resolved: 'success',
  closed: 'default',
};

export function ConversationStatus({ conversation }: { conversation: SupportConversationSummary }) {
  const { t } = useTranslation();
  return <Tag color={statusColour[conversation.status]}>{t(`pwa.support.status.${conversation.status}`)}</Tag>;
}

/** /app/support: every conversation with support, newest activity first, answers not yet read marked. */
export function SupportMessagesPage() {
  const { t } = useTranslation();
  usePageTitle(t('pwa.support.title'));
  const conversations = useLoaded(['customer', 'conversations'], listMyConversations);
  const locale = currentLocale();

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('pwa.support.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('pwa.support.intro')}</Typography.Paragraph>
      {conversations.error && (
        <Alert
          type="error"
          showIcon
          className="form-alert"
          title={conversations.error}
          action={
            <Button size="small" onClick={() => void conversations.reload()}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      <Card>
        <List
          loading={conversations.isLoading && !conversations.data}
          dataSource={conversations.data?.conversations ?? []}
          aria-label={t('pwa.support.title')}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pwa.support.empty')} /> }}
          renderItem={(conversation) => (
            <List.Item key={conversation.id} className="support-conversation">
              <List.Item.Meta
                avatar={conversation.channel === 'email' ? <MailOutlined /> : <CustomerServiceOutlined />}
                title={
                  <Space size="small" wrap>
                    <Link to={`/app/support/${conversation.id}`}>{conversationTitle(conversation, t)}</Link>
                    <ConversationStatus conversation={conversation} />
                    {conversation.hasUnreadReply && <Badge status="error" text={t('pwa.support.unread')} />}
                  </Space>
                }
                description={
                  <Space size="small" wrap separator="·">
                    <span>{t(`pwa.support.channel.${conversation.channel}`)}</span>
                    {conversation.subject && <span>{conversation.subject}</span>}
                    {conversation.agentName && <span>{t('pwa.support.agent', { name: conversation.agentName })}</span>}
                    <span>
                      {t('pwa.support.lastMessage', { time: formatDateTime(conversation.lastMessageAt ?? conversation.createdAt, locale) })}
                    </span>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
