import { createRequire } from 'node:module';
import createDomPurify, { type DOMPurify } from 'dompurify';
import MarkdownIt from 'markdown-it';

// jsdom is loaded on the first article rendered, not when the server starts (it is the largest
// module the server loads: a second and more of a node's start).
const require = createRequire(import.meta.url);

// Articles may hold inline SVG diagrams and a little HTML, so Markdown passes HTML through and
// everything it produces is sanitised afterwards; nothing reaches a page or the widget unsanitised.
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false, breaks: false });

let purifier: DOMPurify | undefined;

/** Where an article may point: our own paths, fragments, the web, mail and phone. Never `//host` or a script. */
const allowedLink = /^(?:(?:https?|mailto|tel):|\/(?!\/)|#)/i;
/** Images only from the help centre's own store: no tracking pixels, no data: URLs. */
const allowedImage = /^\/help\/images\/[0-9a-f-]{36}$/;
const svgNamespace = 'http://www.w3.org/2000/svg';

function sanitiser(): DOMPurify {
  if (purifier) return purifier;
  const { JSDOM } = require('jsdom') as typeof import('jsdom');
  const { window } = new JSDOM('');
  const instance = createDomPurify(window as unknown as Parameters<typeof createDomPurify>[0]);
  instance.addHook('uponSanitizeElement', (node, data) => {
    // Links inside SVG carry href in forms browsers honour differently; diagrams need none.
    if (data.tagName === 'a' && (node as Element).namespaceURI === svgNamespace) node.parentNode?.removeChild(node);
  });
  instance.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (element.tagName === 'IMG') {
      const source = element.getAttribute('src') ?? '';
      if (!allowedImage.test(source)) element.remove();
      else element.setAttribute('loading', 'lazy');
    }
    // DOMPurify's own URI check keeps schemes such as sms: and xmpp:; articles link only where allowedLink says.
    if (element.tagName === 'A' && element.hasAttribute('href')) {
      const href = element.getAttribute('href') ?? '';
      if (!allowedLink.test(href)) element.removeAttribute('href');
      else if (/^https?:/i.test(href)) {
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    }
  });
  purifier = instance;
  return instance;
}

/** Sanitises HTML for a help page: article content, inline SVG diagrams; no script in any form. */
export function sanitiseArticleHtml(html: string): string {
  return sanitiser().sanitize(html, {
    USE_PROFILES: { html: true, svg: true },
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'option',
      'iframe',
      'frame',
      'object',
      'embed',
      'base',
      'link',
      'meta',
      'template',
      'video',
      'audio',
      'source',
      'foreignObject',
      'use',
      'image',
      'animate',
      'animateMotion',
      'animateTransform',
      'set',
      'script',
    ],
    FORBID_ATTR: ['style', 'srcset', 'xlink:href', 'formaction', 'action', 'background', 'ping'],
    ALLOW_DATA_ATTR: false,
  });
}

/**
 * Markdown → sanitised HTML. `{{fact}}` placeholders survive (percent-encoded ones in links are
 * restored) and are filled in when the page is served.
 */
export function renderArticleHtml(body: string): string {
  const html = sanitiseArticleHtml(markdown.render(body));
  return html.replace(/%7B%7B\s*([a-zA-Z.]+)\s*%7D%7D/g, '{{$1}}');
}

/** The article as plain text, for snippets and the search index. */
export function articlePlainText(html: string): string {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/gi, ' ')
    .replace(/<(?:br|\/p|\/li|\/h\d|\/tr|\/div)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Makes the article's own links absolute, for the chat widget on another site. */
export function absoluteLinks(html: string, publicUrl: string): string {
  return html.replace(/ (href|src)="\/(?!\/)/g, ` $1="${publicUrl}/`);
}
