import { renderArticleHtml } from './render-article.js';
import { indexTokens } from './search/search-text.js';

/**
 * Loads the segmenter's dictionary, the traditional-Chinese tables and the sanitiser's DOM ahead of
 * the first search or edit (together about half a second), so no customer waits for them.
 */
export function warmUpHelpCentre(): void {
  indexTokens('充值失败 帳戶 top up');
  renderArticleHtml('**OKPay**');
}
