import type { HelpSearchResult, Locale } from '@okpay/contracts';
import type { Config, Database, Queryable } from '../../platform/index.js';
import { closestTerms, lookUpTerms, type SearchHit } from './help-centre.repository.js';
import { fillFacts, type HelpFacts, helpFacts } from './help-facts.js';
import { escapeHtml } from './render-article.js';
import { currentIndex, type IndexedArticle, type LocaleIndex } from './search/memory-index.js';
import { defaultSegmenter, normaliseTitle, pinyinOf, type QueryTerm, queryTerms, type Segmenter } from './search/search-text.js';

export type SearchInput = { q: string; locale: Locale; limit: number; segmenter?: Segmenter };

type WeightedTerm = { term: string; weight: number; isPrefix: boolean; surface: string };

/**
 * Weighs each query term by how rare it is among the articles (idf), replaces an unknown Chinese
 * word by a known one that sounds the same (冲值 → 充值) and an unknown Latin word by the closest
 * known one (pasword → password). Known terms are looked up in memory; only unknown ones ask the
 * database's term table.
 */
async function weighTerms(db: Queryable, index: LocaleIndex, locale: Locale, terms: QueryTerm[]): Promise<WeightedTerm[]> {
  const total = index.size;
  const idf = (documents: number) => Math.log(1 + (total + 1) / (documents + 0.5));
  const unknown = terms.filter((term) => !term.isPrefix && !index.has(term.term));
  const pinyins = unknown.flatMap((term) => (term.isHan ? [pinyinOf(term.term) ?? ''] : [])).filter(Boolean);
  const unknownLatin = unknown.filter((term) => !term.isHan && term.term.length >= 4).map((term) => term.term);
  const [sounding, corrections] = await Promise.all([
    remembered(
      index,
      'sound',
      pinyins,
      (missing) => lookUpTerms(db, locale, [], missing),
      (row) => row.pinyin ?? '',
    ),
    remembered(
      index,
      'spelling',
      unknownLatin,
      (missing) => closestTerms(db, locale, missing),
      (row) => row.typed,
    ),
  ]);
  const weighted: WeightedTerm[] = [];
  for (const term of terms) {
    if (term.isPrefix) {
      weighted.push({ term: term.term, weight: term.strength * idf(Math.max(1, total / 10)), isPrefix: true, surface: term.term });
      continue;
    }
    const documents = index.documents(term.term);
    if (documents > 0) {
      weighted.push({ term: term.term, weight: term.strength * idf(documents), isPrefix: false, surface: term.term });
      continue;
    }
    if (term.isHan) {
      const sound = pinyinOf(term.term);
      const homophone = sounding
        .filter((row) => row.pinyin === sound && Array.from(row.term).length === Array.from(term.term).length)
        .sort((a, b) => b.documents - a.documents)[0];
      if (homophone)
        weighted.push({
          term: homophone.term,
          weight: 0.8 * term.strength * idf(homophone.documents),
          isPrefix: false,
          surface: homophone.term,
        });
      continue;
    }
    const closest = corrections.find((row) => row.typed === term.term);
    if (closest)
      weighted.push({ term: closest.term, weight: 0.8 * term.strength * idf(closest.documents), isPrefix: false, surface: closest.term });
  }
  return weighted;
}

/** Term-table answers for these keys, asked only for keys the index has not seen since it last changed. */
async function remembered<T>(
  index: LocaleIndex,
  kind: string,
  keys: string[],
  ask: (missing: string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): Promise<T[]> {
  const missing = Array.from(new Set(keys.filter((key) => !index.termAnswers.has(`${kind}:${key}`))));
  if (missing.length > 0) {
    const rows = await ask(missing);
    if (index.termAnswers.size > 10_000) index.termAnswers.clear();
    for (const key of missing)
      index.termAnswers.set(
        `${kind}:${key}`,
        rows.filter((row) => keyOf(row) === key),
      );
  }
  return keys.flatMap((key) => (index.termAnswers.get(`${kind}:${key}`) as T[] | undefined) ?? []);
}

/** Searches the published articles of one language, best first, with highlighted snippets. */
export async function searchHelp(deps: { db: Database; config: Config }, input: SearchInput): Promise<HelpSearchResult[]> {
  const terms = queryTerms(input.q, input.segmenter ?? defaultSegmenter);
  const raw = normaliseTitle(input.q).slice(0, 100);
  if (terms.length === 0 && raw.length < 3) return [];
  const [index, facts] = await Promise.all([currentIndex(deps.db, input.locale), helpFacts(deps, input.locale)]);
  const weighted = await weighTerms(deps.db, index, input.locale, terms);
  return index.rank(weighted, raw, input.limit).map(({ article, score }) => ({
    slug: article.slug,
    title: article.title,
    snippet: snippetHtml(preparedSnippetSource(article, facts), weighted),
    url: `/help/${article.slug}`,
    score: Math.round(score * 1000) / 1000,
  }));
}

const snippetLength = 90;

type SnippetSource = { characters: string[]; normalised: string; pointOf: Int32Array | undefined };

/**
 * The article's text as snippets read it: summary and text with facts filled in, spaces collapsed,
 * and a folded copy (width and case, one character per character) to match terms in. Made once per
 * article and set of facts, not per search.
 */
function prepareSnippetSource(text: string): SnippetSource {
  const source = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(source);
  // Articles are written in simplified Chinese; folding width and case keeps one character per character.
  const normalised = characters
    .map((character) => {
      const folded = character.normalize('NFKC').toLowerCase();
      return Array.from(folded).length === 1 ? folded : character;
    })
    .join('');
  // Code-unit offsets of matches become character offsets; the same unless the text has astral characters.
  let pointOf: Int32Array | undefined;
  if (normalised.length !== characters.length) {
    pointOf = new Int32Array(normalised.length + 1);
    let point = 0;
    for (let unit = 0; unit < normalised.length; point += 1) {
      const width = (normalised.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1;
      for (let step = 0; step < width; step += 1) pointOf[unit + step] = point;
      unit += width;
    }
    pointOf[normalised.length] = point;
  }
  return { characters, normalised, pointOf };
}

function preparedSnippetSource(article: IndexedArticle, facts: HelpFacts): SnippetSource {
  const cached = article.snippetCache;
  if (cached && cached.key === facts) return cached.value as SnippetSource;
  const value = prepareSnippetSource(`${fillFacts(article.summary, facts)}\n${fillFacts(article.plainText, facts)}`);
  article.snippetCache = { key: facts, value };
  return value;
}

/**
 * The part of the article that best matches, as escaped HTML with the matched words in `<mark>`.
 * Matching runs on the normalised text (same length per character for Chinese and Latin text
 * alike), so positions carry back to the original.
 */
export function snippetOf(hit: Pick<SearchHit, 'plainText' | 'summary'>, terms: Array<Pick<WeightedTerm, 'surface' | 'isPrefix'>>): string {
  return snippetHtml(prepareSnippetSource(`${hit.summary}\n${hit.plainText}`), terms);
}

function snippetHtml(prepared: SnippetSource, terms: Array<Pick<WeightedTerm, 'surface' | 'isPrefix'>>): string {
  const { characters, normalised, pointOf } = prepared;
  const point = (unit: number) => (pointOf ? (pointOf[unit] ?? unit) : unit);
  const ranges: Array<[number, number]> = [];
  const surfaces = Array.from(new Set(terms.map((term) => term.surface).filter((surface) => surface.length > 0)));
  for (const surface of surfaces) {
    const isLatin = /^[a-z0-9]+$/.test(surface);
    const pattern = isLatin ? new RegExp(`\\b${surface}[a-z]*`, 'gu') : new RegExp(surface.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
    for (const match of normalised.matchAll(pattern)) {
      const from = match.index ?? 0;
      ranges.push([point(from), point(from + match[0].length)]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // The window of snippetLength characters holding the most matches.
  let bestStart = 0;
  let bestCount = -1;
  for (const [start] of ranges) {
    const windowStart = Math.max(0, start - 15);
    const count = ranges.filter(([from, to]) => from >= windowStart && to <= windowStart + snippetLength).length;
    if (count > bestCount) {
      bestCount = count;
      bestStart = windowStart;
    }
  }
  const end = Math.min(characters.length, bestStart + snippetLength);
  const inside = ranges.filter(([from, to]) => from >= bestStart && to <= end);
  let html = bestStart > 0 ? '…' : '';
  let cursor = bestStart;
  for (const [from, to] of inside) {
    if (from < cursor) continue;
    html += escapeHtml(characters.slice(cursor, from).join(''));
    html += `<mark>${escapeHtml(characters.slice(from, to).join(''))}</mark>`;
    cursor = to;
  }
  html += escapeHtml(characters.slice(cursor, end).join(''));
  if (end < characters.length) html += '…';
  return html;
}
