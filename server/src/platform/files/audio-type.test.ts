import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audioDurationMs, detectAudioType, toneWav, withWebmDuration } from './audio-type.js';

// Recorded by Debian's Chromium from its fake microphone with MediaRecorder (1.5 s, Opus at 32 kbit/s).
const fixture = (name: string) => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name));
const webm = fixture('recorded-by-chromium.webm');
const mp4 = fixture('recorded-by-chromium.mp4');

/** An Ogg Opus stream as Firefox writes it, reduced to what is read: the OpusHead page and a last page's granule position. */
function oggOpus(seconds: number, preSkip = 312): Buffer {
  const page = (granule: bigint, payload: Buffer) => {
    const header = Buffer.alloc(27);
    header.write('OggS', 0, 'latin1');
    header.writeBigInt64LE(granule, 6);
    header[26] = 1;
    return Buffer.concat([header, Buffer.from([payload.length]), payload]);
  };
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = 1;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  return Buffer.concat([page(0n, head), page(BigInt(Math.round(seconds * 48_000) + preSkip), Buffer.alloc(40, 7))]);
}

describe('audio files', () => {
  it('recognises what browsers record and providers serve by their bytes', () => {
    expect(detectAudioType(webm)).toBe('audio/webm');
    expect(detectAudioType(mp4)).toBe('audio/mp4');
    expect(detectAudioType(oggOpus(2))).toBe('audio/ogg');
    expect(detectAudioType(toneWav(0.5))).toBe('audio/wav');
    expect(detectAudioType(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(20)]))).toBe('audio/mpeg');
  });

  it('refuses what only looks like audio by its name or label', () => {
    expect(detectAudioType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeUndefined();
    expect(detectAudioType(Buffer.alloc(0))).toBeUndefined();
    expect(detectAudioType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBeUndefined();
    // A Matroska video has the same first bytes as WebM, but another DocType.
    const matroska = Buffer.from(webm);
    matroska.write('matr', webm.indexOf('webm', 0, 'latin1'), 'latin1');
    expect(detectAudioType(matroska)).toBeUndefined();
    // Truncated inside the EBML header.
    expect(detectAudioType(webm.subarray(0, 14))).toBeUndefined();
  });

  it('counts a browser WebM recording’s length from its blocks and writes it into the file', () => {
    const counted = audioDurationMs(webm, 'audio/webm');
    expect(counted).toBeGreaterThan(1_300);
    expect(counted).toBeLessThan(1_700);
    const fixed = withWebmDuration(webm);
    expect(fixed.length).toBe(webm.length + 11);
    const at = fixed.indexOf(Buffer.from([0x44, 0x89, 0x88]));
    expect(at).toBeGreaterThan(0);
    expect(fixed.readDoubleBE(at + 3)).toBe(counted);
    // Still the same recording, and fixing it twice changes nothing.
    expect(detectAudioType(fixed)).toBe('audio/webm');
    expect(audioDurationMs(fixed, 'audio/webm')).toBe(counted);
    expect(withWebmDuration(fixed)).toEqual(fixed);
  });

  it('leaves a WebM it cannot fix as it is, and never throws on a damaged one', () => {
    expect(withWebmDuration(webm.subarray(0, 60))).toEqual(webm.subarray(0, 60));
    for (let cut = 0; cut < webm.length; cut += 97) {
      expect(() => withWebmDuration(webm.subarray(0, cut))).not.toThrow();
      expect(() => audioDurationMs(webm.subarray(0, cut), 'audio/webm')).not.toThrow();
    }
    const scrambled = Buffer.from(webm);
    for (let index = 48; index < scrambled.length; index += 13) scrambled[index] = 0xff;
    expect(() => withWebmDuration(scrambled)).not.toThrow();
  });

  it('reads the length of Ogg Opus, WAV and a finished MP4; a fragmented MP4 says nothing', () => {
    expect(audioDurationMs(oggOpus(2.5), 'audio/ogg')).toBe(2_500);
    expect(audioDurationMs(toneWav(1.25), 'audio/wav')).toBe(1_250);
    // Chromium writes fragmented MP4: the movie header's duration is zero until the file is finished.
    expect(audioDurationMs(mp4, 'audio/mp4')).toBeUndefined();
  });
});
