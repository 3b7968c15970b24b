import { ZodError } from 'zod';
import { DomainError, ERROR_MESSAGES } from '../../shared/errors';
import type { ApiResult } from '../../shared/contracts/api';

/** Zod issues as short Chinese lines: the path and the message, never the input. */
export function issuesOf(e: ZodError) {
  return e.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Maps anything thrown to a structured refusal; no stack trace ever leaves the function. */
export function failure(e: unknown, log: (e: unknown) => void = defaultLog): ApiResult<never> {
  if (e instanceof DomainError) return { ok: false, code: e.code, message: e.message };
  if (e instanceof ZodError) {
    const issues = issuesOf(e);
    const first = issues[0];
    const message = first ? `${ERROR_MESSAGES['invalid-input']}：${first.path ? `${first.path} ` : ''}${first.message}` : ERROR_MESSAGES['invalid-input'];
    return { ok: false, code: 'invalid-input', message, issues };
  }
  log(e);
  return { ok: false, code: 'internal', message: ERROR_MESSAGES.internal };
}

function defaultLog(e: unknown) {
  if (process.env.NODE_ENV !== 'test') console.error('[function error]', e);
}
