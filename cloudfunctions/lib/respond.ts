import { ZodError, defaultErrorMap, type ZodIssue } from 'zod';
import { DomainError, ERROR_MESSAGES } from '../../shared/errors';
import type { ApiResult } from '../../shared/contracts/api';

/**
 * A Chinese line for one issue: the schema's own message where it set one (those are Chinese and
 * fixed), otherwise a fixed one by issue code. zod's defaults are English and quote the input
 * ("Invalid enum value … received '<100k characters>'", "Unrecognized key(s) in object: '…'").
 */
function issueMessage(i: ZodIssue): string {
  if (i.message !== defaultErrorMap(i, { defaultError: i.message, data: undefined }).message) return i.message;
  switch (i.code) {
    case 'invalid_type':
      return i.received === 'undefined' ? '缺少必填项' : '类型不正确';
    case 'unrecognized_keys':
      return '包含不允许的字段';
    case 'invalid_literal':
    case 'invalid_enum_value':
    case 'invalid_union_discriminator':
    case 'invalid_union':
      return '取值不在允许的范围内';
    case 'too_small':
      return i.type === 'array' ? `至少${String(i.minimum)}项` : i.type === 'string' ? `至少${String(i.minimum)}个字` : `不能小于${String(i.minimum)}`;
    case 'too_big':
      return i.type === 'array' ? `不能超过${String(i.maximum)}项` : i.type === 'string' ? `不能超过${String(i.maximum)}个字` : `不能大于${String(i.maximum)}`;
    default:
      return '格式不正确';
  }
}

/** Zod issues as short Chinese lines: the path and the message, never the input. */
export function issuesOf(e: ZodError) {
  return e.issues.slice(0, 10).map((i) => ({ path: i.path.join('.').slice(0, 100), message: issueMessage(i) }));
}

/** Maps anything thrown to a structured refusal; no stack trace ever leaves the function. */
export function failure(e: unknown, log: (e: unknown) => void = defaultLog): ApiResult<never> {
  if (e instanceof DomainError) return { ok: false, code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) };
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
