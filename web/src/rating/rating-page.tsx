import { type RatingReason, type RatingSurvey, ratingTokenSchema } from '@okpay/contracts';
import { Alert, Button, Checkbox, Form, Input, Radio, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError, messageOf } from '../api/client';
import { optOutOfRatings, readRatingSurvey, submitRating } from '../api/ratings';
import { useSubmission } from '../forms/use-submission';
import { i18n } from '../i18n';
import { AuthCard } from '../layout/auth-card';
import { usePageTitle } from '../layout/use-page-title';
import { formatDateTime } from '../wallet/money';
import { Face } from './face';
import { reasonsForScore } from './rating-labels';

type Loaded = { kind: 'loading' } | { kind: 'failed'; code: string; message: string } | { kind: 'ready'; survey: RatingSurvey };

/**
 * Where a survey mail's face links land. Opening it records nothing (mail scanners open every
 * link): the face from the link is only preselected, and the customer's own submit records it.
 */
export function RatingPage() {
  const { t } = useTranslation();
  usePageTitle(t('rating.pageTitle'));
  const [searchParams] = useSearchParams();
  const token = ratingTokenSchema.shape.token.safeParse(searchParams.get('token')).data;
  const linkScore = Number(searchParams.get('score'));
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [score, setScore] = useState<number>(linkScore >= 1 && linkScore <= 5 ? linkScore : 0);
  const [reasons, setReasons] = useState<RatingReason[]>([]);
  const [comment, setComment] = useState('');
  const [isEditing, setEditing] = useState(true);
  const { isSubmitting, error, run } = useSubmission();

  useEffect(() => {
    // The mail's language, without changing what this browser chose for the site.
    const lang = searchParams.get('lang');
    if ((lang === 'en' || lang === 'zh-CN') && i18n.language !== lang) void i18n.changeLanguage(lang);
  }, [searchParams]);

  useEffect(() => {
    if (!token) return;
    readRatingSurvey(token).then(
      (survey) => {
        setLoaded({ kind: 'ready', survey });
        if (survey.rating) {
          setReasons(survey.rating.reasons);
          setComment(survey.rating.comment ?? '');
          setScore((current) => current || (survey.rating?.score ?? 0));
          // Already answered: show the answer unless the link asks for a different face.
          setEditing(linkScore >= 1 && linkScore <= 5 && linkScore !== survey.rating.score);
        }
      },
      (caught: unknown) =>
        setLoaded({ kind: 'failed', code: caught instanceof ApiError ? caught.code : 'network_error', message: messageOf(caught) }),
    );
  }, [token, linkScore]);

  if (!token || loaded.kind === 'failed') {
    const isExpired = loaded.kind === 'failed' && loaded.code === 'rating_link_expired';
    return (
      <AuthCard title={t('rating.pageTitle')}>
        <Result
          className="compact-result"
          status={isExpired ? 'info' : 'warning'}
          title={isExpired ? t('rating.expiredTitle') : t('rating.invalidTitle')}
          subTitle={loaded.kind === 'failed' ? loaded.message : t('rating.invalidHint')}
        />
      </AuthCard>
    );
  }
  if (loaded.kind === 'loading') {
    return (
      <AuthCard title={t('rating.pageTitle')}>
        <Spin />
      </AuthCard>
    );
  }

  const { survey } = loaded;
  const subtitle = [
    survey.reference ? t('rating.reference', { reference: survey.reference }) : null,
    survey.agentName ? t('rating.agent', { name: survey.agentName }) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  const optOut = () => run(async () => setLoaded({ kind: 'ready', survey: await optOutOfRatings(survey.conversationId, token) }));
  const optOutLink = survey.hasOptedOut ? (
    <Typography.Text type="secondary">{t('rating.optedOut')}</Typography.Text>
  ) : (
    <Button type="link" onClick={() => void optOut()} disabled={isSubmitting}>
      {t('rating.optOut')}
    </Button>
  );

  if (survey.state === 'none') {
    return (
      <AuthCard title={t('rating.pageTitle')} subtitle={subtitle}>
        <Result className="compact-result" status="info" title={t('rating.notOpen')} />
      </AuthCard>
    );
  }

  const rating = survey.rating;
  if (rating && (!isEditing || survey.state === 'closed')) {
    return (
      <AuthCard title={t('rating.pageTitle')} subtitle={subtitle}>
        <Result
          className="compact-result"
          status="success"
          icon={<Face score={rating.score} size={64} />}
          title={t('rating.thanks')}
          subTitle={
            <span role="status">
              {t('rating.given', { label: t(`rating.scores.${rating.score}` as 'rating.scores.1') })}
              {rating.reasons.length > 0 && ` · ${rating.reasons.map((reason) => t(`rating.reasons.${reason}`)).join('、')}`}
            </span>
          }
          extra={
            survey.state === 'answered' ? (
              <Space direction="vertical">
                <Typography.Text type="secondary">
                  {t('rating.changeUntil', { date: formatDateTime(rating.changeableUntil, i18n.language === 'en' ? 'en' : 'zh-CN') })}
                </Typography.Text>
                <Button onClick={() => setEditing(true)}>{t('rating.change')}</Button>
                {optOutLink}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('rating.closed')}</Typography.Text>
            )
          }
        />
      </AuthCard>
    );
  }

  const submit = () =>
    run(async () => {
      const answer = await submitRating(survey.conversationId, {
        token,
        score,
        reasons: reasons.filter((reason) => reasonsForScore(score).includes(reason)),
        comment: comment.trim() || undefined,
      });
      setLoaded({ kind: 'ready', survey: answer });
      setEditing(false);
    });

  return (
    <AuthCard title={t('rating.question')} subtitle={subtitle}>
      <Alert type="info" showIcon message={t('rating.notYetRecorded')} style={{ marginBottom: 16 }} />
      <Form layout="vertical" onFinish={() => void submit()} disabled={isSubmitting}>
        <Form.Item label={t('rating.scoreLabel')} required>
          <Radio.Group
            className="rating-faces"
            value={score || undefined}
            onChange={(event) => setScore(Number(event.target.value))}
            optionType="button"
            options={[1, 2, 3, 4, 5].map((value) => ({
              value,
              label: (
                <span className="rating-face">
                  <Face score={value} />
                  {t(`rating.scores.${value}` as 'rating.scores.1')}
                </span>
              ),
            }))}
          />
        </Form.Item>
        {score > 0 && (
          <Form.Item label={t('rating.reasonsLabel')}>
            <Checkbox.Group
              value={reasons}
              onChange={(values) => setReasons(values as RatingReason[])}
              options={reasonsForScore(score).map((reason) => ({ value: reason, label: t(`rating.reasons.${reason}`) }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t('rating.commentLabel')}>
          <Input.TextArea rows={3} maxLength={1000} showCount value={comment} onChange={(event) => setComment(event.target.value)} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block loading={isSubmitting} disabled={score === 0}>
          {t('rating.submit')}
        </Button>
        <div style={{ textAlign: 'center', marginTop: 8 }}>{optOutLink}</div>
      </Form>
    </AuthCard>
  );
}
