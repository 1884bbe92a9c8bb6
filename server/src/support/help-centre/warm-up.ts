import { locales } from '@okpay/contracts';
import type { Database } from '../../platform/index.js';
import { renderArticleHtml } from './render-article.js';
import { currentIndex } from './search/memory-index.js';
import { indexTokens } from './search/search-text.js';

/**
 * Loads the segmenter's dictionary, the traditional-Chinese tables and the sanitiser's DOM ahead of
 * the first search or edit (together about half a second), and with a database this node's search
 * index of each language, so no customer waits for them.
 */
export function warmUpHelpCentre(db?: Database): void {
  indexTokens('充值失败 帳戶 top up');
  renderArticleHtml('**OKPay**');
  // A failure here (the node stopping) only means the first search loads the index itself.
  if (db) for (const locale of locales) currentIndex(db, locale).catch(() => undefined);
}
