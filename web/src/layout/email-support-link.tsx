import { MailOutlined } from '@ant-design/icons';
import { emailSupportInfoSchema } from '@okpay/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { apiRequest } from '../api/client';

type EmailSupport = z.infer<typeof emailSupportInfoSchema>;

let known: Promise<EmailSupport | null> | undefined;

/** The support address and its promise, asked once per page load (help pages link to it too). */
export function useEmailSupport(): EmailSupport | null {
  const [info, setInfo] = useState<EmailSupport | null>(null);
  useEffect(() => {
    known ??= apiRequest('/api/support/status', { schema: z.object({ email: emailSupportInfoSchema }) }).then(
      (status) => status.email,
      () => null,
    );
    let isCurrent = true;
    void known.then((value) => {
      if (isCurrent) setInfo(value);
    });
    return () => {
      isCurrent = false;
    };
  }, []);
  return info;
}

/** "邮件客服 support@okpay.local · 48 小时内回复": email support, wherever customers look for help. */
export function EmailSupportLink() {
  const { t } = useTranslation();
  const info = useEmailSupport();
  if (!info) return null;
  return (
    <span className="email-support-link">
      <MailOutlined aria-hidden="true" /> {t('support.emailLabel')} <a href={`mailto:${info.address}`}>{info.address}</a> ·{' '}
      {t('support.emailPromise', { hours: info.replyWithinHours })}
    </span>
  );
}
