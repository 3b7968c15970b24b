/** What a failure looks like to callers of the platform: a stable code and a Chinese message. */

export class PlatformError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

const NETWORK_MESSAGE = '网络不可用，请检查网络后重试';
export const networkError = () => new PlatformError('network', NETWORK_MESSAGE);

/** True when the user closed a picker or a sheet: not an error to show. */
export function isCancel(err: unknown): boolean {
  const msg = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
  return /cancel/i.test(msg);
}
