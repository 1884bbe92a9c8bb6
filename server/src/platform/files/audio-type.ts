/**
 * Audio files recognised by their first bytes, never by a name or a client's label: what browsers'
 * MediaRecorder writes (WebM, Ogg, MP4) and what telephony providers serve (WAV, MP3). Their
 * lengths are read from the containers themselves.
 */
export type AudioType = 'audio/webm' | 'audio/ogg' | 'audio/mp4' | 'audio/wav' | 'audio/mpeg';

export const audioFileExtensions: Record<AudioType, string> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
};

const ebmlId = 0x1a45dfa3;
const docTypeId = 0x4282;

export function detectAudioType(bytes: Buffer): AudioType | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes.readUInt32BE(0) === ebmlId) return ebmlDocType(bytes) === 'webm' ? 'audio/webm' : undefined;
  if (bytes.toString('latin1', 0, 4) === 'OggS') return 'audio/ogg';
  if (bytes.toString('latin1', 4, 8) === 'ftyp') return 'audio/mp4';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE') return 'audio/wav';
  if (bytes.toString('latin1', 0, 3) === 'ID3') return 'audio/mpeg';
  // An MPEG audio frame header: 11 sync bits, a layer that is not "reserved".
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && ((bytes[1] ?? 0) & 0x06) !== 0) return 'audio/mpeg';
  return undefined;
}

/** How long the recording plays, in milliseconds, when its container says (or lets us count it). */
export function audioDurationMs(bytes: Buffer, type: AudioType): number | undefined {
  try {
    switch (type) {
      case 'audio/webm':
        return webmLayout(bytes)?.durationMs;
      case 'audio/ogg':
        return oggOpusDurationMs(bytes);
      case 'audio/wav':
        return wavDurationMs(bytes);
      case 'audio/mp4':
        return mp4DurationMs(bytes);
      case 'audio/mpeg':
        return undefined;
    }
  } catch {
    return undefined;
  }
}

// ── EBML (WebM) ─────────────────────────────────────────────────────────────────────────────

type Vint = { value: number; length: number; unknown: boolean };

/** An EBML variable-length integer: its length is told by the leading zeros of its first byte. */
function readVint(bytes: Buffer, at: number, keepMarker: boolean): Vint | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    const byte = bytes[at + index] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

type Element = { id: number; start: number; sizeAt: number; sizeLength: number; dataStart: number; size: number | undefined };

function readElement(bytes: Buffer, at: number): Element | undefined {
  const id = readVint(bytes, at, true);
  if (!id || id.length > 4) return undefined;
  const size = readVint(bytes, at + id.length, false);
  if (!size) return undefined;
  const dataStart = at + id.length + size.length;
  if (dataStart > bytes.length) return undefined;
  return {
    id: id.value,
    start: at,
    sizeAt: at + id.length,
    sizeLength: size.length,
    dataStart,
    size: size.unknown ? undefined : size.value,
  };
}

function readUnsigned(bytes: Buffer, at: number, length: number): number {
  let value = 0;
  for (let index = 0; index < length; index++) value = value * 256 + (bytes[at + index] ?? 0);
  return value;
}

function ebmlDocType(bytes: Buffer): string | undefined {
  const header = readElement(bytes, 0);
  if (!header || header.id !== ebmlId || header.size === undefined) return undefined;
  const end = Math.min(bytes.length, header.dataStart + header.size);
  for (let at = header.dataStart; at < end; ) {
    const child = readElement(bytes, at);
    if (!child || child.size === undefined) return undefined;
    if (child.id === docTypeId) return bytes.toString('latin1', child.dataStart, child.dataStart + child.size).replace(/\0+$/, '');
    at = child.dataStart + child.size;
  }
  return undefined;
}

const ids = {
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
} as const;
/** What may sit inside a Cluster; anything else ends a Cluster of unknown size. */
const clusterChildren = new Set<number>([ids.timecode, ids.simpleBlock, ids.blockGroup, 0xab, 0xa7, 0x5854]);

type WebmLayout = {
  /** Where the Info element is, and whether it already carries a Duration. */
  info: Element | undefined;
  hasDuration: boolean;
  /** The Segment's size is unknown (a live recording) and no SeekHead points at positions. */
  canGrowInfo: boolean;
  timecodeScale: number;
  durationMs: number | undefined;
};

/** The Segment's Info and, from the blocks' timecodes, how long the recording plays. */
function webmLayout(bytes: Buffer): WebmLayout | undefined {
  const header = readElement(bytes, 0);
  if (!header || header.id !== ebmlId || header.size === undefined) return undefined;
  const segment = readElement(bytes, header.dataStart + header.size);
  if (!segment || segment.id !== ids.segment) return undefined;
  const segmentEnd = segment.size === undefined ? bytes.length : Math.min(bytes.length, segment.dataStart + segment.size);
  let info: Element | undefined;
  let hasDuration = false;
  let hasSeekHead = false;
  let timecodeScale = 1_000_000;
  let lastTime: number | undefined;
  let previousTime: number | undefined;
  const noteBlock = (clusterTime: number, blockStart: number) => {
    const track = readVint(bytes, blockStart, false);
    if (!track || blockStart + track.length + 2 > bytes.length) return;
    const time = clusterTime + bytes.readInt16BE(blockStart + track.length);
    if (lastTime === undefined || time > lastTime) {
      previousTime = lastTime;
      lastTime = time;
    }
  };
  for (let at = segment.dataStart; at < segmentEnd; ) {
    const element = readElement(bytes, at);
    if (!element) break;
    if (element.id === ids.seekHead) hasSeekHead = true;
    if (element.id === ids.info && element.size !== undefined) {
      info = element;
      for (let inner = element.dataStart; inner < element.dataStart + element.size; ) {
        const child = readElement(bytes, inner);
        if (!child || child.size === undefined) break;
        if (child.id === ids.timecodeScale) timecodeScale = readUnsigned(bytes, child.dataStart, child.size) || timecodeScale;
        if (child.id === ids.duration) hasDuration = true;
        inner = child.dataStart + child.size;
      }
    }
    if (element.id === ids.cluster) {
      const clusterEnd = element.size === undefined ? segmentEnd : element.dataStart + element.size;
      let clusterTime = 0;
      let inner = element.dataStart;
      while (inner < clusterEnd) {
        const child = readElement(bytes, inner);
        if (!child || child.size === undefined || !clusterChildren.has(child.id)) break;
        if (child.id === ids.timecode) clusterTime = readUnsigned(bytes, child.dataStart, child.size);
        if (child.id === ids.simpleBlock) noteBlock(clusterTime, child.dataStart);
        if (child.id === ids.blockGroup) {
          const block = readElement(bytes, child.dataStart);
          if (block?.id === ids.block) noteBlock(clusterTime, block.dataStart);
        }
        inner = child.dataStart + child.size;
      }
      at = inner;
      continue;
    }
    if (element.size === undefined) break;
    at = element.dataStart + element.size;
  }
  // The last block plays for about as long as the one before it.
  const ticks = lastTime === undefined ? undefined : lastTime + Math.max(0, lastTime - (previousTime ?? lastTime));
  return {
    info,
    hasDuration,
    canGrowInfo: segment.size === undefined && !hasSeekHead,
    timecodeScale,
    durationMs: ticks === undefined ? undefined : Math.round((ticks * timecodeScale) / 1_000_000),
  };
}

/**
 * A browser's live WebM recording has no Duration: players then report an endless stream and
 * cannot seek. This writes the counted duration into the Segment's Info, when that can be done by
 * growing Info in place (an unknown-size Segment, no SeekHead positions to move); otherwise the
 * bytes are returned as they are.
 */
export function withWebmDuration(bytes: Buffer): Buffer {
  const layout = webmLayout(bytes);
  if (!layout?.info || layout.hasDuration || !layout.canGrowInfo || layout.durationMs === undefined || layout.info.size === undefined)
    return bytes;
  const { info } = layout;
  const infoSize = info.size as number;
  const durationElement = Buffer.alloc(11);
  durationElement.writeUInt16BE(ids.duration, 0);
  durationElement[2] = 0x88; // size 8: a 64-bit float
  durationElement.writeDoubleBE((layout.durationMs * 1_000_000) / layout.timecodeScale, 3);
  const newSize = infoSize + durationElement.length;
  // The new size in as many bytes as the old one took, or one more if it no longer fits.
  let sizeLength = info.sizeLength;
  while (newSize >= 2 ** (7 * sizeLength) - 1) sizeLength++;
  if (sizeLength > 8) return bytes;
  const sizeBytes = Buffer.alloc(sizeLength);
  let remaining = newSize;
  for (let index = sizeLength - 1; index >= 0; index--) {
    sizeBytes[index] = remaining % 256;
    remaining = Math.floor(remaining / 256);
  }
  sizeBytes[0] = (sizeBytes[0] ?? 0) | (0x80 >> (sizeLength - 1));
  const infoEnd = info.dataStart + infoSize;
  return Buffer.concat([
    bytes.subarray(0, info.sizeAt),
    sizeBytes,
    bytes.subarray(info.dataStart, infoEnd),
    durationElement,
    bytes.subarray(infoEnd),
  ]);
}

// ── Ogg Opus, WAV, MP4 ──────────────────────────────────────────────────────────────────────

/** The last page's granule position, less the pre-skip, at Opus's fixed 48 kHz. */
function oggOpusDurationMs(bytes: Buffer): number | undefined {
  const head = bytes.indexOf('OpusHead', 0, 'latin1');
  if (head < 0 || head + 12 > bytes.length) return undefined;
  const preSkip = bytes.readUInt16LE(head + 10);
  const last = bytes.lastIndexOf('OggS', bytes.length - 1, 'latin1');
  if (last < 0 || last + 14 > bytes.length) return undefined;
  const granule = Number(bytes.readBigInt64LE(last + 6));
  if (granule <= preSkip) return undefined;
  return Math.round(((granule - preSkip) / 48_000) * 1000);
}

/** The `data` chunk's size over the `fmt ` chunk's byte rate. */
function wavDurationMs(bytes: Buffer): number | undefined {
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= bytes.length) byteRate = bytes.readUInt32LE(at + 16);
    if (id === 'data') {
      const dataBytes = Math.min(size, bytes.length - at - 8);
      return byteRate ? Math.round((dataBytes / byteRate) * 1000) : undefined;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** The movie header's duration over its timescale (zero in a fragmented file, which then says nothing). */
function mp4DurationMs(bytes: Buffer): number | undefined {
  const mvhd = bytes.indexOf('mvhd', 0, 'latin1');
  if (mvhd < 4) return undefined;
  const version = bytes[mvhd + 4];
  const [timescale, duration] =
    version === 1
      ? [bytes.readUInt32BE(mvhd + 24), Number(bytes.readBigUInt64BE(mvhd + 28))]
      : [bytes.readUInt32BE(mvhd + 16), bytes.readUInt32BE(mvhd + 20)];
  if (!timescale || !duration) return undefined;
  return Math.round((duration / timescale) * 1000);
}

/**
 * A real, small WAV file: `seconds` of a soft tone, 8 kHz 16-bit mono (what a telephone line
 * carries). The call simulator serves it as a provider's recording.
 */
export function toneWav(seconds: number, frequency = 440): Buffer {
  const sampleRate = 8000;
  const samples = Math.round(seconds * sampleRate);
  const file = Buffer.alloc(44 + samples * 2);
  file.write('RIFF', 0, 'latin1');
  file.writeUInt32LE(36 + samples * 2, 4);
  file.write('WAVE', 8, 'latin1');
  file.write('fmt ', 12, 'latin1');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(sampleRate, 24);
  file.writeUInt32LE(sampleRate * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write('data', 36, 'latin1');
  file.writeUInt32LE(samples * 2, 40);
  for (let index = 0; index < samples; index++) {
    file.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * index) / sampleRate) * 6000), 44 + index * 2);
  }
  return file;
}
