import { isMediaCheckPush, mediaCheckResult } from '../adapters/cloudbase/wxContent';
import { callerOpenid } from '../lib/cloudDeps';
import { cloudMain, sharedCloudDeps } from '../lib/cloudMain';

const calls = cloudMain('media');

/**
 * CloudBase entry of the `media` function; the handlers live in cloudfunctions/lib/functions/media.ts.
 * It is also the target of WeChat's message push (消息推送) for `wxa_media_check`: the result of a
 * security.mediaCheckAsync started by media.register, recorded on the file.
 */
export const main = async (event: unknown) => {
  if (isMediaCheckPush(event)) {
    const d = sharedCloudDeps();
    const result = await mediaCheckResult(d.files, event, callerOpenid(d.app as unknown as Parameters<typeof callerOpenid>[0]), d.clock.now());
    return { ok: true, data: result };
  }
  return calls(event);
};
