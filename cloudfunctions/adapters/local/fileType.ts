import type { FileKind } from '../../../shared/contracts/common';

/** What the first bytes of an upload say it is. The client's file name is never consulted. */
export interface DetectedType {
  kind: FileKind;
  mime: string;
  ext: string;
}

const ascii = (b: Uint8Array, at: number, s: string): boolean => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const bytes = (b: Uint8Array, at: number, sig: number[]): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

const image = (mime: string, ext: string): DetectedType => ({ kind: 'image', mime, ext });
const audio = (mime: string, ext: string): DetectedType => ({ kind: 'audio', mime, ext });
const video = (mime: string, ext: string): DetectedType => ({ kind: 'video', mime, ext });

/**
 * JPEG, PNG, GIF, WEBP; MP4/MOV/3GP; WEBM/MKV; MP3, AAC (ADTS), M4A, WAV, OGG, AMR; PDF.
 * `hint` decides only when the bytes cannot: a WEBM or generic MP4 whose tracks were not found.
 */
export function detectFileType(b: Uint8Array, hint?: FileKind): DetectedType | null {
  if (bytes(b, 0, [0xff, 0xd8, 0xff])) return image('image/jpeg', 'jpg');
  if (bytes(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image('image/png', 'png');
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return image('image/gif', 'gif');
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return image('image/webp', 'webp');
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return audio('audio/wav', 'wav');
  if (ascii(b, 0, '%PDF-')) return { kind: 'document', mime: 'application/pdf', ext: 'pdf' };
  if (ascii(b, 0, '#!AMR-WB\n')) return audio('audio/amr-wb', 'amr');
  if (ascii(b, 0, '#!AMR\n')) return audio('audio/amr', 'amr');
  if (ascii(b, 0, 'OggS')) return audio('audio/ogg', 'ogg');
  if (ascii(b, 4, 'ftyp')) return isoMedia(b, hint);
  if (bytes(b, 0, [0x1a, 0x45, 0xdf, 0xa3])) return matroska(b, hint);
  if (ascii(b, 0, 'ID3')) return audio('audio/mpeg', 'mp3');
  if (b.length >= 4 && b[0] === 0xff) {
    // ADTS: sync 12 bits, layer 00 (FFF1 / FFF9, or FFF0 / FFF8 with CRC).
    if ((b[1]! & 0xf6) === 0xf0) return audio('audio/aac', 'aac');
    // MPEG audio frame: sync 11 bits, a real version, layer, bitrate and sample rate.
    const version = (b[1]! >> 3) & 3;
    const layer = (b[1]! >> 1) & 3;
    const bitrate = b[2]! >> 4;
    const rate = (b[2]! >> 2) & 3;
    if ((b[1]! & 0xe0) === 0xe0 && version !== 1 && layer !== 0 && bitrate !== 0xf && rate !== 3) return audio('audio/mpeg', 'mp3');
  }
  return null;
}

/**
 * Seconds of sound in a WAV: the bytes of its 'data' chunk that are really there, over the byte
 * rate of its 'fmt ' chunk. Undefined for anything else or a header that cannot be read.
 */
export function wavSeconds(b: Uint8Array): number | undefined {
  if (!(ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE'))) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let byteRate = 0;
  for (let at = 12; at + 8 <= b.length; ) {
    const size = view.getUint32(at + 4, true);
    if (ascii(b, at, 'fmt ') && at + 20 <= b.length) byteRate = view.getUint32(at + 16, true);
    if (ascii(b, at, 'data')) return byteRate > 0 ? Math.min(size, b.length - at - 8) / byteRate : undefined;
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** ISO base media ('ftyp' box): the major brand tells audio (M4A) from video (MP4, MOV, 3GP). */
function isoMedia(b: Uint8Array, hint?: FileKind): DetectedType | null {
  const brand = String.fromCharCode(...b.subarray(8, 12));
  if (['M4A ', 'M4B ', 'F4A '].includes(brand)) return audio('audio/mp4', 'm4a');
  if (brand === 'qt  ') return video('video/quicktime', 'mov');
  if (brand.startsWith('3g')) return video('video/3gpp', '3gp');
  // HEIF/AVIF images share the box layout; they are not on the list.
  if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) return null;
  // A generic brand (isom, mp41, mp42, …): the tracks sit in 'moov', often at the end of the file.
  return hint === 'audio' ? audio('audio/mp4', 'm4a') : video('video/mp4', 'mp4');
}

/** EBML: WEBM or MKV. Reads the Tracks element to tell a recorder's audio-only WEBM from a video. */
function matroska(b: Uint8Array, hint?: FileKind): DetectedType {
  const info = readMatroska(b);
  const webm = info?.docType !== 'matroska';
  const isAudio = info?.tracks ? info.tracks.audio && !info.tracks.video : hint === 'audio';
  if (isAudio) return webm ? audio('audio/webm', 'webm') : audio('audio/x-matroska', 'mka');
  return webm ? video('video/webm', 'webm') : video('video/x-matroska', 'mkv');
}

const EBML = 0x1a45dfa3;
const DOC_TYPE = 0x4282;
const SEGMENT = 0x18538067;
const TRACKS = 0x1654ae6b;
const CLUSTER = 0x1f43b675;
const TRACK_ENTRY = 0xae;
const TRACK_TYPE = 0x83;

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer; ids keep their marker bit, sizes drop it. */
function vint(b: Uint8Array, at: number, isId: boolean): Vint | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  let length = 1;
  while (!(first & (0x80 >> (length - 1)))) length++;
  if (length > (isId ? 4 : 8) || at + length > b.length) return null;
  let value = isId ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !isId && allOnes };
}

interface Element {
  id: number;
  start: number;
  end: number;
  unknownSize: boolean;
}

function element(b: Uint8Array, at: number, limit: number): Element | null {
  const id = vint(b, at, true);
  if (!id) return null;
  const size = vint(b, at + id.length, false);
  if (!size) return null;
  const start = at + id.length + size.length;
  return { id: id.value, start, end: size.unknown ? limit : Math.min(limit, start + size.value), unknownSize: size.unknown };
}

function children(b: Uint8Array, from: number, to: number, visit: (e: Element) => boolean | void): void {
  let at = from;
  while (at < to) {
    const e = element(b, at, to);
    if (!e || visit(e) === false || e.unknownSize) return;
    at = e.end;
  }
}

/** DocType and track types, from the header and the Tracks element (before the first Cluster). */
export function readMatroska(b: Uint8Array): { docType: string; tracks: { audio: boolean; video: boolean } | null } | null {
  const head = element(b, 0, b.length);
  if (!head || head.id !== EBML) return null;
  let docType = '';
  children(b, head.start, head.end, (e) => {
    if (e.id === DOC_TYPE) docType = String.fromCharCode(...b.subarray(e.start, e.end)).replace(/\0+$/, '');
  });
  const seg = element(b, head.end, b.length);
  if (!seg || seg.id !== SEGMENT) return { docType, tracks: null };
  let tracks: { audio: boolean; video: boolean } | null = null;
  children(b, seg.start, seg.end, (e) => {
    if (e.id === CLUSTER) return false;
    if (e.id !== TRACKS) return true;
    const found = { audio: false, video: false };
    children(b, e.start, e.end, (entry) => {
      if (entry.id !== TRACK_ENTRY) return true;
      children(b, entry.start, entry.end, (f) => {
        if (f.id === TRACK_TYPE && f.end > f.start) {
          const type = b[f.start];
          if (type === 1) found.video = true;
          if (type === 2) found.audio = true;
        }
      });
      return true;
    });
    tracks = found.audio || found.video ? found : null;
    return false;
  });
  return { docType, tracks };
}
