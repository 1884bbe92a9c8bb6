import { ArrowLeftOutlined, HistoryOutlined, PictureOutlined } from '@ant-design/icons';
import { type HelpStaffArticle, type HelpVersion, helpCategories, type Locale, locales } from '@okpay/contracts';
import { Alert, App, Button, Drawer, Form, Input, List, Select, Space, Tabs, Tag, Typography, Upload } from 'antd';
import { diffLines } from 'diff';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { messageOf } from '../../api/client';
import {
  getHelpArticleForStaff,
  listHelpVersions,
  previewHelpArticle,
  type ReviewStep,
  restoreHelpVersion,
  reviewHelpVersion,
  saveHelpDraft,
  updateHelpSettings,
  uploadHelpImage,
} from '../../api/help-centre';
import { useLoaded } from '../../api/use-loaded';
import { currentLocale } from '../../i18n';
import { usePageTitle } from '../../layout/use-page-title';
import { useStaffSession } from '../../session/sessions';
import { formatDateTime } from '../../wallet/money';
import { canEditHelp } from './help-articles-page';

const placeholders = [
  'contact.phone',
  'contact.phoneOverseas',
  'contact.email',
  'hours.chat',
  'hours.phone',
  'hours.emailReply',
  'limits.cny',
  'fx.spread',
];

type Draft = { title: string; summary: string; body: string; keywords: string[] };

/** One article: a tab per language with the Markdown editor and its live preview, review actions, history. */
export function HelpEditorPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const load = useCallback(() => getHelpArticleForStaff(id), [id]);
  const article = useLoaded(['staff', 'help-article', id], load);
  const [isHistoryOpen, setHistoryOpen] = useState(false);
  const locale = (search.get('locale') === 'en' ? 'en' : 'zh-CN') as Locale;
  const current = article.data?.locales.find((state) => state.locale === locale);
  usePageTitle(current?.pending?.title ?? current?.published?.title ?? t('helpCentre.title'));

  if (!article.data) return article.error ? <Alert type="error" showIcon title={article.error} /> : null;
  return (
    <div className="help-admin">
      <Space className="page-heading" wrap>
        <Link to="/agent/help">
          <ArrowLeftOutlined /> {t('helpCentre.editor.back')}
        </Link>
        <a href={`/help/${article.data.slug}?lang=${locale}`} target="_blank" rel="noreferrer">
          {t('helpCentre.editor.viewPage')} /help/{article.data.slug}
        </a>
        <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)}>
          {t('helpCentre.editor.history')}
        </Button>
      </Space>
      <Tabs
        activeKey={locale}
        onChange={(next) => setSearch({ locale: next })}
        items={locales.map((value) => {
          const state = article.data?.locales.find((item) => item.locale === value);
          return {
            key: value,
            label: (
              <span>
                {t(`helpCentre.locales.${value}`)} {state?.isOutdated && <Tag color="orange">{t('helpCentre.outdated')}</Tag>}
                {state?.pending && <Tag color="blue">{t(`helpCentre.status.${state.pending.status}`)}</Tag>}
              </span>
            ),
          };
        })}
      />
      <LocaleEditor
        key={`${locale}-${current?.pending?.id ?? current?.published?.id ?? 'new'}`}
        article={article.data}
        locale={locale}
        onChanged={article.reload}
      />
      <SettingsForm article={article.data} onChanged={article.reload} />
      <HistoryDrawer
        isOpen={isHistoryOpen}
        onClose={() => setHistoryOpen(false)}
        article={article.data}
        locale={locale}
        currentBody={current?.pending?.body ?? current?.published?.body ?? ''}
        onRestored={article.reload}
      />
    </div>
  );
}

function LocaleEditor({ article, locale, onChanged }: { article: HelpStaffArticle; locale: Locale; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const session = useStaffSession();
  const me = session.state.status === 'signed-in' ? session.state.account : undefined;
  const isEditor = canEditHelp(me?.role);
  const state = article.locales.find((item) => item.locale === locale);
  const working = state?.pending ?? state?.published ?? null;
  const latestVersion = Math.max(state?.pending?.version ?? 0, state?.published?.version ?? 0);
  const [draft, setDraft] = useState<Draft>({
    title: working?.title ?? '',
    summary: working?.summary ?? '',
    body: working?.body ?? '',
    keywords: working?.keywords ?? [],
  });
  const [isBusy, setBusy] = useState(false);
  const preview = usePreview(draft.body, locale);
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const source = article.locales.find((item) => item.locale === article.sourceLocale);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      void message.success(done);
      await onChanged();
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  const save = () => act(() => saveHelpDraft(article.id, locale, { ...draft, baseVersion: latestVersion }), t('helpCentre.editor.saved'));
  const review = (step: ReviewStep, note?: string) =>
    act(
      () => reviewHelpVersion(article.id, locale, step, note),
      t(
        step === 'submit'
          ? 'helpCentre.editor.submitted'
          : step === 'publish'
            ? 'helpCentre.editor.published'
            : 'helpCentre.editor.sentBack',
      ),
    );
  const sendBack = () => {
    let note = '';
    modal.confirm({
      title: t('helpCentre.editor.sendBack'),
      content: (
        <Input.TextArea
          aria-label={t('helpCentre.editor.sendBackNote')}
          placeholder={t('helpCentre.editor.sendBackNote')}
          onChange={(event) => (note = event.target.value)}
        />
      ),
      onOk: () => review('send-back', note),
    });
  };
  const insertImage = async (file: File) => {
    try {
      const image = await uploadHelpImage(file);
      const textarea = bodyRef.current;
      const at = textarea?.selectionStart ?? draft.body.length;
      setDraft((previous) => ({ ...previous, body: `${previous.body.slice(0, at)}\n${image.markdown}\n${previous.body.slice(at)}` }));
      void message.success(t('helpCentre.editor.imageInserted'));
    } catch (error) {
      void message.error(messageOf(error));
    }
    return false;
  };

  const pending = state?.pending;
  const isOwnVersion = pending?.status === 'in_review' && pending.authorName === me?.displayName;
  return (
    <div className="help-editor">
      {state?.isOutdated && (
        <Alert
          type="warning"
          showIcon
          title={t('helpCentre.editor.outdatedTitle')}
          description={t('helpCentre.editor.outdatedBody', {
            from: state.published?.sourceVersion ?? 0,
            to: source?.published?.version ?? 0,
          })}
        />
      )}
      {!working && <Alert type="info" showIcon title={t('helpCentre.editor.notWritten')} />}
      {!isEditor && <Alert type="info" showIcon title={t('helpCentre.editor.readOnly')} />}
      {pending?.reviewNote && pending.status === 'draft' && (
        <Alert type="warning" showIcon title={t('helpCentre.editor.reviewNote', { note: pending.reviewNote })} />
      )}
      {working && (
        <Typography.Text type="secondary">
          {t('helpCentre.editor.versionLine', { version: working.version, status: t(`helpCentre.status.${working.status}`) })}
          {working.authorName && ` · ${t('helpCentre.editor.authorLine', { author: working.authorName })}`}
          {working.reviewerName && ` · ${t('helpCentre.editor.reviewerLine', { reviewer: working.reviewerName })}`}
        </Typography.Text>
      )}
      <div className="help-editor-columns">
        <Form layout="vertical" disabled={!isEditor}>
          <Form.Item label={t('helpCentre.editor.titleLabel')}>
            <Input value={draft.title} maxLength={120} onChange={(event) => setDraft({ ...draft, title: event.target.value })} />
          </Form.Item>
          <Form.Item label={t('helpCentre.editor.summaryLabel')}>
            <Input.TextArea
              value={draft.summary}
              maxLength={300}
              autoSize={{ minRows: 2, maxRows: 4 }}
              onChange={(event) => setDraft({ ...draft, summary: event.target.value })}
            />
          </Form.Item>
          <Form.Item label={t('helpCentre.editor.keywordsLabel')} extra={t('helpCentre.editor.keywordsHint')}>
            <Select
              mode="tags"
              value={draft.keywords}
              open={false}
              tokenSeparators={[',', '，']}
              onChange={(keywords) => setDraft({ ...draft, keywords })}
              aria-label={t('helpCentre.editor.keywordsLabel')}
            />
          </Form.Item>
          <Form.Item
            label={t('helpCentre.editor.bodyLabel')}
            extra={
              <span>
                {t('helpCentre.editor.bodyHint')}{' '}
                {placeholders.map((name) => (
                  <code key={name}>{`{{${name}}}`} </code>
                ))}
              </span>
            }
          >
            <Input.TextArea
              ref={(instance) => {
                bodyRef.current = instance?.resizableTextArea?.textArea ?? null;
              }}
              className="help-markdown"
              value={draft.body}
              autoSize={{ minRows: 14, maxRows: 40 }}
              onChange={(event) => setDraft({ ...draft, body: event.target.value })}
              aria-label={t('helpCentre.editor.bodyLabel')}
            />
          </Form.Item>
          <Upload accept="image/png,image/jpeg,image/gif,image/webp" showUploadList={false} beforeUpload={(file) => insertImage(file)}>
            <Button icon={<PictureOutlined />}>{t('helpCentre.editor.insertImage')}</Button>
          </Upload>
        </Form>
        <section className="help-preview" aria-label={t('helpCentre.editor.preview')}>
          <Typography.Title level={5}>{t('helpCentre.editor.preview')}</Typography.Title>
          {preview.problems.length > 0 && (
            <Alert type="error" showIcon title={t('helpCentre.editor.previewProblems', { names: preview.problems.join(', ') })} />
          )}
          <h1 className="help-preview-title">{draft.title}</h1>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server (DOMPurify) exactly as the published page is */}
          <div className="help-preview-body" dangerouslySetInnerHTML={{ __html: preview.html }} />
        </section>
      </div>
      {isEditor && (
        <Space wrap className="help-actions">
          <Button type="primary" loading={isBusy} onClick={() => void save()}>
            {t('helpCentre.editor.save')}
          </Button>
          {pending?.status === 'draft' && (
            <Button loading={isBusy} onClick={() => void review('submit')}>
              {t('helpCentre.editor.submit')}
            </Button>
          )}
          {pending?.status === 'in_review' && !isOwnVersion && (
            <>
              <Button type="primary" loading={isBusy} onClick={() => void review('publish')}>
                {t('helpCentre.editor.publish')}
              </Button>
              <Button danger loading={isBusy} onClick={sendBack}>
                {t('helpCentre.editor.sendBack')}
              </Button>
            </>
          )}
          {isOwnVersion && <Typography.Text type="secondary">{t('helpCentre.editor.ownVersion')}</Typography.Text>}
        </Space>
      )}
    </div>
  );
}

/** Each diff part with where it starts in the combined text: a stable key. */
function withOffsets<T extends { value: string }>(parts: T[]): Array<{ part: T; offset: number }> {
  let offset = 0;
  return parts.map((part) => {
    const entry = { part, offset };
    offset += part.value.length + 1;
    return entry;
  });
}

/** The server's rendering of the Markdown, a moment after typing stops. */
function usePreview(body: string, locale: Locale): { html: string; problems: string[] } {
  const [preview, setPreview] = useState<{ html: string; problems: string[] }>({ html: '', problems: [] });
  useEffect(() => {
    let isCurrent = true;
    const timer = setTimeout(() => {
      previewHelpArticle(body, locale).then(
        (answer) => isCurrent && setPreview(answer),
        () => undefined,
      );
    }, 300);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [body, locale]);
  return preview;
}

function SettingsForm({ article, onChanged }: { article: HelpStaffArticle; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useStaffSession();
  const isEditor = canEditHelp(session.state.status === 'signed-in' ? session.state.account.role : undefined);
  const [category, setCategory] = useState(article.category);
  const [related, setRelated] = useState(article.related);
  const save = async () => {
    try {
      await updateHelpSettings(article.id, { category, related });
      void message.success(t('helpCentre.editor.settingsSaved'));
      await onChanged();
    } catch (error) {
      void message.error(messageOf(error));
    }
  };
  return (
    <section className="help-settings">
      <Typography.Title level={5}>{t('helpCentre.editor.settings')}</Typography.Title>
      <Space wrap align="end">
        <Select
          aria-label={t('helpCentre.editor.categoryLabel')}
          value={category}
          disabled={!isEditor}
          onChange={setCategory}
          options={helpCategories.map((value) => ({ value, label: t(`helpCentre.categories.${value}`) }))}
        />
        <Select
          mode="tags"
          className="help-related"
          aria-label={t('helpCentre.editor.relatedLabel')}
          placeholder={t('helpCentre.editor.relatedLabel')}
          value={related}
          disabled={!isEditor}
          onChange={setRelated}
        />
        {isEditor && <Button onClick={() => void save()}>{t('helpCentre.editor.saveSettings')}</Button>}
      </Space>
    </section>
  );
}

function HistoryDrawer({
  isOpen,
  onClose,
  article,
  locale,
  currentBody,
  onRestored,
}: {
  isOpen: boolean;
  onClose(): void;
  article: HelpStaffArticle;
  locale: Locale;
  currentBody: string;
  onRestored(): Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useStaffSession();
  const isEditor = canEditHelp(session.state.status === 'signed-in' ? session.state.account.role : undefined);
  const [versions, setVersions] = useState<HelpVersion[]>([]);
  const [selected, setSelected] = useState<HelpVersion | null>(null);
  useEffect(() => {
    if (isOpen) void listHelpVersions(article.id).then(setVersions, (error) => void message.error(messageOf(error)));
  }, [isOpen, article.id, message]);
  const shown = versions.filter((version) => version.locale === locale || version.locale === article.sourceLocale);
  const parts = useMemo(() => (selected ? diffLines(selected.body, currentBody) : []), [selected, currentBody]);
  const restore = async (version: HelpVersion) => {
    try {
      await restoreHelpVersion(article.id, version.locale, version.version);
      void message.success(t('helpCentre.editor.restored'));
      await onRestored();
      onClose();
    } catch (error) {
      void message.error(messageOf(error));
    }
  };
  return (
    <Drawer open={isOpen} onClose={onClose} title={t('helpCentre.editor.history')} size="large">
      <List
        dataSource={shown}
        renderItem={(version) => (
          <List.Item
            actions={[
              <Button key="compare" size="small" onClick={() => setSelected(version)}>
                {t('helpCentre.editor.compareWith')}
              </Button>,
              version.locale === locale && isEditor ? (
                <Button key="restore" size="small" onClick={() => void restore(version)}>
                  {t('helpCentre.editor.restore')}
                </Button>
              ) : null,
            ]}
          >
            <List.Item.Meta
              title={`${t(`helpCentre.locales.${version.locale}`)} · ${t('helpCentre.editor.versionLine', { version: version.version, status: t(`helpCentre.status.${version.status}`) })}`}
              description={[
                version.title,
                version.authorName && t('helpCentre.editor.authorLine', { author: version.authorName }),
                formatDateTime(version.createdAt, currentLocale()),
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          </List.Item>
        )}
      />
      {selected && (
        <pre className="help-diff">
          {parts.length === 1 && !parts[0]?.added && !parts[0]?.removed
            ? t('helpCentre.editor.noChanges')
            : withOffsets(parts).map(({ part, offset }) => (
                <span key={offset} className={part.added ? 'diff-added' : part.removed ? 'diff-removed' : 'diff-same'}>
                  {part.value}
                </span>
              ))}
        </pre>
      )}
    </Drawer>
  );
}
