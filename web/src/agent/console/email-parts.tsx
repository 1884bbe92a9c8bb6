import { ExclamationCircleOutlined, MailOutlined, PaperClipOutlined, ReloadOutlined, StopOutlined, SyncOutlined } from '@ant-design/icons';
import type { EmailMessageView } from '@okpay/contracts';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { retryEmail, startEmailConversation } from '../../api/agent-console';
import { messageOf } from '../../api/client';

const reviewFlags = new Set([
  'sender_mismatch',
  'several_from',
  'no_from',
  'authentication_failed',
  'not_a_participant',
  'unreadable',
  'truncated',
]);

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function deliveryLabel(email: EmailMessageView, t: TFunction): string | null {
  switch (email.status) {
    case 'queued':
      return email.lastError ? t('console.email.delivery.retrying', { reason: email.lastError }) : t('console.email.delivery.queued');
    case 'sent':
      return t('console.email.delivery.sent', { to: email.to });
    case 'failed':
      return t('console.email.delivery.failed', { reason: email.lastError ?? '' });
    case 'bounced':
      return t('console.email.delivery.bounced', { reason: email.lastError ?? '' });
    default:
      return null;
  }
}

function DeliveryState({ email }: { email: EmailMessageView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [isRetrying, setRetrying] = useState(false);
  const label = deliveryLabel(email, t);
  if (!label) return null;
  const isProblem = email.status === 'failed' || email.status === 'bounced';
  return (
    <div className={`email-delivery is-${email.status}`} role={isProblem ? 'alert' : undefined}>
      {email.status === 'queued' ? <SyncOutlined spin /> : isProblem ? <StopOutlined /> : <MailOutlined />} {label}
      {isProblem && (
        <Button
          size="small"
          type="link"
          icon={<ReloadOutlined />}
          loading={isRetrying}
          onClick={() => {
            setRetrying(true);
            retryEmail(email.id)
              .then(
                () => void message.success(t('console.email.resent')),
                (error: unknown) => void message.error(messageOf(error)),
              )
              .finally(() => setRetrying(false));
          }}
        >
          {t('console.email.resend')}
        </Button>
      )}
    </div>
  );
}

/** What a mail adds to its message bubble: warnings, files, the folded history, delivery. */
export function EmailMessageExtras({ email }: { email: EmailMessageView }) {
  const { t } = useTranslation();
  const [isQuotedOpen, setQuotedOpen] = useState(false);
  const flags = email.flags.filter((flag) => reviewFlags.has(flag));
  return (
    <div className="email-extras">
      {flags.length > 0 && (
        <Alert
          className="email-flags"
          type="warning"
          showIcon
          icon={<ExclamationCircleOutlined />}
          title={flags.map((flag) => t(`console.email.flags.${flag}` as 'console.email.flags.truncated')).join(' ')}
        />
      )}
      {email.attachments.length > 0 && (
        <ul className="email-attachments" aria-label={t('console.email.attachments')}>
          {email.attachments.map((file, index) => (
            <li key={file.id ?? `${file.fileName}-${index}`} className={file.refused ? 'is-refused' : undefined}>
              <PaperClipOutlined />{' '}
              {file.id ? (
                <a href={`/api/support/attachments/${file.id}`} target="_blank" rel="noreferrer">
                  {file.fileName}
                </a>
              ) : (
                <span>{file.fileName}</span>
              )}{' '}
              <span className="email-attachment-size">{formatSize(file.size)}</span>
              {file.refused && <span className="email-attachment-refused"> · {t(`console.email.refused.${file.refused}`)}</span>}
            </li>
          ))}
        </ul>
      )}
      {email.quoted && (
        <div className="email-quoted">
          <Button
            size="small"
            type="link"
            className="email-quoted-toggle"
            onClick={() => setQuotedOpen((open) => !open)}
            aria-expanded={isQuotedOpen}
          >
            {isQuotedOpen ? t('console.email.hideQuoted') : t('console.email.showQuoted')}
          </Button>
          {isQuotedOpen && <pre className="email-quoted-text">{email.quoted}</pre>}
        </div>
      )}
      {email.direction === 'outbound' && <DeliveryState email={email} />}
    </div>
  );
}

/** The automatic acknowledgement, as a line in the timeline. */
export function AcknowledgementLine({ email }: { email: EmailMessageView }) {
  const { t } = useTranslation();
  return (
    <div className="timeline-event email-acknowledgement">
      <span>
        <MailOutlined /> {t('console.email.acknowledgement', { to: email.to })}
      </span>
      <DeliveryState email={email} />
    </div>
  );
}

/** 新建邮件: an agent writes to a customer first. */
export function NewEmailDialog({
  isOpen,
  onClose,
  onStarted,
}: {
  isOpen: boolean;
  onClose(): void;
  onStarted(conversationId: string): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ to: string; subject: string; body: string }>();
  const [isSending, setSending] = useState(false);
  const send = async (values: { to: string; subject: string; body: string }) => {
    setSending(true);
    try {
      const started = await startEmailConversation({ to: values.to.trim(), subject: values.subject.trim(), body: values.body.trim() });
      void message.success(t('console.email.sent', { reference: started.reference }));
      form.resetFields();
      onStarted(started.conversationId);
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      open={isOpen}
      title={t('console.email.newTitle')}
      okText={t('console.email.send')}
      cancelText={t('console.email.cancel')}
      confirmLoading={isSending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => void send(values)} requiredMark={false}>
        <Form.Item
          name="to"
          label={t('console.email.to')}
          rules={[{ required: true, type: 'email', message: t('console.email.toInvalid') }]}
        >
          <Input placeholder="customer@example.com" autoComplete="off" />
        </Form.Item>
        <Form.Item name="subject" label={t('console.email.subject')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="body" label={t('console.email.body')} rules={[{ required: true, whitespace: true, max: 4000 }]}>
          <Input.TextArea rows={8} maxLength={4000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
