import { BookOutlined } from '@ant-design/icons';
import type { HelpSearchResult, Locale } from '@okpay/contracts';
import { Button, Input, List, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchHelpArticles } from '../../api/help-centre';

/** Searches the help centre in the conversation's language and hands back a link to put in a reply. */
export function HelpLinkPicker({ locale, onInsert }: { locale: Locale; onInsert(text: string): void }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<HelpSearchResult[]>([]);
  useEffect(() => {
    if (!isOpen || query.trim().length < 2) {
      setResults([]);
      return;
    }
    let isCurrent = true;
    const timer = setTimeout(() => {
      searchHelpArticles(query, locale).then(
        (answer) => isCurrent && setResults(answer.results),
        () => isCurrent && setResults([]),
      );
    }, 250);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [isOpen, query, locale]);
  const insert = (result: HelpSearchResult) => {
    // The customer's language: the page opens in it whatever their browser says.
    onInsert(`${result.title} ${window.location.origin}${result.url}?lang=${locale}`);
    setOpen(false);
    setQuery('');
  };
  return (
    <Popover
      open={isOpen}
      onOpenChange={setOpen}
      trigger="click"
      placement="topLeft"
      content={
        <div className="help-picker">
          <Input.Search
            autoFocus
            allowClear
            placeholder={t('helpCentre.picker.placeholder')}
            aria-label={t('helpCentre.picker.placeholder')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <List
            size="small"
            dataSource={results}
            locale={{ emptyText: query.trim().length >= 2 ? t('helpCentre.picker.empty') : ' ' }}
            renderItem={(result) => (
              <List.Item
                actions={[
                  <Button
                    key="insert"
                    size="small"
                    type="link"
                    onClick={() => insert(result)}
                    aria-label={`${t('helpCentre.picker.insert')}: ${result.title}`}
                  >
                    {t('helpCentre.picker.insert')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={result.title}
                  description={
                    <Typography.Text type="secondary">
                      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes snippets; only <mark> is markup in them */}
                      <span dangerouslySetInnerHTML={{ __html: result.snippet }} />
                    </Typography.Text>
                  }
                />
              </List.Item>
            )}
          />
        </div>
      }
    >
      <Button size="small" type="text" icon={<BookOutlined />}>
        {t('helpCentre.picker.button')}
      </Button>
    </Popover>
  );
}
