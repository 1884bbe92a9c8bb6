import { DeleteOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Popconfirm, Row, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api/client';
import { useLoaded } from '../api/use-loaded';
import { listCards, removeCard } from '../api/wallet';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { BindCardForm } from './bind-card-form';

/** /app/cards: the bound cards (brand and last four only), binding a new one, removing one. */
export function CardsPage() {
  const { t } = useTranslation();
  usePageTitle(t('cards.title'));
  const { message } = App.useApp();
  const cards = useLoaded(['customer', 'cards'], listCards);
  const [removing, setRemoving] = useState<string>();

  const remove = async (id: string) => {
    setRemoving(id);
    try {
      await removeCard(id);
      void message.success(t('cards.removed'));
      await cards.reload();
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setRemoving(undefined);
    }
  };

  const list = cards.data?.cards;

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('cards.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('cards.intro')}</Typography.Paragraph>
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={t('cards.listTitle')} className="account-card">
            {cards.error && <Alert type="error" showIcon title={cards.error} className="form-alert" />}
            {!list && !cards.error && <Skeleton active />}
            {list && list.length === 0 && (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cards.empty')} className="console-empty" />
            )}
            {list && list.length > 0 && (
              <ul className="bank-card-list" aria-label={t('cards.listTitle')}>
                {list.map((card) => (
                  <li key={card.id} className="bank-card">
                    <div className={`bank-card-face bank-card-${card.brand}`}>
                      <span className="bank-card-brand">{t(`cards.brands.${card.brand}`)}</span>
                      <span className="card-digits bank-card-digits">•••• {card.last4}</span>
                    </div>
                    <ButtonLink to={`/app/top-up?card=${card.id}`} type="link" size="small">
                      {t('cards.topUpWith')}
                    </ButtonLink>
                    <Popconfirm
                      title={t('cards.removeConfirm')}
                      description={t('cards.removeConfirmHint')}
                      okText={t('cards.removeOk')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('app.cancel')}
                      onConfirm={() => remove(card.id)}
                    >
                      <Button
                        danger
                        type="text"
                        icon={<DeleteOutlined />}
                        loading={removing === card.id}
                        disabled={removing !== undefined}
                        aria-label={`${t('cards.remove')} •••• ${card.last4}`}
                      >
                        {t('cards.remove')}
                      </Button>
                    </Popconfirm>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('cards.bindTitle')} className="account-card">
            <BindCardForm
              onBound={(card) => {
                void message.success(t('cards.bound', { last4: card.last4 }));
                void cards.reload();
              }}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
