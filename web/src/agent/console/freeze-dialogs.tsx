import { type FreezeReason, freezeReasons, reasonsNeedingVerification, type StaffFreeze, type VerificationLevel } from '@okpay/contracts';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { freezeCustomer, proposeUnfreeze } from '../../api/compliance';
import { useSubmission } from '../../forms/use-submission';

/** The required, bounded note both dialogs ask for: it is kept in the audit trail. */
function RequiredNoteField({ label, hint, requiredMessage }: { label: string; hint: string; requiredMessage: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={label}
      name="note"
      extra={hint}
      rules={[
        { required: true, whitespace: true, message: requiredMessage },
        { max: 1000, message: t('agent.noteTooLong', { max: 1000 }) },
      ]}
    >
      <Input.TextArea rows={3} maxLength={1000} />
    </Form.Item>
  );
}

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
  const { isSubmitting: isSaving, error, run, clear } = useSubmission();
  const reason = Form.useWatch('reason', form);

  useEffect(() => {
    if (isOpen) {
      form.resetFields();
      clear();
    }
  }, [isOpen, form, clear]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    const isDone = await run(() => freezeCustomer(customerId, { reason: values.reason, note: values.note.trim() }));
    if (isDone) {
      void message.success(t('console.freeze.done'));
      onDone();
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
        <RequiredNoteField
          label={t('console.freeze.note')}
          hint={t('console.freeze.noteHint')}
          requiredMessage={t('console.freeze.noteRequired')}
        />
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
  const { isSubmitting: isSaving, error, run, clear } = useSubmission();

  useEffect(() => {
    if (freeze) {
      form.resetFields();
      clear();
    }
  }, [freeze, form, clear]);

  const submit = async () => {
    if (!freeze) return;
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    const isDone = await run(() => proposeUnfreeze(freeze.id, { note: values.note.trim(), conversationId }));
    if (isDone) {
      void message.success(t('console.unfreeze.done'));
      onDone();
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
        <RequiredNoteField
          label={t('console.unfreeze.note')}
          hint={t('console.unfreeze.noteHint')}
          requiredMessage={t('console.unfreeze.noteRequired')}
        />
      </Form>
    </Modal>
  );
}
