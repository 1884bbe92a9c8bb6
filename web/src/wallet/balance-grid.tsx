import { LockOutlined } from '@ant-design/icons';
import { type balanceSchema, formatMinorUnits } from '@okpay/contracts';
import { Card, Col, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { currentLocale } from '../i18n';
import { currencyName } from './money';

type Balance = z.infer<typeof balanceSchema>;

/** One tile per currency: the code, its name and the available amount in the currency's own decimals. */
export function BalanceGrid({ balances }: { balances: Balance[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Row gutter={[16, 16]}>
      {balances.map((balance) => (
        <Col key={balance.currency} xs={24} sm={12} lg={8}>
          <Card className="balance-tile" aria-label={`${balance.currency} ${t('wallet.available')}`}>
            <div className="balance-tile-head">
              <span className="balance-currency">{balance.currency}</span>
              <Typography.Text type="secondary">{currencyName(balance.currency, locale)}</Typography.Text>
              {balance.isFrozen && (
                <Tag color="error" icon={<LockOutlined />} className="balance-frozen-tag">
                  {t('wallet.frozenTag')}
                </Tag>
              )}
            </div>
            <div className="balance-label">{t('wallet.available')}</div>
            <div className="balance-amount" data-currency={balance.currency}>
              {formatMinorUnits(balance.available.amount, balance.currency)}
            </div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
