import type { FxQuote } from '@okpay/contracts';
import { Descriptions, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatBasisPoints, formatMoney } from '../wallet/money';

/** The price of an exchange: what goes out, both rates, the spread and what it costs, and what arrives. */
export function QuoteDetails({ quote, secondsLeft, validForSeconds }: { quote: FxQuote; secondsLeft: number; validForSeconds: number }) {
  const { t } = useTranslation();
  const isOpen = secondsLeft > 0;
  return (
    // An expired quote stays readable, dimmed: it is no longer a price anyone can have.
    <div className={isOpen ? 'quote' : 'quote quote-stale'}>
      <div className="quote-headline">
        <div>
          <div className="quote-label">{t('exchange.youPay')}</div>
          <div className="quote-amount">{formatMoney(quote.sourceAmount)}</div>
        </div>
        <span className="quote-arrow" aria-hidden="true">
          →
        </span>
        <div>
          <div className="quote-label">{t('exchange.youReceive')}</div>
          <div className="quote-amount quote-amount-received" data-testid="amount-received">
            {formatMoney(quote.amountReceived)}
          </div>
        </div>
      </div>
      <Descriptions
        column={1}
        size="small"
        bordered
        className="quote-table"
        items={[
          {
            key: 'mid',
            label: t('exchange.midRate'),
            children: t('exchange.rateLine', { from: quote.from, to: quote.to, rate: quote.midRate }),
          },
          {
            key: 'rate',
            label: t('exchange.yourRate'),
            children: t('exchange.rateLine', { from: quote.from, to: quote.to, rate: quote.rate }),
          },
          { key: 'spread', label: t('exchange.spread'), children: formatBasisPoints(quote.spreadBps) },
          { key: 'fee', label: t('exchange.fee'), children: `${formatMoney(quote.fee)}${t('exchange.feeIncluded')}` },
          { key: 'received', label: t('exchange.amountReceived'), children: formatMoney(quote.amountReceived) },
        ]}
      />
      {isOpen && (
        <div className="quote-countdown">
          <Typography.Text type={secondsLeft <= 5 ? 'warning' : 'secondary'}>
            {t('exchange.expiresIn', { seconds: secondsLeft })}
          </Typography.Text>
          <Progress
            percent={validForSeconds > 0 ? Math.round((secondsLeft / validForSeconds) * 100) : 0}
            showInfo={false}
            size="small"
            status="active"
            aria-hidden="true"
          />
        </div>
      )}
    </div>
  );
}
