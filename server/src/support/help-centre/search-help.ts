import type { HelpSearchResult, Locale } from '@okpay/contracts';
import type { Config, Database, Queryable } from '../../platform/index.js';
import { closestTerms, countIndexed, lookUpTerms, type SearchHit, searchIndex } from './help-centre.repository.js';
import { fillFacts, helpFacts } from './help-facts.js';
import { escapeHtml } from './render-article.js';
import { defaultSegmenter, normaliseTitle, pinyinOf, type QueryTerm, queryTerms, type Segmenter } from './search/search-text.js';

export type SearchInput = { q: string; locale: Locale; limit: number; segmenter?: Segmenter };

type WeightedTerm = { term: string; weight: number; isPrefix: boolean; surface: string; isRare: boolean };

/** The number of articles per language, cached briefly: rarity (idf) needs it on every search. */
const documentCounts = new Map<string, { count: number; at: number }>();
async function documentCount(db: Queryable, locale: string): Promise<number> {
  const cached = documentCounts.get(locale);
  if (cached && Date.now() - cached.at < 10_000) return cached.count;
  const count = await countIndexed(db, locale);
  documentCounts.set(locale, { count, at: Date.now() });
  return count;
}

/**
 * Weighs each query term by how rare it is among the articles (idf), replaces an unknown Chinese
 * word by a known one that sounds the same (冲值 → 充值) and an unknown Latin word by the closest
 * known one (pasword → password).
 */
async function weighTerms(db: Queryable, locale: Locale, terms: QueryTerm[]): Promise<WeightedTerm[]> {
  const exact = terms.filter((term) => !term.isPrefix);
  const pinyins = exact.flatMap((term) => (term.isHan ? [pinyinOf(term.term) ?? ''] : [])).filter(Boolean);
  const [known, total] = await Promise.all([
    lookUpTerms(
      db,
      locale,
      exact.map((term) => term.term),
      pinyins,
    ),
    documentCount(db, locale),
  ]);
  const idf = (documents: number) => Math.log(1 + (total + 1) / (documents + 0.5));
  const byTerm = new Map(known.map((row) => [row.term, row]));
  const unknownLatin = exact.filter((term) => !term.isHan && !byTerm.has(term.term) && term.term.length >= 4).map((term) => term.term);
  const corrections = unknownLatin.length > 0 ? await closestTerms(db, locale, unknownLatin) : [];
  // In a small help centre every article is cheap to consider; in a large one, terms that appear in
  // more than 2% of articles make candidates only through titles and keywords.
  const isRare = (documents: number) => total <= 500 || documents <= total * 0.02;
  const weighted: WeightedTerm[] = [];
  const push = (entry: Omit<WeightedTerm, 'isRare'>, documents: number) => weighted.push({ ...entry, isRare: isRare(documents) });
  for (const term of terms) {
    if (term.isPrefix) {
      push({ term: term.term, weight: term.strength * idf(Math.max(1, total / 10)), isPrefix: true, surface: term.term }, total);
      continue;
    }
    const stats = byTerm.get(term.term);
    if (stats) {
      push({ term: term.term, weight: term.strength * idf(stats.documents), isPrefix: false, surface: term.term }, stats.documents);
      continue;
    }
    if (term.isHan) {
      const sound = pinyinOf(term.term);
      const homophone = known
        .filter((row) => row.pinyin === sound && Array.from(row.term).length === Array.from(term.term).length)
        .sort((a, b) => b.documents - a.documents)[0];
      if (homophone)
        push(
          { term: homophone.term, weight: 0.8 * term.strength * idf(homophone.documents), isPrefix: false, surface: homophone.term },
          homophone.documents,
        );
      continue;
    }
    const closest = corrections.find((row) => row.typed === term.term);
    if (closest)
      push(
        { term: closest.term, weight: 0.8 * term.strength * idf(closest.documents), isPrefix: false, surface: closest.term },
        closest.documents,
      );
  }
  return weighted;
}

/** Searches the published articles of one language, best first, with highlighted snippets. */
export async function searchHelp(deps: { db: Database; config: Config }, input: SearchInput): Promise<HelpSearchResult[]> {
  const terms = queryTerms(input.q, input.segmenter ?? defaultSegmenter);
  const raw = normaliseTitle(input.q).slice(0, 100);
  if (terms.length === 0 && raw.length < 3) return [];
  const weighted = await weighTerms(deps.db, input.locale, terms);
  // Terms are letters and digits only (see search-text), so they are safe inside a tsquery.
  const tsTerms = weighted.map((term) => (term.isPrefix ? `${term.term}:*` : term.term));
  const hits = await searchIndex(deps.db, {
    locale: input.locale,
    anyQuery: tsTerms.length > 0 ? tsTerms.join(' | ') : '',
    rareQuery: weighted
      .filter((term) => term.isRare)
      .map((term) => (term.isPrefix ? `${term.term}:*` : term.term))
      .join(' | '),
    terms: weighted.map((term) => term.term),
    prefixes: weighted.map((term) => term.isPrefix),
    weights: weighted.map((term) => term.weight),
    raw,
    limit: input.limit,
  });
  const facts = await helpFacts(deps, input.locale);
  return hits
    .filter((hit) => hit.score > 0)
    .map((hit) => ({
      slug: hit.slug,
      title: hit.title,
      snippet: snippetOf({ summary: fillFacts(hit.summary, facts), plainText: fillFacts(hit.plainText, facts) }, weighted),
      url: `/help/${hit.slug}`,
      score: Math.round(hit.score * 1000) / 1000,
    }));
}

const snippetLength = 90;

/**
 * The part of the article that best matches, as escaped HTML with the matched words in `<mark>`.
 * Matching runs on the normalised text (same length per character for Chinese and Latin text
 * alike), so positions carry back to the original.
 */
export function snippetOf(hit: Pick<SearchHit, 'plainText' | 'summary'>, terms: Array<Pick<WeightedTerm, 'surface' | 'isPrefix'>>): string {
  const source = `${hit.summary}\n${hit.plainText}`.replace(/\s+/g, ' ').trim();
  const characters = Array.from(source);
  // Articles are written in simplified Chinese; folding width and case keeps one character per character.
  const normalised = Array.from(source, (character) => {
    const folded = character.normalize('NFKC').toLowerCase();
    return Array.from(folded).length === 1 ? folded : character;
  }).join('');
  const ranges: Array<[number, number]> = [];
  const surfaces = Array.from(new Set(terms.map((term) => term.surface).filter((surface) => surface.length > 0)));
  for (const surface of surfaces) {
    const isLatin = /^[a-z0-9]+$/.test(surface);
    const pattern = isLatin ? new RegExp(`\\b${surface}[a-z]*`, 'gu') : new RegExp(surface.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
    for (const match of normalised.matchAll(pattern)) {
      const start = Array.from(normalised.slice(0, match.index)).length;
      ranges.push([start, start + Array.from(match[0]).length]);
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
