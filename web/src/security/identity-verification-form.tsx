import { UploadOutlined } from '@ant-design/icons';
import {
  findIdNumberProblem,
  type IdType,
  identityDocumentTypes,
  maxIdentityDocumentBytes,
  normalizeIdNumber,
  type VerificationSubmission,
} from '@okpay/contracts';
import { Alert, Button, Form, Input, Radio, Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import { submitIdentityVerification } from '../api/wallet';
import { markFieldErrors } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { displayTimeZone } from '../wallet/money';

type VerificationForm = { realName: string; idType: IdType; idNumber: string; document: UploadFile[] };

// The server's refusals, by the field they are about.
const fieldsByCode = {
  resident_id_format_invalid: 'idNumber',
  resident_id_birth_date_invalid: 'idNumber',
  resident_id_checksum_invalid: 'idNumber',
  passport_number_invalid: 'idNumber',
  document_missing: 'document',
  document_too_large: 'document',
  document_type_not_supported: 'document',
};

/** Today in China, as the server counts it when it checks the birth date inside a resident ID. */
function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: displayTimeZone() }).format(new Date());
}

/** Real name, ID type and number (checked here as the server will), and a photo of the document. */
export function IdentityVerificationForm({ onSubmitted }: { onSubmitted: (submission: VerificationSubmission) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<VerificationForm>();
  const { isSubmitting, error, run } = useSubmission();

  const submit = (values: VerificationForm) =>
    run(
      async () => {
        const file = values.document[0]?.originFileObj;
        if (!file) throw new Error('the document rule let an empty upload through');
        const submission = await submitIdentityVerification({
          realName: values.realName.trim(),
          idType: values.idType,
          idNumber: normalizeIdNumber(values.idNumber),
          document: file,
        });
        form.resetFields();
        onSubmitted(submission);
      },
      (caught) => markFieldErrors(form, caught, t, fieldsByCode),
    );

  return (
    <Form<VerificationForm>
      form={form}
      name="identityVerification"
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      disabled={isSubmitting}
      initialValues={{ idType: 'resident_id', document: [] }}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      <Form.Item
        label={t('security.realName')}
        name="realName"
        rules={[
          { required: true, whitespace: true, message: t('security.realNameRequired') },
          { max: 100, message: t('security.realNameTooLong') },
        ]}
        extra={t('security.realNameHint')}
      >
        <Input autoComplete="name" />
      </Form.Item>
      <Form.Item label={t('security.idType')} name="idType">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'resident_id', label: t('security.idTypes.resident_id') },
            { value: 'passport', label: t('security.idTypes.passport') },
          ]}
        />
      </Form.Item>
      <Form.Item
        label={t('security.idNumber')}
        name="idNumber"
        dependencies={['idType']}
        validateTrigger="onBlur"
        rules={[
          { required: true, whitespace: true, message: t('security.idNumberRequired') },
          {
            validator: async (_rule, value: unknown) => {
              if (typeof value !== 'string' || value.trim() === '') return;
              const problem = findIdNumberProblem(form.getFieldValue('idType'), normalizeIdNumber(value), today());
              if (problem) throw new Error(t(`security.idProblems.${problem}`));
            },
          },
        ]}
      >
        <Input autoComplete="off" spellCheck={false} className="mono" />
      </Form.Item>
      <Form.Item
        label={t('security.document')}
        name="document"
        valuePropName="fileList"
        getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList.slice(-1)}
        extra={t('security.documentHint')}
        rules={[
          {
            validator: async (_rule, files: UploadFile[] | undefined) => {
              const file = files?.[0];
              if (!file) throw new Error(t('security.documentRequired'));
              if (!(identityDocumentTypes as readonly string[]).includes(file.type ?? '')) throw new Error(t('security.documentType'));
              if ((file.size ?? 0) > maxIdentityDocumentBytes) throw new Error(t('security.documentTooLarge'));
            },
          },
        ]}
      >
        <Upload
          accept={identityDocumentTypes.join(',')}
          listType="picture"
          maxCount={1}
          // Kept in the page and sent with the form, not uploaded on its own.
          beforeUpload={() => false}
        >
          <Button icon={<UploadOutlined />}>{t('security.chooseDocument')}</Button>
        </Upload>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={isSubmitting} disabled={isSubmitting}>
        {t('security.submitVerification')}
      </Button>
    </Form>
  );
}
