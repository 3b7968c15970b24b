/** How many files of each kind a request may carry: the numbers come from the shared LIMITS. */
import { LIMITS } from '../../../shared/contracts/limits';

export type MediaKind = 'image' | 'video' | 'audio';

export const MAX_BY_KIND: Record<MediaKind, number> = {
  image: LIMITS.imagesPerTicket,
  video: LIMITS.videosPerTicket,
  audio: LIMITS.audiosPerTicket,
};

/** Longest video or voice clip, in seconds. */
export const MAX_MEDIA_SECONDS = LIMITS.mediaSeconds;

export function countsByKind(items: { kind: MediaKind }[]): Record<MediaKind, number> {
  const counts: Record<MediaKind, number> = { image: 0, video: 0, audio: 0 };
  for (const i of items) counts[i.kind] += 1;
  return counts;
}

/** Room left for a kind. */
export function roomFor(counts: Record<MediaKind, number>, kind: MediaKind): number {
  return Math.max(0, MAX_BY_KIND[kind] - counts[kind]);
}

/** Why one more file of this kind is refused, or null. */
export function mediaLimitMessage(counts: Record<MediaKind, number>, kind: MediaKind): string | null {
  if (roomFor(counts, kind) > 0) return null;
  return kind === 'image' ? `图片不能超过${MAX_BY_KIND.image}张` : kind === 'video' ? '只能上传一段视频' : '只能上传一段语音';
}

/** Why a clip is refused for its length, or null. */
export function durationMessage(kind: MediaKind, seconds: number | undefined): string | null {
  if (kind === 'image' || seconds === undefined) return null;
  return seconds > MAX_MEDIA_SECONDS + 0.5 ? `${kind === 'video' ? '视频' : '语音'}不能超过${MAX_MEDIA_SECONDS}秒` : null;
}
