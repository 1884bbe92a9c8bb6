import { type HelpArticleSummary, type HelpCategory, type HelpSearchResult, helpCategories, type Locale } from '@okpay/contracts';
import { webAppHeadTags } from '../../../platform/index.js';
import type { HelpFacts } from '../help-facts.js';
import { escapeHtml } from '../render-article.js';
import { categoryTexts, helpPageTexts } from './help-page-texts.js';

/** `phoneStatus`: "lines open now" / "closed; lines open tomorrow 09:00" when the page was made (the script re-reads it in the reader's zone). */
export type PageContext = { locale: Locale; publicUrl: string; facts: HelpFacts; timeZone: string; phoneStatus?: string };

type Head = { title: string; description: string; path: string; type: 'website' | 'article'; alternates: Locale[] };

const styles = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI','PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Noto Sans SC','Helvetica Neue',Arial,sans-serif;color:#1f2329;background:#f5f7fa;line-height:1.7}
a{color:#1677ff;text-decoration:none}a:hover{text-decoration:underline}
.top{background:#fff;border-bottom:1px solid #e8ebf0}
.top .bar{max-width:960px;margin:0 auto;padding:12px 16px;display:flex;align-items:center;gap:16px}
.brand{font-weight:700;font-size:20px;color:#1677ff}.brand span{color:#1f2329;font-weight:600;font-size:16px;margin-left:6px}
.top .spacer{flex:1}.top .links a{margin-left:16px;font-size:14px;color:#4e5969}
.hero{background:linear-gradient(135deg,#1677ff,#4096ff);color:#fff;padding:36px 16px 40px}
.hero .inner{max-width:720px;margin:0 auto}.hero h1{margin:0 0 16px;font-size:26px;line-height:1.3}
.search{display:flex;gap:8px}.search input{flex:1;min-width:0;font:inherit;font-size:16px;padding:12px 14px;border:1px solid #d0d5dd;border-radius:10px;outline:none}
.search input:focus{border-color:#1677ff;box-shadow:0 0 0 3px rgba(22,119,255,.2)}
.search button,.btn{font:inherit;font-size:16px;padding:0 20px;border:0;border-radius:10px;background:#1677ff;color:#fff;cursor:pointer;min-height:46px}
.hero .search button{background:#0b3d91}
main{max-width:960px;margin:0 auto;padding:24px 16px 48px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}
.card{background:#fff;border:1px solid #e8ebf0;border-radius:14px;padding:18px 20px}
.card h2{margin:0 0 4px;font-size:18px}.card h2 .icon{margin-right:8px}
.side{align-self:start}.card .desc{margin:0 0 10px;color:#86909c;font-size:14px}
.topics{margin:0;padding:0;list-style:none}.topics li{padding:6px 0;border-top:1px solid #f0f2f5;font-size:15px}.topics li:first-child{border-top:0}
.card h2 .icon{display:inline-flex;vertical-align:-4px;color:#1677ff}
.crumbs{font-size:14px;color:#86909c;margin-bottom:8px}.crumbs a{color:#4e5969}
article.card{padding:24px 24px 8px}article h1{font-size:26px;line-height:1.35;margin:0 0 6px}
.meta{color:#86909c;font-size:13px;margin-bottom:16px}.meta a{margin-left:12px}
.lead{font-size:16px;color:#4e5969;background:#f5f8ff;border-left:4px solid #1677ff;padding:10px 14px;border-radius:6px;margin:0 0 16px}
.body h2{font-size:20px;margin:28px 0 8px}.body h3{font-size:17px;margin:20px 0 6px}
.body ol{counter-reset:step;list-style:none;padding-left:0}
.body ol>li{counter-increment:step;position:relative;padding:4px 0 4px 40px;margin:6px 0}
.body ol>li::before{content:counter(step);position:absolute;left:0;top:4px;width:28px;height:28px;border-radius:50%;background:#1677ff;color:#fff;font-weight:600;font-size:14px;display:flex;align-items:center;justify-content:center}
.body ul{padding-left:22px}.body li{margin:4px 0}
.body table{border-collapse:collapse;width:100%;margin:12px 0;font-size:14px;display:block;overflow-x:auto}
.body th,.body td{border:1px solid #e5e6eb;padding:8px 10px;text-align:left;vertical-align:top}.body th{background:#f7f8fa}
.body svg{display:block;width:100%;max-width:360px;height:auto;margin:12px 0}
.body code{background:#f2f3f5;padding:1px 5px;border-radius:4px}
.body img{max-width:100%;height:auto;border-radius:8px}
.feedback{margin:24px 0 16px;padding:16px;border-radius:12px;background:#f7f8fa}
.feedback p{margin:0 0 10px;font-weight:600}.feedback .choices{display:flex;gap:10px;flex-wrap:wrap}
.feedback button{font:inherit;padding:8px 18px;border-radius:999px;border:1px solid #c9cdd4;background:#fff;cursor:pointer;min-height:40px}
.feedback button:hover{border-color:#1677ff;color:#1677ff}
.feedback details{margin-top:10px;font-size:14px}.feedback textarea{width:100%;min-height:72px;margin-top:8px;font:inherit;padding:8px;border:1px solid #d0d5dd;border-radius:8px}
.thanks{color:#237804;background:#f6ffed;border:1px solid #b7eb8f;padding:10px 14px;border-radius:10px}
.side h2{font-size:17px;margin:0 0 8px}
.contact{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin-top:24px}
.contact .card h3{margin:0 0 4px;font-size:16px}.contact .card p{margin:2px 0;font-size:14px;color:#4e5969}
.contact .btn{min-height:38px;font-size:15px;margin-top:8px}
.results{list-style:none;padding:0;margin:0}.results li{background:#fff;border:1px solid #e8ebf0;border-radius:12px;padding:14px 18px;margin-bottom:12px}
.results h2{font-size:17px;margin:0 0 4px}.results p{margin:0;color:#4e5969;font-size:14px}
mark{background:#fff1b8;color:inherit;padding:0 1px;border-radius:2px}
.layout{display:grid;grid-template-columns:minmax(0,1fr);gap:20px}
@media(min-width:900px){.layout{grid-template-columns:minmax(0,1fr) 280px}}
footer{text-align:center;color:#86909c;font-size:13px;padding:24px 16px 80px}
@media(max-width:520px){.hero h1{font-size:22px}.top .links a.app{display:none}article.card{padding:18px 16px 4px}article h1{font-size:22px}}
`;

const icon = (paths: string) =>
  `<svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;

/** Line icons drawn here, so no emoji font is needed on the reader's phone. */
const categoryIcons: Record<HelpCategory, string> = {
  account: icon('<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>'),
  top_up_cards: icon('<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>'),
  transfers_exchange: icon('<path d="M4 8h14l-3-3M20 16H6l3 3"/>'),
  history: icon('<path d="M6 2h12v20l-3-2-3 2-3-2-3 2z"/><path d="M9 7h6M9 11h6M9 15h4"/>'),
  contact: icon('<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>'),
};

function attribute(value: string): string {
  return escapeHtml(value);
}

function languageUrl(context: PageContext, path: string, locale: Locale): string {
  const separator = path.includes('?') ? '&' : '?';
  return `${context.publicUrl}${path}${separator}lang=${locale}`;
}

function layout(context: PageContext, head: Head, body: string): string {
  const texts = helpPageTexts[context.locale];
  const other: Locale = context.locale === 'zh-CN' ? 'en' : 'zh-CN';
  const alternates = head.alternates
    .map((locale) => `<link rel="alternate" hreflang="${locale}" href="${attribute(languageUrl(context, head.path, locale))}">`)
    .join('\n');
  const fullTitle = head.path === '/help' ? texts.siteName : `${head.title} - ${texts.siteName}`;
  return `<!doctype html>
<html lang="${context.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(fullTitle)}</title>
<meta name="description" content="${attribute(head.description)}">
<link rel="canonical" href="${attribute(languageUrl(context, head.path, context.locale))}">
${alternates}
<link rel="alternate" hreflang="x-default" href="${attribute(`${context.publicUrl}${head.path}`)}">
<meta property="og:type" content="${head.type}">
<meta property="og:site_name" content="${attribute(texts.siteName)}">
<meta property="og:title" content="${attribute(head.title)}">
<meta property="og:description" content="${attribute(head.description)}">
<meta property="og:url" content="${attribute(languageUrl(context, head.path, context.locale))}">
<meta property="og:locale" content="${context.locale === 'zh-CN' ? 'zh_CN' : 'en_US'}">
<meta property="og:locale:alternate" content="${other === 'zh-CN' ? 'zh_CN' : 'en_US'}">
<meta name="twitter:card" content="summary">
<style>${styles}</style>
${webAppHeadTags(context.locale, { registerServiceWorker: true })}
<script src="/widget.js" async></script>
<script src="/help/assets/help-page.js" defer></script>
</head>
<body>
<header class="top"><div class="bar">
<a class="brand" href="/help">OKPay<span>${escapeHtml(context.locale === 'zh-CN' ? '帮助中心' : 'Help')}</span></a>
<span class="spacer"></span>
<nav class="links"><a class="app" href="/app">${escapeHtml(texts.toApp)}</a><a href="?lang=${other}" hreflang="${other}" lang="${other}">${escapeHtml(texts.switchLanguage)}</a></nav>
</div></header>
${body}
<footer>© OKPay · <a href="/">okpay</a></footer>
</body>
</html>`;
}

function searchForm(context: PageContext, query = ''): string {
  const texts = helpPageTexts[context.locale];
  return `<form class="search" action="/help/search" method="get" role="search">
<input type="search" name="q" value="${attribute(query)}" placeholder="${attribute(texts.searchPlaceholder)}" aria-label="${attribute(texts.searchPlaceholder)}" maxlength="200" autocomplete="off">
<button type="submit">${escapeHtml(texts.searchButton)}</button>
</form>`;
}

function contactCards(context: PageContext): string {
  const texts = helpPageTexts[context.locale];
  const { facts } = context;
  const fact = (name: string) => escapeHtml(facts[name] ?? '');
  return `<section class="contact" aria-label="${attribute(texts.stillNeedHelp)}">
<div class="card"><h3>${escapeHtml(texts.chatLabel)}</h3><p>${escapeHtml(texts.chatHint(facts['hours.chat'] ?? ''))}</p><button class="btn" type="button" data-open-chat>${escapeHtml(texts.chatButton)}</button></div>
<div class="card"><h3>${escapeHtml(texts.phoneLabel)}</h3><p><a href="tel:${fact('contact.phone')}">${fact('contact.phone')}</a></p><p>${escapeHtml(texts.phoneOverseasLabel)} <a href="tel:${fact('contact.phoneOverseas')}">${fact('contact.phoneOverseas')}</a></p><p>${fact('hours.phone')}</p>${
    context.phoneStatus ? `<p data-phone-status>${escapeHtml(context.phoneStatus)}</p>` : ''
  }</div>
<div class="card"><h3>${escapeHtml(texts.emailLabel)}</h3><p><a href="mailto:${fact('contact.email')}">${fact('contact.email')}</a></p><p>${escapeHtml(texts.emailHint(facts['hours.emailReply'] ?? ''))}</p></div>
</section>`;
}

export function renderHomePage(context: PageContext, articles: HelpArticleSummary[]): string {
  const texts = helpPageTexts[context.locale];
  const byCategory = new Map<HelpCategory, HelpArticleSummary[]>();
  for (const article of articles) byCategory.set(article.category, [...(byCategory.get(article.category) ?? []), article]);
  const cards = helpCategories
    .filter((category) => byCategory.has(category))
    .map((category) => {
      const text = categoryTexts[category][context.locale];
      const items = (byCategory.get(category) ?? []).map(
        (article) => `<li><a href="/help/${article.slug}">${escapeHtml(article.title)}</a></li>`,
      );
      return `<section class="card" id="${category.replaceAll('_', '-')}"><h2><span class="icon" aria-hidden="true">${categoryIcons[category]}</span>${escapeHtml(text.name)}</h2><p class="desc">${escapeHtml(text.description)} · ${escapeHtml(texts.categoryArticles(items.length))}</p><ul class="topics">${items.join('')}</ul></section>`;
    })
    .join('\n');
  const body = `<div class="hero"><div class="inner"><h1>${escapeHtml(texts.heroTitle)}</h1>${searchForm(context)}</div></div>
<main><div class="grid">${cards}</div>${contactCards(context)}</main>`;
  return layout(
    context,
    { title: texts.homeTitle, description: texts.homeDescription, path: '/help', type: 'website', alternates: ['zh-CN', 'en'] },
    body,
  );
}

export function renderSearchPage(context: PageContext, query: string, results: HelpSearchResult[]): string {
  const texts = helpPageTexts[context.locale];
  const list =
    query.trim() === ''
      ? `<p>${escapeHtml(texts.searchPrompt)}</p>`
      : results.length === 0
        ? `<p>${escapeHtml(texts.searchEmpty)}</p>`
        : `<ul class="results">${results
            .map((result) => `<li><h2><a href="${attribute(result.url)}">${escapeHtml(result.title)}</a></h2><p>${result.snippet}</p></li>`)
            .join('')}</ul>`;
  const title = query.trim() ? texts.searchTitle(query) : texts.searchButton;
  const body = `<div class="hero"><div class="inner">${searchForm(context, query)}</div></div>
<main><p class="crumbs"><a href="/help">${escapeHtml(texts.breadcrumbHome)}</a> › ${escapeHtml(texts.searchButton)}</p><h1>${escapeHtml(title)}</h1>${list}${contactCards(context)}</main>`;
  return layout(
    context,
    {
      title,
      description: texts.homeDescription,
      path: `/help/search?q=${encodeURIComponent(query)}`,
      type: 'website',
      alternates: ['zh-CN', 'en'],
    },
    body,
  );
}

export type ArticlePage = {
  slug: string;
  title: string;
  summary: string;
  category: HelpCategory;
  html: string;
  publishedAt: Date;
  related: Array<{ slug: string; title: string }>;
  locales: Locale[];
  isThanked: boolean;
};

export function renderArticlePage(context: PageContext, article: ArticlePage): string {
  const texts = helpPageTexts[context.locale];
  const category = categoryTexts[article.category][context.locale];
  const date = new Intl.DateTimeFormat(context.locale, { timeZone: context.timeZone, dateStyle: 'medium' }).format(article.publishedAt);
  const other = article.locales.find((locale) => locale !== context.locale);
  const feedback = article.isThanked
    ? `<p class="thanks" role="status">${escapeHtml(texts.feedbackThanks)}</p>`
    : `<form class="feedback" method="post" action="/help/${article.slug}/feedback?lang=${context.locale}">
<p>${escapeHtml(texts.helpfulQuestion)}</p>
<div class="choices"><button type="submit" name="helpful" value="yes">${escapeHtml(texts.helpfulYes)}</button><button type="submit" name="helpful" value="no">${escapeHtml(texts.helpfulNo)}</button></div>
<details><summary>${escapeHtml(texts.reasonLabel)}</summary><textarea name="reason" maxlength="500" placeholder="${attribute(texts.reasonPlaceholder)}"></textarea></details>
</form>`;
  const related =
    article.related.length === 0
      ? ''
      : `<aside class="side card"><h2>${escapeHtml(texts.related)}</h2><ul class="topics">${article.related
          .map((item) => `<li><a href="/help/${item.slug}">${escapeHtml(item.title)}</a></li>`)
          .join('')}</ul></aside>`;
  const body = `<main>
<p class="crumbs"><a href="/help">${escapeHtml(texts.breadcrumbHome)}</a> › <a href="/help#${article.category.replaceAll('_', '-')}">${escapeHtml(category.name)}</a></p>
<div class="layout"><div>
<article class="card"><h1>${escapeHtml(article.title)}</h1>
<p class="meta">${escapeHtml(texts.updated(date))}${other ? `<a href="?lang=${other}" hreflang="${other}">${escapeHtml(texts.otherLanguage)}</a>` : ''}</p>
${article.summary ? `<p class="lead">${escapeHtml(article.summary)}</p>` : ''}
<div class="body">${article.html}</div>
<div id="feedback">${feedback}</div>
</article></div>${related}</div>
<h2 class="side">${escapeHtml(texts.stillNeedHelp)}</h2>${contactCards(context)}
</main>`;
  return layout(
    context,
    { title: article.title, description: article.summary, path: `/help/${article.slug}`, type: 'article', alternates: article.locales },
    body,
  );
}

export function renderNotFoundPage(context: PageContext, articles: HelpArticleSummary[]): string {
  const texts = helpPageTexts[context.locale];
  const home = renderHomePage(context, articles);
  return home
    .replace(
      `<h1>${escapeHtml(texts.heroTitle)}</h1>`,
      `<h1>${escapeHtml(texts.notFoundTitle)}</h1><p>${escapeHtml(texts.notFoundBody)}</p>`,
    )
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(`${texts.notFoundTitle} - ${texts.siteName}`)}</title>`)
    .replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta name="robots" content="noindex">');
}

/** The help pages' one script: the chat widget's language and signed-in identity, and "Start a chat" buttons. */
export const helpPageScript = `(function () {
  var chat = (window.OKPayChat = window.OKPayChat || { q: [] });
  function call(method, args) {
    var api = window.OKPayChat;
    if (api && api.isLoaded) api[method].apply(api, args);
    else (chat.q = chat.q || []).push([method, args]);
  }
  fetch('/api/me', { credentials: 'same-origin' })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (me) {
      if (!me || !me.csrfToken) return;
      call('setIdentityProvider', [function () {
        return fetch('/api/support/realtime-token', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': me.csrfToken } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (body) { return body ? body.token : null; });
      }]);
    })
    .catch(function () {});
  // The phone line's "open now / opens …" in the reader's own zone and the page's language.
  var phoneStatus = document.querySelectorAll('[data-phone-status]');
  var zone = '';
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (error) {}
  if (phoneStatus.length > 0) {
    fetch('/api/support/hours' + (zone ? '?timeZone=' + encodeURIComponent(zone) : ''), { headers: { 'accept-language': document.documentElement.lang } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (hours) {
        var phone = hours && hours.channels.filter(function (channel) { return channel.channel === 'phone'; })[0];
        if (!phone) return;
        for (var i = 0; i < phoneStatus.length; i++) phoneStatus[i].textContent = phone.status;
      })
      .catch(function () {});
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.closest && target.closest('[data-open-chat]')) call('open', []);
  });
})();
`;
