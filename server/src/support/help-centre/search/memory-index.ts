import type { Queryable } from '../../../platform/index.js';
import { type IndexedText, listIndexChanges, readSearchRevision } from '../help-centre.repository.js';

/** Where a term occurs in an article; ranking multiplies the term's weight by it. */
export const fieldWeight = { title: 3, keywords: 2.5, body: 1 } as const;
const classWeights = [fieldWeight.body, fieldWeight.keywords, fieldWeight.title];

export type IndexedArticle = Omit<IndexedText, 'titleTokens' | 'keywordTokens' | 'bodyTokens'> & {
  /** The title's trigrams, as pg_trgm makes them (see `titleTrigrams`). */
  trigrams: string[];
  /** The snippet source prepared once per set of facts (see search-help). */
  snippetCache?: { key: unknown; value: unknown };
};

/** A query term as ranking sees it: `isPrefix` matches every indexed term starting with it. */
export type RankTerm = { term: string; weight: number; isPrefix: boolean };

export type RankedArticle = { article: IndexedArticle; score: number };

/**
 * pg_trgm's trigrams of a normalised title: each word padded with two spaces before and one after,
 * every three consecutive characters, each once. `similarity` is common / (all of both − common).
 */
export function titleTrigrams(normalised: string): string[] {
  const trigrams = new Set<string>();
  for (const word of normalised.split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const characters = Array.from(`  ${word} `);
    for (let index = 0; index + 2 < characters.length; index += 1) {
      trigrams.add(`${characters[index]}${characters[index + 1]}${characters[index + 2]}`);
    }
  }
  return Array.from(trigrams);
}

/** Titles at least this similar to the query are candidates even without a matching term (pg_trgm's `%`). */
const similarityThreshold = 0.3;

/**
 * The published articles of one language held in memory: postings of every indexed term (which
 * articles hold it, and in which field), and of every title trigram. Ranking reads nothing from the
 * database; the rows come from `help_search_index` and are brought up to date before each search.
 */
class LocaleIndex {
  revision = -1;
  private articles: Array<IndexedArticle | undefined> = [];
  private slotOf = new Map<string, number>();
  /** term → article slot × 4 + field class (0 body, 1 keywords, 2 title). */
  private postings = new Map<string, number[]>();
  private trigramPostings = new Map<string, number[]>();
  private sortedTerms: string[] | undefined;
  private dead = 0;

  /** Answers of the term table for unknown query words (sound-alikes, closest spellings), until the index changes. */
  readonly termAnswers = new Map<string, unknown>();

  get size(): number {
    return this.slotOf.size;
  }

  /** Documents containing the term, as the term table counts them. */
  documents(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  apply(rows: IndexedText[]): void {
    if (rows.length > 0) this.termAnswers.clear();
    for (const row of rows) {
      const previous = this.slotOf.get(row.articleId);
      if (previous !== undefined) {
        this.articles[previous] = undefined;
        this.dead += 1;
      }
      this.add(row);
    }
    // Replaced articles leave their postings behind; rebuild once they are a fifth of the whole.
    if (this.dead > 64 && this.dead > this.slotOf.size / 5) this.rebuild();
  }

  private add(row: IndexedText): void {
    const slot = this.articles.length;
    const trigrams = titleTrigrams(row.titleNormalised);
    // The tokens live on in the postings only.
    const { titleTokens: _title, keywordTokens: _keywords, bodyTokens: _body, ...kept } = row;
    this.articles.push({ ...kept, trigrams });
    this.slotOf.set(row.articleId, slot);
    const classes = new Map<string, number>();
    for (const term of row.bodyTokens.split(' ')) if (term) classes.set(term, 0);
    for (const term of row.keywordTokens.split(' ')) if (term) classes.set(term, 1);
    for (const term of row.titleTokens.split(' ')) if (term) classes.set(term, 2);
    for (const [term, fieldClass] of classes) {
      const list = this.postings.get(term);
      if (list) list.push(slot * 4 + fieldClass);
      else {
        this.postings.set(term, [slot * 4 + fieldClass]);
        this.sortedTerms = undefined;
      }
    }
    for (const trigram of trigrams) {
      const list = this.trigramPostings.get(trigram);
      if (list) list.push(slot);
      else this.trigramPostings.set(trigram, [slot]);
    }
  }

  /** Drops the postings of replaced articles; slots stay where they are. */
  private rebuild(): void {
    const alive = (slot: number) => this.articles[slot] !== undefined;
    for (const [term, list] of this.postings) {
      const kept = list.filter((entry) => alive(entry >> 2));
      if (kept.length > 0) this.postings.set(term, kept);
      else this.postings.delete(term);
    }
    for (const [trigram, list] of this.trigramPostings) {
      const kept = list.filter(alive);
      if (kept.length > 0) this.trigramPostings.set(trigram, kept);
      else this.trigramPostings.delete(trigram);
    }
    this.sortedTerms = undefined;
    this.dead = 0;
  }

  /** Indexed terms starting with `prefix`, from a sorted list kept until a new term arrives. */
  private termsStartingWith(prefix: string): string[] {
    if (!this.sortedTerms) this.sortedTerms = Array.from(this.postings.keys()).sort();
    const terms = this.sortedTerms;
    let low = 0;
    let high = terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((terms[middle] ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    const found: string[] = [];
    for (let index = low; index < terms.length && (terms[index] ?? '').startsWith(prefix); index += 1) found.push(terms[index] ?? '');
    return found;
  }

  /**
   * Every article holding a query term or with a title similar to the query: the sum of each
   * term's weight times its best field (title 3, keywords 2.5, text 1), plus twice the title's
   * trigram similarity to the query. Best first, then by position and slug.
   */
  rank(terms: RankTerm[], raw: string, limit: number): RankedArticle[] {
    const slots = this.articles.length;
    if (this.scores.length < slots) {
      const size = Math.max(slots, this.scores.length * 2, 64);
      this.scores = new Float64Array(size);
      this.best = new Int8Array(size).fill(-1);
      this.common = new Int32Array(size);
    }
    const { scores, best, common } = this;
    const touched: number[] = [];
    const seen: number[] = [];
    for (const term of terms) {
      const lists = term.isPrefix
        ? this.termsStartingWith(term.term).map((found) => this.postings.get(found) ?? [])
        : [this.postings.get(term.term) ?? []];
      for (const list of lists) {
        for (let index = 0; index < list.length; index += 1) {
          const entry = list[index] as number;
          const slot = entry >> 2;
          const fieldClass = entry & 3;
          const held = best[slot] as number;
          if (held < 0) seen.push(slot);
          if (fieldClass > held) best[slot] = fieldClass;
        }
      }
      for (const slot of seen) {
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] as number) + term.weight * (classWeights[best[slot] as number] as number);
        best[slot] = -1;
      }
      seen.length = 0;
    }
    // Title similarity: trigrams in common, counted through the trigram postings.
    const query = titleTrigrams(raw);
    const similar: number[] = [];
    for (const trigram of query) {
      const list = this.trigramPostings.get(trigram);
      if (!list) continue;
      for (let index = 0; index < list.length; index += 1) {
        const slot = list[index] as number;
        if (common[slot] === 0) similar.push(slot);
        common[slot] = (common[slot] as number) + 1;
      }
    }
    const articles = this.articles;
    // Each candidate's final score, in `scores`; those only similar enough by title join the candidates.
    for (const slot of similar) {
      const article = articles[slot];
      if (!article) continue;
      const count = common[slot] as number;
      const value = count / (query.length + article.trigrams.length - count);
      if (scores[slot] === 0) {
        if (value < similarityThreshold) continue;
        touched.push(slot);
      }
      scores[slot] = (scores[slot] as number) + 2 * value;
    }
    // The best `limit`, kept sorted while scanning: no sort or allocation per candidate.
    const top: RankedArticle[] = [];
    for (const slot of touched) {
      const article = articles[slot];
      const score = scores[slot] as number;
      if (!article || score <= 0) continue;
      const last = top[top.length - 1];
      if (top.length === limit && last && compareRanked(score, article, last) >= 0) continue;
      let at = top.length;
      while (at > 0 && compareRanked(score, article, top[at - 1] as RankedArticle) < 0) at -= 1;
      top.splice(at, 0, { article, score });
      if (top.length > limit) top.pop();
    }
    for (const slot of touched) scores[slot] = 0;
    for (const slot of similar) {
      common[slot] = 0;
      scores[slot] = 0;
    }
    return top;
  }

  private scores = new Float64Array(0);
  private best = new Int8Array(0);
  private common = new Int32Array(0);
}

function compareRanked(score: number, article: IndexedArticle, other: RankedArticle): number {
  return (
    other.score - score ||
    article.position - other.article.position ||
    (article.slug < other.article.slug ? -1 : article.slug > other.article.slug ? 1 : 0)
  );
}

type Entry = { index: LocaleIndex; loading?: Promise<void>; checking?: Promise<void>; checkedAt: number };
const byDatabase = new WeakMap<object, Map<string, Entry>>();

/** How old this node's view of another node's edits may get: well inside the one-second promise. */
const recheckMs = 250;
/** After this process writes the index, every search asks for the revision until then (read your writes). */
const ownWriteWindowMs = 5000;
let ownWriteUntil = 0;

/** Called by whoever writes `help_search_index` in this process: searches here see the change as soon as it commits. */
export function noteSearchIndexWrite(): void {
  ownWriteUntil = Date.now() + ownWriteWindowMs;
}

async function catchUp(db: Queryable, locale: string, entry: Entry): Promise<void> {
  const started = Date.now();
  const wanted = await readSearchRevision(db, locale);
  while (entry.index.revision < wanted || (entry.index.revision < 0 && wanted === 0)) {
    if (!entry.loading) {
      entry.loading = (async () => {
        try {
          const changes = await listIndexChanges(db, locale, entry.index.revision);
          entry.index.apply(changes.rows);
          entry.index.revision = Math.max(entry.index.revision, changes.revision);
        } finally {
          entry.loading = undefined;
        }
      })();
    }
    await entry.loading;
  }
  entry.checkedAt = Math.max(entry.checkedAt, started);
}

/**
 * The language's index, up to date: its revision is read again when the last reading is older
 * than a quarter second (shared by the searches waiting for it), and by every search for a few
 * seconds after this process wrote the index; the changed rows are loaded only when it moved. So
 * an edit published on another node is found within about a quarter second, and on this node by
 * the very next search.
 */
export async function currentIndex(db: Queryable, locale: string): Promise<LocaleIndex> {
  let indexes = byDatabase.get(db.$client);
  if (!indexes) {
    indexes = new Map();
    byDatabase.set(db.$client, indexes);
  }
  let entry = indexes.get(locale);
  if (!entry) {
    entry = { index: new LocaleIndex(), checkedAt: 0 };
    indexes.set(locale, entry);
  }
  const now = Date.now();
  if (now < ownWriteUntil) await catchUp(db, locale, entry);
  else if (entry.index.revision < 0 || now - entry.checkedAt >= recheckMs) {
    const state = entry;
    if (!state.checking) state.checking = catchUp(db, locale, state).finally(() => (state.checking = undefined));
    await state.checking;
  }
  return entry.index;
}

export type { LocaleIndex };
