import { CreditCardOutlined } from '@ant-design/icons';
import type { CardBrand } from '@okpay/contracts';
import { useTranslation } from 'react-i18next';

/** "Visa •••• 4242": the brand and the last four digits, the only card details the page ever shows. */
export function CardLabel({ brand, last4, showIcon = false }: { brand: CardBrand; last4: string; showIcon?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="card-label">
      {showIcon && <CreditCardOutlined />}
      <span>{t(`cards.brands.${brand}`)}</span>
      <span className="card-digits">•••• {last4}</span>
    </span>
  );
}
