import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Test helpers for voicemail uploads: recordings Chromium made, and multipart bodies built by hand
// (so a test can put in them what no well-behaved client would).

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../platform/files/fixtures');
/** 1.5 s from Chromium's fake microphone through MediaRecorder: WebM/Opus, and fragmented MP4 (no length in its header). */
export const chromiumWebm = readFileSync(path.join(fixtures, 'recorded-by-chromium.webm'));
export const chromiumMp4 = readFileSync(path.join(fixtures, 'recorded-by-chromium.mp4'));

export type Part = { name: string; value: string } | { name: string; fileName: string; contentType: string; bytes: Buffer };

export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----okpay-test-${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'bytes' in part ? `form-data; name="${part.name}"; filename="${part.fileName}"` : `form-data; name="${part.name}"`;
    const type = 'bytes' in part ? `\r\nContent-Type: ${part.contentType}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, 'utf8'));
    chunks.push('bytes' in part ? part.bytes : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The recording as the widget sends it: `file`, with its topic and the recorder's timer. */
export function voicemailForm(bytes: Buffer, fields: Record<string, string> = {}, fileName = 'voicemail.webm', contentType = 'audio/webm') {
  return multipart([...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', fileName, contentType, bytes }]);
}
