/**
 * WeChat content security through wx-server-sdk's `cloud.openapi.security`:
 * - text: `security.msgSecCheck` version 2 with the writer's OPENID and a scene; `risky` (or the
 *   v1 answer 87014) is refused, `pass` and `review` go through (review is for people, not for a
 *   refusal);
 * - images and audio: `security.mediaCheckAsync` version 2 on a temporary URL of the file; WeChat
 *   fetches it and pushes the result later to the function configured under 消息推送 (the `media`
 *   function, Event `wxa_media_check`), which records it on the file (mediaCheckResult below).
 * A failing WeChat call does not block a resident's request: it is logged and the text goes
 * through (the operator's word list has already been applied). Needs the openapi permissions
 * security.msgSecCheck / security.mediaCheckAsync (config.json).
 */
import type { ContentChecker, ContentScene, DirectoryStore, FileStore, MediaCheck, StoredFile, TextVerdict } from '../../../shared/ports';
import { resolveWxCloud, type WxCloudSource } from './wxCloud';

/** WeChat's scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. A request is a post to the platform; replies and notes are comments on it. */
const SCENE: Record<ContentScene, 1 | 2 | 3 | 4> = { submission: 3, reply: 2, note: 2 };
/** msgSecCheck takes at most 2500 characters per call. */
export const TEXT_CHUNK = 2500;
/** v1's "content is risky" answer, still sent by some API versions. */
const RISKY = 87014;

export interface WxContentOptions {
  cloud?: WxCloudSource;
  log?: Pick<Console, 'warn'>;
}

export class WxContentChecker implements ContentChecker {
  private readonly log: Pick<Console, 'warn'>;

  constructor(
    private readonly directory: Pick<DirectoryStore, 'getUser'>,
    private readonly options: WxContentOptions = {},
  ) {
    this.log = options.log ?? console;
  }

  private async openid(userId: string): Promise<string | undefined> {
    return (await this.directory.getUser(userId))?.openid;
  }

  async checkText(text: string, who: { userId: string }, scene: ContentScene): Promise<TextVerdict> {
    const openid = await this.openid(who.userId);
    if (!openid) return { verdict: 'pass' };
    const chars = [...text];
    for (let i = 0; i < chars.length; i += TEXT_CHUNK) {
      const content = chars.slice(i, i + TEXT_CHUNK).join('');
      try {
        const { openapi } = await resolveWxCloud(this.options.cloud);
        const res = await openapi.security.msgSecCheck({ content, version: 2, scene: SCENE[scene], openid });
        if (res.result?.suggest === 'risky') return { verdict: 'refused', reason: `wechat:${res.result.label ?? 'risky'}` };
      } catch (e) {
        const code = (e as { errCode?: unknown })?.errCode;
        if (code === RISKY) return { verdict: 'refused', reason: 'wechat:87014' };
        this.log.warn('[content] security.msgSecCheck failed, text let through:', code ?? (e as Error)?.message ?? e);
      }
    }
    return { verdict: 'pass' };
  }

  async checkMedia(file: StoredFile, url: string, who: { userId: string }, now: number): Promise<MediaCheck | undefined> {
    if (file.kind !== 'image' && file.kind !== 'audio') return undefined;
    const openid = await this.openid(who.userId);
    if (!openid) return undefined;
    try {
      const { openapi } = await resolveWxCloud(this.options.cloud);
      const res = await openapi.security.mediaCheckAsync({ mediaUrl: url, mediaType: file.kind === 'image' ? 2 : 1, version: 2, scene: SCENE.submission, openid });
      if (!res.traceId) throw new Error(`no trace_id (${res.errCode ?? ''} ${res.errMsg ?? ''})`);
      return { status: 'pending', traceId: res.traceId, at: now };
    } catch (e) {
      this.log.warn('[content] security.mediaCheckAsync failed, file not checked:', (e as { errCode?: unknown })?.errCode ?? (e as Error)?.message ?? e);
      return undefined;
    }
  }
}

/** The message WeChat pushes with a media check's result (消息推送, JSON; version 2). */
export interface MediaCheckPush {
  MsgType: 'event';
  Event: 'wxa_media_check';
  trace_id: string;
  version?: number;
  errcode?: number;
  result?: { suggest?: 'pass' | 'review' | 'risky'; label?: number };
}

export function isMediaCheckPush(event: unknown): event is MediaCheckPush {
  const e = event as Partial<MediaCheckPush> | null;
  return !!e && typeof e === 'object' && e.MsgType === 'event' && e.Event === 'wxa_media_check' && typeof e.trace_id === 'string';
}

/**
 * Records a pushed media-check result on the file it belongs to: `risky` → refused (the file is
 * hidden from then on: media.url refuses it, a submission cannot attach it), anything else → pass.
 * Only a push (no caller OPENID: WeChat, not a user) with a trace id this deployment issued counts.
 */
export async function mediaCheckResult(files: Pick<FileStore, 'fileByCheckTrace' | 'setCheck'>, push: MediaCheckPush, callerOpenid: string | undefined, now: number): Promise<{ recorded: boolean; status?: MediaCheck['status'] }> {
  if (callerOpenid) return { recorded: false };
  const file = files.fileByCheckTrace ? await files.fileByCheckTrace(push.trace_id) : null;
  if (!file || !files.setCheck) return { recorded: false };
  const status: MediaCheck['status'] = push.result?.suggest === 'risky' ? 'refused' : 'pass';
  await files.setCheck(file.fileId, { status, traceId: push.trace_id, ...(push.result?.label !== undefined ? { label: String(push.result.label) } : {}), at: now });
  return { recorded: true, status };
}
