import { EyeOutlined } from '@ant-design/icons';
import type { StaffVerificationDetail } from '@okpay/contracts';
import { Alert, App, Button, Descriptions, Drawer, Form, Grid, Image, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api/client';
import { fetchVerificationDocument, getVerification, reviewVerification } from '../api/compliance';
import { useLoaded } from '../api/use-loaded';
import { currentLocale } from '../i18n';
import { formatDateTime } from '../wallet/money';
import { verificationStatusColours } from './compliance-labels';

/** The document image as an object URL, fetched with the staff session; released when the drawer closes. */
function useDocumentImage() {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const [isLoading, setLoading] = useState(false);

  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  const load = async (documentUrl: string) => {
    setLoading(true);
    setError(undefined);
    try {
      setUrl(URL.createObjectURL(await fetchVerificationDocument(documentUrl)));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setLoading(false);
    }
  };

  return { url, error, isLoading, load };
}

function DocumentViewer({ detail }: { detail: StaffVerificationDetail }) {
  const { t } = useTranslation();
  const image = useDocumentImage();
  if (!detail.documentUrl) return <Typography.Text type="secondary">{t('agent.verifications.documentCheckersOnly')}</Typography.Text>;
  const documentUrl = detail.documentUrl;
  return (
    <Space orientation="vertical" className="full-width">
      {image.error && <Alert type="error" showIcon title={image.error} />}
      {image.url ? (
        <Image src={image.url} alt={t('agent.verifications.documentAlt', { name: detail.realName })} className="document-image" />
      ) : (
        <Button icon={<EyeOutlined />} onClick={() => void image.load(documentUrl)} loading={image.isLoading}>
          {t('agent.verifications.viewDocument')}
        </Button>
      )}
      {/* Every view is written to the audit log: say so before the click, not after. */}
      <Typography.Text type="secondary">{t('agent.verifications.documentAudited')}</Typography.Text>
    </Space>
  );
}

type Decision = 'approve' | 'reject';

/** One submission in full; supervisors and admins see the whole ID number and the photo, and decide. */
export function VerificationDrawer({
  id,
  canReview,
  onClose,
  onReviewed,
}: {
  id: string | undefined;
  canReview: boolean;
  onClose: () => void;
  onReviewed: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const locale = currentLocale();
  const load = useCallback(() => (id ? getVerification(id) : Promise.resolve(undefined)), [id]);
  const detail = useLoaded(['staff', 'verification', id], load, { enabled: id !== undefined });
  const [form] = Form.useForm<{ note?: string }>();
  const [deciding, setDeciding] = useState<Decision>();
  const [decisionError, setDecisionError] = useState<string>();

  const decide = async (decision: Decision) => {
    if (!id) return;
    // Rejecting needs a reason the customer can act on; approving may go without one.
    const fields = await form.validateFields().catch(() => undefined);
    if (!fields) return;
    const note = fields.note?.trim();
    if (decision === 'reject' && !note) {
      form.setFields([{ name: 'note', errors: [t('agent.verifications.rejectNoteRequired')] }]);
      return;
    }
    setDeciding(decision);
    setDecisionError(undefined);
    try {
      await reviewVerification(id, decision, note);
      void message.success(decision === 'approve' ? t('agent.verifications.approved') : t('agent.verifications.rejected'));
      form.resetFields();
      onReviewed();
    } catch (error) {
      setDecisionError(messageOf(error));
    } finally {
      setDeciding(undefined);
    }
  };

  const data = detail.data;

  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      title={t('agent.verifications.detailTitle')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
    >
      {detail.error && <Alert type="error" showIcon title={detail.error} className="form-alert" />}
      {!data || data.id !== id ? (
        !detail.error && <Skeleton active />
      ) : (
        <Space orientation="vertical" size="large" className="full-width">
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'customer',
                label: t('agent.verifications.customer'),
                children: `${data.customer.displayName} · ${data.customer.email}`,
              },
              { key: 'name', label: t('security.realName'), children: data.realName },
              { key: 'type', label: t('security.idType'), children: t(`security.idTypes.${data.idType}`) },
              {
                key: 'number',
                label: t('security.idNumber'),
                children: data.idNumber ? (
                  <Typography.Text copyable className="mono">
                    {data.idNumber}
                  </Typography.Text>
                ) : (
                  <span>
                    <span className="mono">{data.idNumberMasked}</span>{' '}
                    <Typography.Text type="secondary">{t('agent.verifications.maskedForAgents')}</Typography.Text>
                  </span>
                ),
              },
              { key: 'submitted', label: t('security.submittedAt'), children: formatDateTime(data.submittedAt, locale) },
              {
                key: 'status',
                label: t('agent.status'),
                children: <Tag color={verificationStatusColours[data.status]}>{t(`agent.verificationStatuses.${data.status}`)}</Tag>,
              },
              ...(data.reviewedBy
                ? [
                    {
                      key: 'reviewed',
                      label: t('agent.verifications.reviewedBy'),
                      children: `${data.reviewedBy.displayName} · ${data.reviewedAt ? formatDateTime(data.reviewedAt, locale) : ''}`,
                    },
                  ]
                : []),
              ...(data.reviewNote ? [{ key: 'note', label: t('agent.note'), children: data.reviewNote }] : []),
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('agent.verifications.document')}</Typography.Title>
            <DocumentViewer detail={data} />
          </div>
          {data.status === 'pending' &&
            (canReview ? (
              <Form form={form} layout="vertical" requiredMark={false} disabled={deciding !== undefined}>
                <Typography.Title level={5}>{t('agent.verifications.decisionTitle')}</Typography.Title>
                {decisionError && <Alert type="error" showIcon role="alert" title={decisionError} className="form-alert" />}
                <Form.Item
                  label={t('agent.note')}
                  name="note"
                  extra={t('agent.verifications.noteHint')}
                  rules={[{ max: 1000, message: t('agent.noteTooLong', { max: 1000 }) }]}
                >
                  <Input.TextArea rows={3} maxLength={1000} />
                </Form.Item>
                <Space wrap>
                  <Button type="primary" onClick={() => void decide('approve')} loading={deciding === 'approve'}>
                    {t('agent.verifications.approve')}
                  </Button>
                  <Button danger onClick={() => void decide('reject')} loading={deciding === 'reject'}>
                    {t('agent.verifications.reject')}
                  </Button>
                </Space>
              </Form>
            ) : (
              <Alert type="info" showIcon title={t('agent.verifications.readOnly')} />
            ))}
        </Space>
      )}
    </Drawer>
  );
}
