/**
 * Outlook's Thread-Index (MS-OXOMSG PidTagConversationIndex): base64 of a 22-byte header (one
 * reserved byte and five bytes of FILETIME, or six FILETIME bytes, then a 16-byte conversation
 * GUID) and one 5-byte block per reply. Outlook threads by the GUID; without it, it splits.
 */
const headerLength = 22;
const childLength = 5;

/** The conversation GUID (hex) of a Thread-Index header value, or null if it is not one. */
export function threadGuid(value: string | undefined | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length < headerLength || (bytes.length - headerLength) % childLength !== 0) return null;
  return bytes.subarray(6, headerLength).toString('hex');
}

/** FILETIME: 100-ns intervals since 1601-01-01. */
function fileTime(at: Date): bigint {
  return (BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n;
}

/** A new Thread-Index for a conversation we start: the header with our GUID. */
export function newThreadIndex(guidHex: string, at: Date): string {
  const header = Buffer.alloc(headerLength);
  // Exchange's form: a reserved 0x01 byte, then the upper five bytes of FILETIME.
  header[0] = 0x01;
  const time = fileTime(at) >> 24n;
  for (let index = 5; index >= 1; index--) header[index] = Number((time >> BigInt((5 - index) * 8)) & 0xffn);
  Buffer.from(guidHex, 'hex').copy(header, 6, 0, 16);
  return header.toString('base64');
}

/**
 * The Thread-Index of a reply: the parent's value with one child block appended (time since the
 * header's time in the block's 31 bits, coarse but monotonic), so Outlook files it under the thread.
 */
export function replyThreadIndex(parent: string, at: Date, sequence: number): string {
  const bytes = Buffer.from(parent.replace(/\s+/g, ''), 'base64');
  let headerTime = 0n;
  for (let index = 1; index <= 5; index++) headerTime = (headerTime << 8n) | BigInt(bytes[index] ?? 0);
  const delta = (fileTime(at) >> 24n) - headerTime;
  const child = Buffer.alloc(childLength);
  const value = Number((delta > 0n ? delta : 0n) & 0x7fffffffn);
  child.writeUInt32BE(value >>> 0, 0);
  child[4] = sequence & 0xff;
  return Buffer.concat([bytes, child]).toString('base64');
}
