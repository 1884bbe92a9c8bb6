import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { stemmer } from 'stemmer';
import { productWords, stopWords, variantSpellings } from './product-dictionary.js';

/** Splits a run of Chinese characters into words. Two are measured against the evaluation set. */
export type Segmenter = { name: 'jieba' | 'intl'; cut(run: string): string[] };

const require = createRequire(import.meta.url);

let jieba: Jieba | undefined;
/** jieba (via @node-rs/jieba) with the product dictionary; `cutForSearch` also emits the parts of long words. */
export const jiebaSegmenter: Segmenter = {
  name: 'jieba',
  cut(run) {
    if (!jieba) {
      // The dictionary ships inside the package (no download); loading it takes about a quarter second.
      const { dict } = require('@node-rs/jieba/dict') as { dict: Buffer };
      jieba = Jieba.withDict(dict);
      jieba.loadDict(Buffer.from(productWords.map((word) => `${word.toLowerCase()} 100000 n`).join('\n')));
    }
    return jieba.cutForSearch(run, true);
  },
};

const intl = new Intl.Segmenter('zh-CN', { granularity: 'word' });
/** The runtime's ICU word breaker: no dictionary of our own, results vary with the ICU version. */
export const intlSegmenter: Segmenter = {
  name: 'intl',
  cut(run) {
    return Array.from(intl.segment(run), (part) => part.segment);
  },
};

/** The segmenter search uses, chosen on the evaluation set (see the README's search section). */
export const defaultSegmenter = jiebaSegmenter;

const toSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });
const toSimplifiedHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });
const han = /\p{Script=Han}/u;

/**
 * One form for text and queries: full-width folded (NFKC), lower case, traditional characters as
 * simplified (Taiwan phrases, then Hong Kong characters), variant spellings unified.
 */
export function normaliseText(text: string): string {
  let normalised = text.normalize('NFKC').toLowerCase();
  if (han.test(normalised)) {
    normalised = toSimplifiedHongKong(toSimplified(normalised));
    for (const [variant, standard] of variantSpellings) normalised = normalised.replaceAll(variant, standard);
  }
  return normalised;
}

type Run = { text: string; isHan: boolean };

/** Han runs and Latin/digit runs; punctuation and spaces separate them. */
function runsOf(normalised: string): Run[] {
  const runs: Run[] = [];
  for (const match of normalised.matchAll(/(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu)) {
    if (match[1]) runs.push({ text: match[1], isHan: true });
    else if (match[2]) runs.push({ text: match[2], isHan: false });
  }
  return runs;
}

function latinToken(word: string): string | undefined {
  if (stopWords.has(word)) return undefined;
  const stem = /^[a-z]+$/.test(word) ? stemmer(word) : word;
  return stopWords.has(stem) ? undefined : stem;
}

function bigrams(run: string): string[] {
  const characters = Array.from(run);
  const pairs: string[] = [];
  for (let index = 0; index + 1 < characters.length; index += 1) pairs.push(`${characters[index]}${characters[index + 1]}`);
  return pairs;
}

/**
 * Tokens to index, space-separated for `to_tsvector('simple', …)`: segmented words, every
 * two-character sequence of Chinese text (so a word the segmenter split is still found), and
 * stemmed Latin words.
 */
export function indexTokens(text: string, segmenter: Segmenter = defaultSegmenter): string {
  const tokens = new Set<string>();
  for (const run of runsOf(normaliseText(text))) {
    if (!run.isHan) {
      const token = latinToken(run.text);
      if (token) tokens.add(token);
      continue;
    }
    for (const word of segmenter.cut(run.text)) if (han.test(word) && !stopWords.has(word)) tokens.add(word);
    for (const pair of bigrams(run.text)) tokens.add(pair);
  }
  return Array.from(tokens).join(' ');
}

export type QueryTerm = {
  term: string;
  /** How much a match on it is worth before rarity: words 1, two-character sequences less. */
  strength: number;
  /** Typed last and maybe unfinished: matches words that start with it. */
  isPrefix: boolean;
  isHan: boolean;
};

/** Queries longer than this are cut: nobody types more into a search box, and long ones cost. */
export const maxQueryCharacters = 100;

/** Recent queries' terms: people type the same few questions, and each keystroke asks again. */
const recentQueries = new Map<string, QueryTerm[]>();
const recentQueryLimit = 2000;

/** The terms of a query, normalised and segmented exactly like indexed text (remembered for recent queries). */
export function queryTerms(query: string, segmenter: Segmenter = defaultSegmenter): QueryTerm[] {
  const key = `${segmenter.name}\u0000${query}`;
  const known = recentQueries.get(key);
  if (known) return known;
  const terms = segmentQuery(query, segmenter);
  if (recentQueries.size >= recentQueryLimit) recentQueries.delete(recentQueries.keys().next().value ?? '');
  recentQueries.set(key, terms);
  return terms;
}

function segmentQuery(query: string, segmenter: Segmenter): QueryTerm[] {
  const normalised = normaliseText(Array.from(query).slice(0, maxQueryCharacters).join(''));
  const terms = new Map<string, QueryTerm>();
  const add = (term: QueryTerm) => {
    const existing = terms.get(term.term);
    if (!existing || existing.strength < term.strength) terms.set(term.term, term);
  };
  const runs = runsOf(normalised);
  const endsOpen = /[\p{L}\p{N}]$/u.test(normalised);
  runs.forEach((run, index) => {
    const isLast = index === runs.length - 1 && endsOpen;
    if (!run.isHan) {
      const token = latinToken(run.text);
      if (token) add({ term: token, strength: 1, isPrefix: isLast && run.text.length >= 2, isHan: false });
      return;
    }
    const words = segmenter.cut(run.text).filter((word) => han.test(word) && !stopWords.has(word));
    for (const word of words) {
      // A single character carries little alone; it counts through the two-character sequences.
      if (Array.from(word).length > 1) add({ term: word, strength: 1, isPrefix: false, isHan: true });
    }
    for (const pair of bigrams(run.text)) {
      if (!stopWords.has(pair)) add({ term: pair, strength: 0.5, isPrefix: false, isHan: true });
    }
    // One character alone (someone typing "退") can only be found as the start of a word.
    if (Array.from(run.text).length === 1 && !stopWords.has(run.text)) add({ term: run.text, strength: 1, isPrefix: true, isHan: true });
  });
  return Array.from(terms.values()).slice(0, 24);
}

/** Toneless pinyin of a Chinese word: 冲值 and 充值 both read "chongzhi", the usual kind of typo. */
export function pinyinOf(word: string): string | undefined {
  if (!han.test(word)) return undefined;
  return pinyin(word, { toneType: 'none', type: 'array', v: true }).join('');
}

/** The normalised title trigram similarity compares against. */
export function normaliseTitle(title: string): string {
  return normaliseText(title)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
