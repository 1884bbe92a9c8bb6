import { PlusOutlined } from '@ant-design/icons';
import { type HelpCategory, type HelpStaffArticle, helpCategories, type Locale, locales } from '@okpay/contracts';
import { Alert, App, Button, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { messageOf } from '../../api/client';
import { createHelpArticle, listHelpArticlesForStaff } from '../../api/help-centre';
import { useLoaded } from '../../api/use-loaded';
import { usePageTitle } from '../../layout/use-page-title';
import { useStaffSession } from '../../session/sessions';
import { formatDateTime } from '../../wallet/money';

export function canEditHelp(role: string | undefined): boolean {
  return role === 'editor' || role === 'admin';
}

type Filter = 'all' | 'pending' | 'outdated';

function titleOf(article: HelpStaffArticle, locale: Locale): string {
  const state = article.locales.find((item) => item.locale === locale) ?? article.locales[0];
  return state?.pending?.title ?? state?.published?.title ?? article.slug;
}

/** Every article with each language's state; editors start new ones here. */
export function HelpArticlesPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('helpCentre.title'));
  const session = useStaffSession();
  const role = session.state.status === 'signed-in' ? session.state.account.role : undefined;
  const articles = useLoaded(['staff', 'help-articles'], listHelpArticlesForStaff);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [isCreating, setCreating] = useState(false);
  const uiLocale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';

  const rows = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (articles.data ?? []).filter((article) => {
      if (
        needle &&
        !`${article.slug} ${article.locales.map((state) => state.published?.title ?? state.pending?.title ?? '').join(' ')}`
          .toLowerCase()
          .includes(needle)
      )
        return false;
      if (filter === 'pending') return article.locales.some((state) => state.pending);
      if (filter === 'outdated') return article.locales.some((state) => state.isOutdated);
      return true;
    });
  }, [articles.data, query, filter]);

  return (
    <div className="help-admin">
      <Space className="page-heading" align="baseline" wrap>
        <Typography.Title level={2}>{t('helpCentre.title')}</Typography.Title>
        {canEditHelp(role) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('helpCentre.newArticle')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('helpCentre.intro')}</Typography.Paragraph>
      {articles.error && <Alert type="error" showIcon title={articles.error} />}
      <Space wrap className="help-filters">
        <Input.Search
          allowClear
          placeholder={t('helpCentre.search')}
          aria-label={t('helpCentre.search')}
          onChange={(event) => setQuery(event.target.value)}
        />
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: t('helpCentre.allStatuses') },
            { value: 'pending', label: t('helpCentre.statusFilter.pending') },
            { value: 'outdated', label: t('helpCentre.statusFilter.outdated') },
          ]}
        />
      </Space>
      <Table<HelpStaffArticle>
        rowKey="id"
        size="middle"
        loading={articles.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('helpCentre.columns.title'),
            key: 'title',
            render: (_, article) => (
              <Space direction="vertical" size={0}>
                <Link to={`/agent/help/${article.id}`}>{titleOf(article, uiLocale)}</Link>
                <Typography.Text type="secondary" className="help-slug">
                  /help/{article.slug}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('helpCentre.columns.category'),
            key: 'category',
            render: (_, article) => t(`helpCentre.categories.${article.category}`),
          },
          {
            title: t('helpCentre.columns.languages'),
            key: 'languages',
            render: (_, article) => (
              <Space wrap size={4}>
                {article.locales.map((state) => (
                  <Tag
                    key={state.locale}
                    color={state.isOutdated ? 'orange' : state.pending ? 'blue' : state.published ? 'green' : 'default'}
                  >
                    {t(`helpCentre.locales.${state.locale}`)} ·{' '}
                    {state.isOutdated
                      ? t('helpCentre.outdated')
                      : t(`helpCentre.status.${state.pending?.status ?? (state.published ? 'published' : 'none')}`)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('helpCentre.columns.feedback'),
            key: 'feedback',
            render: (_, article) => {
              const yes = article.locales.reduce((sum, state) => sum + state.helpfulYes, 0);
              const no = article.locales.reduce((sum, state) => sum + state.helpfulNo, 0);
              return t('helpCentre.helpful', { yes, no });
            },
          },
          {
            title: t('helpCentre.columns.updated'),
            key: 'updated',
            render: (_, article) => formatDateTime(article.updatedAt, uiLocale),
          },
        ]}
      />
      <CreateArticleDialog isOpen={isCreating} onClose={() => setCreating(false)} />
    </div>
  );
}

function CreateArticleDialog({ isOpen, onClose }: { isOpen: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ slug: string; title: string; category: HelpCategory; locale: Locale }>();
  const [isSaving, setSaving] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const article = await createHelpArticle({ ...values, summary: '', body: '', keywords: [] });
      onClose();
      void navigate(`/agent/help/${article.id}?locale=${values.locale}`);
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={isOpen}
      title={t('helpCentre.create.title')}
      okText={t('helpCentre.create.create')}
      confirmLoading={isSaving}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ category: 'account', locale: 'zh-CN' }}>
        <Form.Item name="title" label={t('helpCentre.editor.titleLabel')} rules={[{ required: true, min: 2, max: 120 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="slug"
          label={t('helpCentre.create.slug')}
          extra={t('helpCentre.create.slugHint')}
          rules={[{ required: true, pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/ }]}
        >
          <Input addonBefore="/help/" />
        </Form.Item>
        <Form.Item name="category" label={t('helpCentre.editor.categoryLabel')}>
          <Select options={helpCategories.map((category) => ({ value: category, label: t(`helpCentre.categories.${category}`) }))} />
        </Form.Item>
        <Form.Item name="locale" label={t('helpCentre.create.language')}>
          <Segmented options={locales.map((locale) => ({ value: locale, label: t(`helpCentre.locales.${locale}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
