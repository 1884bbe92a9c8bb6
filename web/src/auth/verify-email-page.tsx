import { emailVerifyRequestSchema } from '@okpay/contracts';
import { Result, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { messageOf } from '../api/client';
import { verifyEmail } from '../api/identity';
import { AuthCard } from '../layout/auth-card';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';

type Outcome = { status: 'pending' } | { status: 'done'; message: string } | { status: 'failed'; message: string };

const tokenSchema = emailVerifyRequestSchema.shape.token;

export function VerifyEmailPage() {
  const { t } = useTranslation();
  usePageTitle(t('verifyEmail.pageTitle'));
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token');
  const reloadSession = useCustomerSession().load;
  const [outcome, setOutcome] = useState<Outcome>({ status: 'pending' });
  // The token works once; React may run effects twice in development, so send it only once.
  const sentFor = useRef<string | null>(null);

  useEffect(() => {
    if (sentFor.current === token) return;
    sentFor.current = token;
    const parsed = tokenSchema.safeParse(token);
    if (!parsed.success) {
      setOutcome({ status: 'failed', message: t('verifyEmail.linkIncomplete') });
      return;
    }
    verifyEmail(parsed.data).then(
      (answer) => {
        setOutcome({ status: 'done', message: answer.message });
        // A signed-in customer's badge should turn green without a reload.
        void reloadSession();
      },
      (error: unknown) => setOutcome({ status: 'failed', message: messageOf(error) }),
    );
  }, [token, t, reloadSession]);

  return (
    <AuthCard title={t('verifyEmail.pageTitle')}>
      {outcome.status === 'pending' && (
        <div className="centred-block">
          <Spin description={t('verifyEmail.verifying')} />
        </div>
      )}
      {outcome.status === 'done' && (
        <Result
          className="compact-result"
          status="success"
          title={t('verifyEmail.doneTitle')}
          subTitle={<span role="status">{outcome.message}</span>}
          extra={
            <ButtonLink to="/app" type="primary">
              {t('verifyEmail.toApp')}
            </ButtonLink>
          }
        />
      )}
      {outcome.status === 'failed' && (
        <Result
          className="compact-result"
          status="error"
          title={t('verifyEmail.failedTitle')}
          subTitle={
            <>
              <span role="alert">{outcome.message}</span>
              <br />
              {t('verifyEmail.failedHint')}
            </>
          }
          extra={
            <ButtonLink to="/app" type="primary">
              {t('verifyEmail.toApp')}
            </ButtonLink>
          }
        />
      )}
    </AuthCard>
  );
}
