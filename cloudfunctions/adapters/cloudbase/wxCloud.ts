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
}

let loaded: Promise<WxOpenapi> | null = null;

/** `cloud.openapi` of wx-server-sdk, after `cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })`. */
export function wxOpenapi(): Promise<WxOpenapi> {
  loaded ??= import('wx-server-sdk').then((mod) => {
    const cloud = mod as unknown as { init(config: { env: symbol }): void; DYNAMIC_CURRENT_ENV: symbol; openapi: unknown };
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    return cloud.openapi as WxOpenapi;
  });
  return loaded;
}
