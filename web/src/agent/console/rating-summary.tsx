import type { AgentRating, AgentSurvey } from '@okpay/contracts';
import { App, Button, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../api/client';
import { markRatingReviewed } from '../../api/ratings';
import { currentLocale } from '../../i18n';
import { Face } from '../../rating/face';
import { formatShortTime } from './time';

/**
 * The customer's rating above the timeline: the face, reasons and comment, and for a low one a
 * supervisor's "followed up" button. Without a rating, what became of the survey.
 */
export function RatingSummary({
  conversationId,
  rating,
  survey,
  canReview,
  onChanged,
}: {
  conversationId: string;
  rating: AgentRating | null;
  survey: AgentSurvey | null;
  canReview: boolean;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  if (!rating) {
    if (!survey || survey.status === 'answered') return null;
    const line =
      survey.status === 'scheduled'
        ? t('rating.survey.scheduled', { time: survey.sendAt ? formatShortTime(survey.sendAt, currentLocale()) : '' })
        : survey.status === 'sent'
          ? t('rating.survey.sent')
          : t('rating.survey.skipped', {
              reason: t(`rating.skipReasons.${survey.skipReason ?? 'opted_out'}` as 'rating.skipReasons.opted_out'),
            });
    return (
      <div className="rating-summary rating-summary-quiet" data-testid="rating-summary">
        <Typography.Text type="secondary">{line}</Typography.Text>
      </div>
    );
  }
  const review = async () => {
    try {
      await markRatingReviewed(conversationId);
      void message.success(t('rating.markedReviewed'));
      onChanged();
    } catch (error) {
      void message.error(messageOf(error));
    }
  };
  return (
    <div className={`rating-summary${rating.needsReview ? ' rating-summary-low' : ''}`} data-testid="rating-summary">
      <Space size={[8, 4]} wrap align="center">
        <Typography.Text strong>{t('rating.consoleTitle')}</Typography.Text>
        <Face score={rating.score} size={22} />
        <Typography.Text>
          {rating.score}/5 · {t(`rating.scores.${rating.score}` as 'rating.scores.1')}
        </Typography.Text>
        {rating.reasons.map((reason) => (
          <Tag key={reason}>{t(`rating.reasons.${reason}`)}</Tag>
        ))}
        <Typography.Text type="secondary">
          {t('rating.via', { source: t(`rating.sources.${rating.source}`) })} · {formatShortTime(rating.updatedAt, currentLocale())}
        </Typography.Text>
        {rating.needsReview && <Tag color="red">{t('rating.needsReview')}</Tag>}
        {rating.reviewedByName && <Tag color="green">{t('rating.reviewed', { name: rating.reviewedByName })}</Tag>}
        {rating.needsReview && canReview && (
          <Button size="small" onClick={() => void review()}>
            {t('rating.markReviewed')}
          </Button>
        )}
      </Space>
      {rating.comment && <Typography.Paragraph className="rating-summary-comment">“{rating.comment}”</Typography.Paragraph>}
    </div>
  );
}
