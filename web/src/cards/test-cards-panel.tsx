import { ExperimentOutlined } from '@ant-design/icons';
import { Button, Collapse, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupCardNumber } from './card-number-input';

/** The sandbox bank's cards and what each one does; only these numbers work outside production. */
const testCards = [
  { number: '4242424242424242', outcome: 'success' },
  { number: '4000000000009995', outcome: 'insufficientFunds' },
  { number: '4000000000000341', outcome: 'chargeFails' },
  { number: '4000000000000408', outcome: 'answerLost' },
  { number: '4000000000000119', outcome: 'temporaryError' },
  { number: '4000000000000002', outcome: 'declinedAtBinding' },
] as const;

/** A folded help panel listing the test cards; "use" puts a number into the bind form. */
export function TestCardsPanel({ onUse }: { onUse: (number: string) => void }) {
  const { t } = useTranslation();
  return (
    <Collapse
      className="test-cards"
      items={[
        {
          key: 'test-cards',
          label: (
            <span>
              <ExperimentOutlined /> {t('cards.testCardsTitle')}
            </span>
          ),
          children: (
            <>
              <Typography.Paragraph type="secondary">{t('cards.testCardsIntro')}</Typography.Paragraph>
              <ul className="test-card-list">
                {testCards.map((card) => (
                  <li key={card.number}>
                    <Typography.Text code copyable={{ text: card.number }} className="test-card-number">
                      {groupCardNumber(card.number)}
                    </Typography.Text>
                    <span className="test-card-outcome">{t(`cards.testCards.${card.outcome}`)}</span>
                    <Button size="small" type="link" onClick={() => onUse(groupCardNumber(card.number))}>
                      {t('cards.useTestCard')}
                    </Button>
                  </li>
                ))}
              </ul>
            </>
          ),
        },
      ]}
    />
  );
}
