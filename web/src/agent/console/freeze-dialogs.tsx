import { type FreezeReason, freezeReasons, reasonsNeedingVerification, type StaffFreeze, type VerificationLevel } from '@okpay/contracts';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../api/client';
import { freezeCustomer, proposeUnfreeze } from '../../api/compliance';

/** 冻结账户: any staff member may freeze; the reason decides what the customer reads and what unfreezing needs. */
export function FreezeDialog({
  isOpen,
  customerId,
  customerName,
  onClose,
  onDone,
}: {
  isOpen: boolean;
  customerId: string;
  customerName: string;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: FreezeReason; note: string }>();
  const [isSaving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const reason = Form.useWatch('reason', form);

  useEffect(() => {
    if (isOpen) {
      form.resetFields();
      setError(undefined);
    }
  }, [isOpen, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSaving(true);
    setError(undefined);
    try {
      await freezeCustomer(customerId, { reason: values.reason, note: values.note.trim() });
      void message.success(t('console.freeze.done'));
      onDone();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={isOpen}
      title={t('console.freeze.title', { name: customerName })}
      okText={t('console.freeze.submit')}
      okButtonProps={{ danger: true, loading: isSaving }}
      cancelText={t('app.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon className="form-alert" title={t('console.freeze.effect')} />
      {error && <Alert type="error" showIcon className="form-alert" title={error} role="alert" />}
      <Form form={form} layout="vertical" requiredMark={false} disabled={isSaving}>
        <Form.Item
          label={t('console.freeze.reason')}
          name="reason"
          rules={[{ required: true, message: t('console.freeze.reasonRequired') }]}
        >
          <Select
            placeholder={t('console.freeze.reasonPlaceholder')}
            options={freezeReasons.map((value) => ({ value, label: t(`agent.freezeReasons.${value}`) }))}
          />
        </Form.Item>
        {reason && reasonsNeedingVerification.includes(reason) && (
          <Alert type="info" showIcon className="form-alert" title={t('console.freeze.needsVerification')} />
        )}
        <Form.Item
          label={t('console.freeze.note')}
          name="note"
          extra={t('console.freeze.noteHint')}
          rules={[
            { required: true, whitespace: true, message: t('console.freeze.noteRequired') },
            { max: 1000, message: t('agent.noteTooLong', { max: 1000 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 申请解冻: the maker's half of the four-eyes unfreeze; a supervisor or admin who is not the proposer decides. */
export function UnfreezeDialog({
  freeze,
  conversationId,
  verificationLevel,
  onClose,
  onDone,
}: {
  freeze: StaffFreeze | undefined;
  conversationId: string;
  verificationLevel: VerificationLevel;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [isSaving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (freeze) {
      form.resetFields();
      setError(undefined);
    }
  }, [freeze, form]);

  const submit = async () => {
    if (!freeze) return;
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSaving(true);
    setError(undefined);
    try {
      await proposeUnfreeze(freeze.id, { note: values.note.trim(), conversationId });
      void message.success(t('console.unfreeze.done'));
      onDone();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={freeze !== undefined}
      title={t('console.unfreeze.title')}
      okText={t('console.unfreeze.submit')}
      okButtonProps={{ loading: isSaving }}
      cancelText={t('app.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        className="form-alert"
        title={t('console.unfreeze.fourEyes')}
        description={t('console.unfreeze.fourEyesHint')}
      />
      {freeze?.requiresVerification && verificationLevel !== 'verified' && (
        <Alert type="warning" showIcon className="form-alert" title={t('console.unfreeze.needsVerification')} />
      )}
      {error && <Alert type="error" showIcon className="form-alert" title={error} role="alert" />}
      <Form form={form} layout="vertical" requiredMark={false} disabled={isSaving}>
        <Form.Item
          label={t('console.unfreeze.note')}
          name="note"
          extra={t('console.unfreeze.noteHint')}
          rules={[
            { required: true, whitespace: true, message: t('console.unfreeze.noteRequired') },
            { max: 1000, message: t('agent.noteTooLong', { max: 1000 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
