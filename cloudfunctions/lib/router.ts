import { eventSchema, functionNames, type ApiResult, type FunctionName } from '../../shared/contracts/api';
import { DomainError } from '../../shared/errors';
import type { Deps } from './deps';
import { actorFor, type Caller } from './identity';
import { failure } from './respond';
import { admin } from './functions/admin';
import { auth } from './functions/auth';
import { media } from './functions/media';
import { operator } from './functions/operator';
import { resident } from './functions/resident';
import { staff } from './functions/staff';
import { publicFigures } from './functions/public';
import { stats } from './functions/stats';
import { timer } from './functions/timer';
import type { Call } from './functions/types';

type AnyHandler = (call: Call, input: Record<string, unknown>) => Promise<unknown>;
const HANDLERS: Record<FunctionName, Record<string, AnyHandler>> = {
  auth: auth as unknown as Record<string, AnyHandler>,
  resident: resident as unknown as Record<string, AnyHandler>,
  staff: staff as unknown as Record<string, AnyHandler>,
  operator: operator as unknown as Record<string, AnyHandler>,
  stats: stats as unknown as Record<string, AnyHandler>,
  admin: admin as unknown as Record<string, AnyHandler>,
  media: media as unknown as Record<string, AnyHandler>,
  timer: timer as unknown as Record<string, AnyHandler>,
  public: publicFigures as unknown as Record<string, AnyHandler>,
};

const schemas = new Map(functionNames.map((n) => [n, eventSchema(n)]));

export const isFunctionName = (n: string): n is FunctionName => (functionNames as string[]).includes(n);

/**
 * One call of one function: read identity, parse the event, then the action's handler
 * (which loads, decides, saves and runs effects). Always returns `{ ok, ... }`.
 */
export async function handle(name: string, event: unknown, caller: Caller, deps: Deps, extras: Pick<Call, 'signToken' | 'ip'> = {}): Promise<ApiResult<unknown>> {
  try {
    if (!isFunctionName(name)) throw new DomainError('not-found', '没有这个功能');
    const action = event && typeof event === 'object' && !Array.isArray(event) ? (event as { action?: unknown }).action : undefined;
    const actor = actorFor(name, caller, typeof action === 'string' ? action : '');
    const input = schemas.get(name)!.parse(withoutPlatformKeys(event)) as Record<string, unknown> & { action: string };
    const handler = HANDLERS[name][input.action];
    if (!handler) throw new DomainError('not-found', '没有这个功能');
    const data = await handler({ deps, actor, caller, ...extras }, input);
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}

/** CloudBase adds `userInfo` (and timers `Type`/`TriggerName`/`Time`) to the event: not part of the contract. */
function withoutPlatformKeys(event: unknown): unknown {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return event;
  const { userInfo: _u, Type: _t, TriggerName: _n, Time: _time, ...rest } = event as Record<string, unknown>;
  if ((event as Record<string, unknown>).Type === 'Timer' && rest.action === undefined) return { action: 'run' };
  return rest;
}
