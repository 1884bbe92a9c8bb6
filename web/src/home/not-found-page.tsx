import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.pageTitle'));
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.body')}
      extra={
        <ButtonLink to="/" type="primary">
          {t('common.backHome')}
        </ButtonLink>
      }
    />
  );
}
