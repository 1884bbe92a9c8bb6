import type { UnfreezeRequest } from '@okpay/contracts';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, messageOf } from '../api/client';
import { decideUnfreezeRequest } from '../api/compliance';
import { currentLocale } from '../i18n';
import { formatDateTime } from '../wallet/money';
import { verificationLevelColours, verificationStatusColours } from './compliance-labels';

type Decision = 'approve' | 'reject';

/** Refusals that follow from the rules of the four-eyes unfreeze, each with a title saying which rule. */
const ruleRefusals = new Set(['four_eyes_required', 'verification_required', 'forbidden']);

/** One unfreeze request with everything the checker needs: the freeze, who proposed it and why, and the identity evidence. */
export function UnfreezeRequestCard({
  request,
  staffId,
  onDecided,
}: {
  request: UnfreezeRequest;
  /** The signed-in checker, to say so when they proposed this request themselves. */
  staffId: string;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const [form] = Form.useForm<{ note: string }>();
  const [deciding, setDeciding] = useState<Decision>();
  const [refusal, setRefusal] = useState<unknown>();
  const { freeze, verification } = request;
  const isOwnProposal = request.proposedBy.id === staffId;
  const isMissingVerification = freeze.requiresVerification && verification.level !== 'verified';

  const decide = async (decision: Decision) => {
    const fields = await form.validateFields().catch(() => undefined);
    if (!fields) return;
    setDeciding(decision);
    setRefusal(undefined);
    try {
      await decideUnfreezeRequest(request.id, decision, fields.note.trim());
      void message.success(decision === 'approve' ? t('agent.unfreeze.approved') : t('agent.unfreeze.rejected'));
      onDecided();
    } catch (error) {
      setRefusal(error);
    } finally {
      setDeciding(undefined);
    }
  };

  const setBy =
    freeze.setBy.type === 'staff'
      ? (freeze.setBy.staff?.displayName ?? t('agent.unfreeze.setByStaff'))
      : freeze.setBy.type === 'system'
        ? t('agent.unfreeze.setBySystem', { rule: freeze.setBy.rule ?? '—' })
        : t('agent.unfreeze.setByCustomer');

  const refusalCode = refusal instanceof ApiError ? refusal.code : undefined;

  return (
    <Card
      className="unfreeze-card"
      title={
        <span className="unfreeze-card-title">
          <span>{request.customer.displayName}</span>
          <Typography.Text type="secondary">{request.customer.email}</Typography.Text>
        </span>
      }
      extra={
        <Space wrap size={4}>
          {request.isStale && <Tag color="warning">{t('agent.unfreeze.stale')}</Tag>}
          <Tag color={verificationStatusColours[request.status]}>{t(`agent.verificationStatuses.${request.status}`)}</Tag>
        </Space>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={8}>
          <Descriptions
            title={t('agent.unfreeze.freeze')}
            column={1}
            size="small"
            items={[
              {
                key: 'reason',
                label: t('agent.unfreeze.reason'),
                children: (
                  <Space wrap size={4}>
                    <span>{t(`agent.freezeReasons.${freeze.reason}`)}</span>
                    {freeze.requiresVerification && <Tag>{t('agent.unfreeze.needsVerification')}</Tag>}
                  </Space>
                ),
              },
              { key: 'note', label: t('agent.unfreeze.internalNote'), children: freeze.note ?? '—' },
              { key: 'by', label: t('agent.unfreeze.setBy'), children: setBy },
              { key: 'since', label: t('agent.unfreeze.since'), children: formatDateTime(freeze.createdAt, locale) },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <Descriptions
            title={t('agent.unfreeze.proposal')}
            column={1}
            size="small"
            items={[
              { key: 'by', label: t('agent.unfreeze.proposedBy'), children: request.proposedBy.displayName },
              { key: 'note', label: t('agent.unfreeze.proposalNote'), children: request.proposalNote },
              { key: 'at', label: t('agent.unfreeze.proposedAt'), children: formatDateTime(request.createdAt, locale) },
              ...(request.conversationId
                ? [
                    {
                      key: 'conversation',
                      label: t('agent.unfreeze.conversation'),
                      children: <span className="mono">{request.conversationId}</span>,
                    },
                  ]
                : []),
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <Descriptions
            title={t('agent.unfreeze.evidence')}
            column={1}
            size="small"
            items={[
              {
                key: 'level',
                label: t('agent.unfreeze.verificationLevel'),
                children: <Tag color={verificationLevelColours[verification.level]}>{t(`security.levels.${verification.level}`)}</Tag>,
              },
              ...(verification.latest
                ? [
                    {
                      key: 'latest',
                      label: t('agent.unfreeze.latestSubmission'),
                      children: `${t(`security.idTypes.${verification.latest.idType}`)} · ${t(`agent.verificationStatuses.${verification.latest.status}`)} · ${formatDateTime(verification.latest.submittedAt, locale)}`,
                    },
                  ]
                : []),
            ]}
          />
        </Col>
      </Row>

      {request.status !== 'pending' ? (
        <Alert
          className="unfreeze-decision"
          type={request.status === 'approved' ? 'success' : 'warning'}
          showIcon
          title={t('agent.unfreeze.decidedBy', {
            name: request.decidedBy?.displayName ?? '—',
            time: request.decidedAt ? formatDateTime(request.decidedAt, locale) : '—',
          })}
          description={request.decisionNote}
        />
      ) : (
        <Form form={form} layout="vertical" requiredMark={false} disabled={deciding !== undefined} className="unfreeze-decision">
          {isOwnProposal && <Alert type="info" showIcon className="form-alert" title={t('agent.unfreeze.ownProposal')} />}
          {isMissingVerification && (
            <Alert type="warning" showIcon className="form-alert" title={t('agent.unfreeze.verificationMissing')} />
          )}
          {refusal !== undefined && (
            <Alert
              type="error"
              showIcon
              role="alert"
              className="form-alert"
              title={
                refusalCode && ruleRefusals.has(refusalCode)
                  ? t(`agent.unfreeze.refusals.${refusalCode as 'four_eyes_required'}`)
                  : messageOf(refusal)
              }
              description={refusalCode && ruleRefusals.has(refusalCode) ? messageOf(refusal) : undefined}
            />
          )}
          <Form.Item
            label={t('agent.unfreeze.decisionNote')}
            name="note"
            rules={[
              { required: true, whitespace: true, message: t('agent.unfreeze.noteRequired') },
              { max: 1000, message: t('agent.noteTooLong', { max: 1000 }) },
            ]}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          <Space wrap>
            <Button type="primary" onClick={() => void decide('approve')} loading={deciding === 'approve'}>
              {t('agent.unfreeze.approve')}
            </Button>
            <Button danger onClick={() => void decide('reject')} loading={deciding === 'reject'}>
              {t('agent.unfreeze.reject')}
            </Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}
