/**
 * What a CloudBase deployment of these functions needs, in one place: the runtime, the openapi
 * permissions each function's code calls, and the variables each function reads. Checked by
 * `npm run deploy:check` (scripts/deploy-check.ts) against cloudbaserc.json and config.json.
 */
import type { FunctionName } from '../../../shared/contracts/api';
import { TEMPLATE_ENV } from '../../lib/notices';

/**
 * The runtime every function is declared with. Node.js 20 is the newest runtime the CloudBase CLI's
 * cloudbaserc.json documentation names (Nodejs20.19; Nodejs18.15 is the default). The code needs
 * Node ≥ 18: `structuredClone` (shared/profiles) and the global `fetch` of node-sdk's getFileInfo.
 * A function's runtime cannot be changed once created: a function made with another runtime must
 * be deleted and deployed again.
 */
export const RUNTIME = 'Nodejs20.19';

/** The Node.js runtimes cloudbaserc.json accepts (CloudBase CLI documentation, functions config). */
export const KNOWN_RUNTIMES = ['Nodejs20.19', 'Nodejs18.15', 'Nodejs16.13', 'Nodejs14.18', 'Nodejs12.16', 'Nodejs10.15'] as const;

/** The Node major of a runtime name: 'Nodejs20.19' → 20. */
export function runtimeMajor(runtime: string): number | null {
  const m = /^Nodejs(\d+)\.\d+$/.exec(runtime);
  return m ? Number(m[1]) : null;
}

/** The lowest Node major the bundles work on. */
export const MIN_NODE_MAJOR = 18;

export const OPENAPI = {
  subscribe: 'subscribeMessage.send',
  code: 'wxacode.getUnlimited',
  textCheck: 'security.msgSecCheck',
  mediaCheck: 'security.mediaCheckAsync',
} as const;

/**
 * The `cloud.openapi` calls each function makes. Every function may send subscription messages
 * (effects of any command, the timer's reminders); admin renders QR posters; the functions that
 * take user text check it, and media checks images and audio.
 */
export const REQUIRED_OPENAPI: Readonly<Record<FunctionName, readonly string[]>> = {
  auth: [OPENAPI.subscribe],
  resident: [OPENAPI.subscribe, OPENAPI.textCheck],
  staff: [OPENAPI.subscribe, OPENAPI.textCheck],
  operator: [OPENAPI.subscribe, OPENAPI.textCheck],
  stats: [OPENAPI.subscribe],
  admin: [OPENAPI.subscribe, OPENAPI.code],
  media: [OPENAPI.subscribe, OPENAPI.mediaCheck],
  timer: [OPENAPI.subscribe],
  public: [OPENAPI.subscribe],
};

/** The variables every function reads: each notice's template id and keywords, and which mini-program version messages open. */
export const FUNCTION_ENV: readonly string[] = [...Object.values(TEMPLATE_ENV).flatMap((name) => [name, `${name}_KEYS`]), 'MINIPROGRAM_STATE'];

/** Longest a CloudBase function may run. */
export const MAX_TIMEOUT_SEC = 60;
