import { ArrowLeftOutlined, BellOutlined, MessageOutlined, PaperClipOutlined } from '@ant-design/icons';
import type { SupportConversationDetail } from '@okpay/contracts';
import { Alert, Button, Card, Result, Skeleton, Space, Typography } from 'antd';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { getMyConversation, markMyConversationRead } from '../api/push';
import { useLoaded } from '../api/use-loaded';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { isPushOnHere, pushSupport } from '../pwa/push-device';
import { useCustomerSession } from '../session/sessions';
import { openChat } from '../support-chat/okpay-chat';
import { formatDateTime } from '../wallet/money';
import { ConversationStatus, conversationTitle } from './support-messages-page';

type Message = SupportConversationDetail['messages'][number];

/** "0:12", "3:05": how long a call or a voicemail lasted, in whole seconds as players show it. */
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds) % 60).padStart(2, '0')}`;

/**
 * /app/support/:id, where a tapped notification lands: the conversation with what both sides
 * wrote (the notification itself names it only), read up to its newest message, and the way to
 * go on: the chat, the email thread, or a new question once it is resolved.
 */
export function SupportConversationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const load = useCallback(() => getMyConversation(id), [id]);
  const detail = useLoaded(['customer', 'conversation', id], load);
  const conversation = detail.data?.conversation;
  usePageTitle(conversation ? conversationTitle(conversation, t) : t('pwa.support.title'));
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const locale = currentLocale();
  const lastSeq = detail.data?.messages.at(-1)?.seq;

  useEffect(() => {
    if (lastSeq !== undefined) void markMyConversationRead(id).catch(() => undefined);
  }, [id, lastSeq]);

  const back = (
    <Link to="/app/support" className="back-link">
      <ArrowLeftOutlined /> {t('pwa.support.back')}
    </Link>
  );
  if (detail.error && !detail.data) {
    return (
      <div className="page">
        {back}
        <Result status="warning" title={detail.error} extra={<Button onClick={() => void detail.reload()}>{t('common.retry')}</Button>} />
      </div>
    );
  }
  if (!detail.data || !conversation) {
    return (
      <div className="page">
        {back}
        <Card>
          <Skeleton active />
        </Card>
      </div>
    );
  }

  const isLive = conversation.status === 'open' || conversation.status === 'pending';
  const authorOf = (message: Message) =>
    message.authorType === 'agent'
      ? (message.authorName ?? t('pwa.support.agentSide'))
      : message.authorType === 'system'
        ? t('pwa.support.system')
        : t('pwa.support.you');

  return (
    <div className="page support-conversation-page">
      {back}
      <div className="page-heading">
        <Space size="small" wrap align="center">
          <Typography.Title level={2} className="page-title">
            {conversationTitle(conversation, t)}
          </Typography.Title>
          <ConversationStatus conversation={conversation} />
        </Space>
      </div>
      <Typography.Paragraph type="secondary">
        {t(`pwa.support.channel.${conversation.channel}`)}
        {conversation.subject ? ` · ${conversation.subject}` : ''}
        {conversation.agentName ? ` · ${t('pwa.support.agent', { name: conversation.agentName })}` : ''}
      </Typography.Paragraph>
      {detail.data.calls.length > 0 && (
        <Card size="small" title={t('pwa.support.calls')} className="page-section" data-testid="support-calls">
          <ul className="support-calls">
            {detail.data.calls.map((call) => (
              <li key={call.id}>
                <span>{formatDateTime(call.startedAt, locale)}</span> {t(`pwa.support.direction.${call.direction}`)} ·{' '}
                {call.voicemailSeconds !== null
                  ? t('pwa.support.voicemailLeft', { length: clock(call.voicemailSeconds) })
                  : t(`pwa.support.callState.${call.state}`)}
                {call.talkSeconds !== null && ` · ${t('pwa.support.talked', { length: clock(call.talkSeconds) })}`}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {(detail.data.messages.length > 0 || detail.data.calls.length === 0) && (
        <Card>
          <ol className="support-thread" aria-label={conversationTitle(conversation, t)}>
            {detail.data.messages.map((message) => (
              <li
                key={message.id}
                className={message.authorType === 'agent' ? 'from-agent' : message.authorType === 'system' ? 'from-system' : 'from-me'}
              >
                <div className="support-thread-meta">
                  <strong>{authorOf(message)}</strong> <span>{formatDateTime(message.createdAt, locale)}</span>
                </div>
                {message.body && <div className="support-thread-body">{message.body}</div>}
                {message.attachment && (
                  <div className="support-thread-attachment">
                    <PaperClipOutlined /> {t('pwa.support.attachment', { name: message.attachment.fileName })}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </Card>
      )}
      <Card className="page-section">
        {isLive && conversation.channel === 'chat' && (
          <Button type="primary" icon={<MessageOutlined />} onClick={() => openChat({ category: conversation.category })}>
            {t('pwa.support.continueChat')}
          </Button>
        )}
        {isLive && conversation.channel !== 'chat' && conversation.reference && (
          <Typography.Paragraph>{t('pwa.support.replyByEmail', { reference: conversation.reference })}</Typography.Paragraph>
        )}
        {!isLive && <Alert type="success" showIcon title={t('pwa.support.resolvedNote')} />}
        {customerId && pushSupport() === 'supported' && !isPushOnHere(customerId) && (
          <Typography.Paragraph className="notify-hint">
            <BellOutlined /> <Link to="/app/security#notifications">{t('pwa.support.enableNotifications')}</Link>
          </Typography.Paragraph>
        )}
      </Card>
    </div>
  );
}
