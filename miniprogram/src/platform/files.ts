/** Files on this device: what a picked or recorded file is, and what its name says about its type. */
import type { MediaKind } from '../media/limits';
import { IS_H5 } from './env';

/** A file picked or recorded on this device, before upload. */
export interface LocalFile {
  kind: MediaKind;
  /** weapp: a temp or saved file path; h5: an object URL, for display only. */
  path: string;
  /** h5: the bytes. */
  blob?: Blob;
  name: string;
  mime: string;
  size: number;
  durationSec?: number;
}

export const EXT_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic',
  'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm',
  'audio/mpeg': 'mp3', 'audio/mp3': 'mp3', 'audio/aac': 'aac', 'audio/mp4': 'm4a', 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/wav': 'wav',
};
const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mp3: 'audio/mpeg', aac: 'audio/aac', m4a: 'audio/mp4', wav: 'audio/wav', ogg: 'audio/ogg',
};

export function extensionOf(nameOrPath: string): string {
  const m = /\.([a-z0-9]{1,5})(?:\?.*)?$/i.exec(nameOrPath);
  return m ? m[1].toLowerCase() : '';
}

export function mimeOf(nameOrPath: string, kind: MediaKind): string {
  return MIME_BY_EXT[extensionOf(nameOrPath)] ?? (kind === 'image' ? 'image/jpeg' : kind === 'video' ? 'video/mp4' : 'audio/mpeg');
}

/** A name no other upload or kept file has. */
export function randomName(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Frees what a picked or loaded file holds on this device (h5: its object URL). */
export function releaseFile(path: string): void {
  if (IS_H5 && path.startsWith('blob:')) URL.revokeObjectURL(path);
}
