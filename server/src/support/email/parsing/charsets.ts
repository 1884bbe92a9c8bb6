/**
 * Charset labels as mail clients write them, mapped to the decoder that reads what they really
 * send. Clients label `gb2312` but write GBK, and rare-name characters (𠮷) as four-byte GB18030;
 * GB18030 decodes all of them. Big5 mail from Hong Kong carries HKSCS characters.
 */
const supersets: Array<[RegExp, string]> = [
  [/^(?:gb2312|gbk|x-gbk|cp936|ms936|windows-936|csgb2312|euc-cn|gb_2312-80|chinese)$/i, 'gb18030'],
  [/^(?:big5|big-5|cn-big5|csbig5|x-x-big5)$/i, 'big5hkscs'],
];

export function decodingLabel(label: string): string {
  for (const [pattern, superset] of supersets) if (pattern.test(label)) return superset;
  return label;
}

const headerEnd = /\r?\n\r?\n/;
// In Content-Type parameters anywhere in the message, and in RFC 2047 encoded words.
const charsetParameter = /(charset\s*=\s*"?)([\w.:-]+)/gi;
const encodedWord = /=\?([\w.:-]+)((?:\*[\w-]+)?\?[bq]\?)/gi;

/**
 * Rewrites Chinese charset labels to their decoding supersets before parsing, in place of the
 * bytes that carry them (read as latin1, so every other byte is kept as it was). Raw 8-bit
 * header text that is not UTF-8 (seen from QQ) is re-encoded from GB18030 to UTF-8.
 */
export function normaliseCharsets(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  let changed = false;
  const relabel = (match: string, prefix: string, label: string, suffix = '') => {
    const next = decodingLabel(label);
    if (next === label) return match;
    changed = true;
    return `${prefix}${next}${suffix}`;
  };
  let rewritten = text
    .replace(charsetParameter, (match, prefix: string, label: string) => relabel(match, prefix, label))
    .replace(encodedWord, (match, label: string, rest: string) => relabel(match, '=?', label, rest));
  const split = headerEnd.exec(rewritten);
  const headerLength = split ? split.index : rewritten.length;
  const header = Buffer.from(rewritten.slice(0, headerLength), 'latin1');
  if (hasEightBit(header) && !isUtf8(header)) {
    const decoded = new TextDecoder('gb18030').decode(header);
    rewritten = Buffer.from(decoded, 'utf8').toString('latin1') + rewritten.slice(headerLength);
    changed = true;
  }
  return changed ? Buffer.from(rewritten, 'latin1') : raw;
}

function hasEightBit(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte > 0x7f) return true;
  return false;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
