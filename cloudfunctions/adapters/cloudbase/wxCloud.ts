/**
 * `wx-server-sdk`, loaded on first use and initialised once with the calling function's own
 * environment (`DYNAMIC_CURRENT_ENV`). Only this module loads it, so the local runtime never does.
 * The functions that call `cloud.openapi.*` need `"permissions": { "openapi": [...] }` in their
 * config.json (subscribeMessage.send, wxacode.getUnlimited).
 */
export interface WxOpenapi {
  subscribeMessage: {
    send(p: {
      touser: string;
      templateId: string;
      page?: string;
      data: Record<string, { value: string }>;
      miniprogramState?: 'developer' | 'trial' | 'formal';
      lang?: string;
    }): Promise<{ errCode?: number; errMsg?: string }>;
  };
  wxacode: {
    getUnlimited(p: {
      scene: string;
      page?: string;
      checkPath?: boolean;
      envVersion?: 'release' | 'trial' | 'develop';
      width?: number;
    }): Promise<{ contentType?: string; buffer?: Uint8Array; errCode?: number; errMsg?: string }>;
  };
  security: {
    /** Text check, version 2: the user's OPENID (who visited within two hours) and a scene (1 资料, 2 评论, 3 论坛, 4 社交日志). */
    msgSecCheck(p: { content: string; version: 2; scene: 1 | 2 | 3 | 4; openid: string }): Promise<{
      errCode?: number;
      errMsg?: string;
      result?: { suggest?: 'pass' | 'review' | 'risky'; label?: number };
      traceId?: string;
    }>;
    /** Image (media_type 2) or audio (1) check, version 2; the result arrives by message push (Event wxa_media_check). */
    mediaCheckAsync(p: { mediaUrl: string; mediaType: 1 | 2; version: 2; scene: 1 | 2 | 3 | 4; openid: string }): Promise<{ errCode?: number; errMsg?: string; traceId?: string }>;
  };
}

/**
 * `cloud.openapi` is a Proxy that answers EVERY property name, `then` included: returned from a
 * promise or an async function, or awaited, it is taken for a thenable, the SDK calls a WeChat API
 * named "then", and nothing ever settles. It therefore only ever travels inside this holder.
 */
export interface WxCloud {
  readonly openapi: WxOpenapi;
}

let loaded: Promise<WxCloud> | null = null;

/** wx-server-sdk after `cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })`, loaded once per instance. */
export function wxCloud(): Promise<WxCloud> {
  loaded ??= import('wx-server-sdk').then((mod) => {
    const cloud = ((mod as { default?: unknown }).default ?? mod) as { init(config: { env: symbol }): void; DYNAMIC_CURRENT_ENV: symbol; openapi: unknown };
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    return { openapi: cloud.openapi as WxOpenapi };
  });
  return loaded;
}

/** Where the adapters get `cloud.openapi` from: the holder itself, or a loader of it (default: wxCloud). */
export type WxCloudSource = WxCloud | (() => Promise<WxCloud>);

export async function resolveWxCloud(source: WxCloudSource = wxCloud): Promise<WxCloud> {
  return typeof source === 'function' ? source() : source;
}
