import { compile, type Formatter } from 'html-to-text';

/**
 * A line no mail client writes, put where the HTML says quoted history begins (Gmail's
 * `.gmail_quote`, Apple Mail's and Thunderbird's `blockquote[type=cite]`, Outlook web's
 * `#divRplyFwdMsg`, QQ Mail's `<includetail>`), so the text-level rules can cut there.
 */
export const quoteMarker = '\u2063okpay-quoted-history\u2063';

const markQuote: Formatter = (element, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addInline(quoteMarker, { noWordTransform: true });
  builder.closeBlock({ trailingLineBreaks: 1 });
  walk(element.children, builder);
};

const quoteSelectors = [
  '.gmail_quote',
  'blockquote[type=cite]',
  '.moz-cite-prefix',
  '#divRplyFwdMsg',
  '#appendonsend',
  'includetail',
  '.yahoo_quoted',
  '#mail-editor-reference-message-container',
];

// What an agent must never get from a customer's HTML: nothing is fetched or run, pictures and
// embedded objects are left out, links keep their address in brackets so it can be read, not clicked.
const toText = compile({
  wordwrap: false,
  limits: { maxInputLength: 2_000_000, maxDepth: 200, maxChildNodes: 20_000, ellipsis: '…' },
  formatters: { markQuote },
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'picture', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'video', format: 'skip' },
    { selector: 'audio', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'head', format: 'skip' },
    // A rule is only decoration; Outlook puts one above its quoted header.
    { selector: 'hr', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, linkBrackets: ['<', '>'] } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ...quoteSelectors.map((selector) => ({ selector, format: 'markQuote' })),
  ],
});

/** Readable plain text from a mail's HTML, with the start of quoted history marked. */
export function htmlToSafeText(html: string): string {
  return toText(html)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
