import { ClockCircleOutlined, CreditCardOutlined, CustomerServiceOutlined, PhoneOutlined, WalletOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../layout/button-link';
import { useKnownCustomer } from '../layout/public-layout';
import { usePageTitle } from '../layout/use-page-title';
import { SupportHoursList, SupportNumbers, useSupportHours } from './support-hours';

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.pageTitle'));
  const customer = useKnownCustomer();
  const supportHours = useSupportHours();
  const features = [
    { icon: <WalletOutlined />, title: t('home.featureWalletTitle'), body: t('home.featureWalletBody') },
    { icon: <CreditCardOutlined />, title: t('home.featureCardsTitle'), body: t('home.featureCardsBody') },
    { icon: <CustomerServiceOutlined />, title: t('home.featureServiceTitle'), body: t('home.featureServiceBody') },
  ];
  // The numbers are the deployment's (SUPPORT_PHONE, SUPPORT_PHONE_OVERSEAS), served with the phone line's hours.
  const contacts = [
    { key: 'phone', icon: <PhoneOutlined />, label: t('home.phoneLabel'), value: <SupportNumbers {...supportHours} />, span: 1 },
    {
      key: 'hours',
      icon: <ClockCircleOutlined />,
      label: t('home.hoursLabel'),
      value: <SupportHoursList {...supportHours} />,
      span: 2,
    },
  ];
  return (
    <div className="home">
      <section className="home-hero">
        <Typography.Title level={1}>{t('home.heroTitle')}</Typography.Title>
        <Typography.Paragraph className="home-hero-subtitle">{t('home.heroSubtitle')}</Typography.Paragraph>
        {customer === undefined ? null : customer ? (
          <Space size="middle" wrap>
            <Typography.Text className="home-welcome">{t('home.welcomeBack', { name: customer.displayName })}</Typography.Text>
            <ButtonLink to="/app" type="primary" size="large">
              {t('home.openWallet')}
            </ButtonLink>
          </Space>
        ) : (
          <Space size="middle" wrap>
            <ButtonLink to="/register" type="primary" size="large">
              {t('home.getStarted')}
            </ButtonLink>
            <ButtonLink to="/login" size="large">
              {t('home.haveAccount')}
            </ButtonLink>
          </Space>
        )}
      </section>

      <section className="home-section">
        <Row gutter={[24, 24]}>
          {features.map((feature) => (
            <Col xs={24} md={8} key={feature.title}>
              <Card className="feature-card">
                <div className="feature-icon" aria-hidden="true">
                  {feature.icon}
                </div>
                <Typography.Title level={4}>{feature.title}</Typography.Title>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {feature.body}
                </Typography.Paragraph>
              </Card>
            </Col>
          ))}
        </Row>
      </section>

      <section className="home-section" aria-labelledby="contact-title">
        <Card>
          <Typography.Title level={3} id="contact-title" style={{ marginTop: 0 }}>
            {t('home.contactTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('home.contactIntro')}</Typography.Paragraph>
          <Descriptions
            column={{ xs: 1, md: 3 }}
            layout="vertical"
            colon={false}
            items={contacts.map((contact) => ({
              key: contact.key,
              label: (
                <Space>
                  {contact.icon}
                  {contact.label}
                </Space>
              ),
              children: contact.value,
              span: contact.span,
            }))}
          />
        </Card>
      </section>
    </div>
  );
}
