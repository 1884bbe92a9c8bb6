import { locales } from '@okpay/contracts';
import type { Database } from '../../platform/index.js';
import { currentIndex } from './search/memory-index.js';
import { indexTokens } from './search/search-text.js';

/**
 * Loads the segmenter's dictionary and the traditional-Chinese tables ahead of the first search,
 * and with a database this node's search index of each language, so no customer waits for them.
 * The sanitiser's DOM (jsdom) is left to the first article published or previewed: readers never
 * need it (pages are rendered when published), and loading it costs a node's start about a second.
 */
export function warmUpHelpCentre(db?: Database): void {
  indexTokens('充值失败 帳戶 top up');
  // A failure here (the node stopping) only means the first search loads the index itself.
  if (db) for (const locale of locales) currentIndex(db, locale).catch(() => undefined);
}
