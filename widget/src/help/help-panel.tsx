import type { HelpArticle, HelpSearchResult, Locale } from '@okpay/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { textsFor } from '../i18n/texts';
import type { HelpSuggestions, SuggestionSurface } from './help-suggestions';

/** Suggestions for what is typed (or the topic while nothing is), and which article is open. */
export function useHelpSuggestions(help: HelpSuggestions, query: { text: string; surface: SuggestionSurface }, locale: Locale) {
  const [results, setResults] = useState<HelpSearchResult[]>([]);
  const [openSlug, setOpenSlug] = useState<string | null>(null);
  useEffect(() => help.listen(setResults), [help]);
  useEffect(() => help.update(query.text, query.surface, locale), [help, query.text, query.surface, locale]);
  return { results, openSlug, setOpenSlug };
}

/** Up to three articles under the first-message box; choosing one opens it inside the widget. */
export function SuggestionList({
  results,
  locale,
  onOpen,
}: {
  results: HelpSearchResult[];
  locale: Locale;
  onOpen: (slug: string) => void;
}) {
  const t = textsFor(locale);
  if (results.length === 0) return null;
  return (
    <section class="suggestions" aria-label={t.suggestionsTitle}>
      <p class="suggestions-title">{t.suggestionsTitle}</p>
      <ul>
        {results.map((result) => (
          <li key={result.slug}>
            <button type="button" class="suggestion" onClick={() => onOpen(result.slug)}>
              <span class="suggestion-title">{result.title}</span>
              {/* The snippet is escaped by the server; only <mark> is markup in it. */}
              <span class="suggestion-snippet" dangerouslySetInnerHTML={{ __html: result.snippet }} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One article inside the widget, with the way back and the chat one click away. */
export function ArticleView({
  slug,
  locale,
  suggestions,
  base,
  onBack,
  onOpen,
  onChat,
  isStarting,
  actionLabel,
}: {
  slug: string;
  locale: Locale;
  suggestions: HelpSuggestions;
  base: string;
  onBack: () => void;
  onOpen: (slug: string) => void;
  onChat: (article: HelpArticle | null) => void;
  isStarting: boolean;
  /** What the button under the article does: start the chat, or (nobody online) go back to the message form. */
  actionLabel?: string;
}) {
  const t = textsFor(locale);
  const [article, setArticle] = useState<HelpArticle | null>(null);
  const [failed, setFailed] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let isCurrent = true;
    setArticle(null);
    setFailed(false);
    suggestions.article(slug, locale).then(
      (loaded) => isCurrent && setArticle(loaded),
      () => isCurrent && setFailed(true),
    );
    return () => {
      isCurrent = false;
    };
  }, [slug, locale, suggestions]);

  useEffect(() => headingRef.current?.focus(), [article]);

  // Links to other help articles stay in the widget (mouse or keyboard: both arrive as a click);
  // everything else opens as a link would.
  const bodyRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as HTMLElement | null)?.closest?.('a');
      const href = link?.getAttribute('href') ?? '';
      const match = href.startsWith(`${base}/help/`) ? /^\/help\/([a-z0-9-]+)$/.exec(href.slice(base.length)) : null;
      if (match?.[1]) {
        event.preventDefault();
        onOpen(match[1]);
      }
    };
    body.addEventListener('click', onClick);
    return () => body.removeEventListener('click', onClick);
  }, [article, base, onOpen]);

  return (
    <div class="body article-view">
      <button type="button" class="link-button" onClick={onBack} data-autofocus>
        ← {t.backToForm}
      </button>
      {!article && !failed && <p class="hint">{t.articleLoading}</p>}
      {failed && <p class="error">{t.articleFailed}</p>}
      {article && (
        <article>
          <h2 class="article-title" tabIndex={-1} ref={headingRef}>
            {article.title}
          </h2>
          {/* Sanitised by the server (DOMPurify): no script, handler or foreign URL gets through. */}
          <div class="article-body" ref={bodyRef} dangerouslySetInnerHTML={{ __html: article.html }} />
          <a class="article-link" href={`${base}${article.url}?lang=${locale}`} target="_blank" rel="noopener">
            {t.openInHelpCentre}
          </a>
        </article>
      )}
      <div class="article-actions">
        <p>{t.stillNeedHelp}</p>
        <button type="button" class="primary" disabled={isStarting} onClick={() => onChat(article)}>
          {isStarting ? t.starting : (actionLabel ?? t.chatNow)}
        </button>
      </div>
    </div>
  );
}
