import { DomainError } from '../errors';
import { anshanProfile } from './anshan.profile';
import { baiyinProfile } from './baiyin.profile';
import { hohhotProfile } from './hohhot.profile';
import { linyiProfile } from './linyi.profile';
import { pingliProfile } from './pingli.profile';
import {
  profileSchema,
  urgencySchema,
  type Citation,
  type DeadlineRule,
  type PolicyProfile,
  type PolicyProfileInput,
  type RequestType,
  type Urgency,
} from './schema';

export * from './schema';

/** The five regulations as data, before validation. A sixth city goes through `parseProfile`. */
export const profileInputs = {
  baiyin: baiyinProfile,
  anshan: anshanProfile,
  hohhot: hohhotProfile,
  pingli: pingliProfile,
  linyi: linyiProfile,
} as const satisfies Record<string, PolicyProfileInput>;

export type ProfileId = keyof typeof profileInputs;
export const profileIds = Object.keys(profileInputs) as ProfileId[];

/** The product's home platform: 白银 "码上反映·马上办理". */
export const DEFAULT_PROFILE_ID: ProfileId = 'baiyin';

/** A problem found after the schema itself passed, shaped like a zod issue. */
export interface ProfileIssue {
  path: (string | number)[];
  message: string;
}

function invalid(message: string, details?: unknown): DomainError {
  return new DomainError('profile-invalid', message, details);
}

function summarize(issues: ProfileIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.join('.') || '(根)'}：${i.message}`);
  const more = issues.length > 5 ? `等${issues.length}处` : '';
  return `政策配置不正确：${shown.join('；')}${more}`;
}

/** Checks the schema cannot express: the workflow relies on these when it looks numbers up. */
function consistencyIssues(p: PolicyProfile): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  for (const type of p.requestTypes) {
    for (const urgency of urgencySchema.options) {
      if (!p.handling.deadlines[type]?.[urgency]) {
        issues.push({ path: ['handling', 'deadlines', type, urgency], message: '缺少该类型和紧急程度的办理时限' });
      }
    }
  }
  const codes = p.intake.nonAcceptanceGrounds.map((g) => g.code);
  codes.forEach((code, i) => {
    if (codes.indexOf(code) !== i) issues.push({ path: ['intake', 'nonAcceptanceGrounds', i, 'code'], message: `不予受理理由代码重复：${code}` });
  });
  const endings = p.termination.grounds.map((g) => g.code);
  endings.forEach((code, i) => {
    if (endings.indexOf(code) !== i) issues.push({ path: ['termination', 'grounds', i, 'code'], message: `终止办理情形代码重复：${code}` });
  });
  const values = p.rating.options.map((o) => o.value);
  p.rating.options.forEach((o, i) => {
    if (values.indexOf(o.value) !== i) issues.push({ path: ['rating', 'options', i, 'value'], message: `评价等级重复：${o.value}` });
    if (o.countsAsSatisfied && o.dissatisfied) {
      issues.push({ path: ['rating', 'options', i], message: '同一评价等级不能既计为满意又视为不满意' });
    }
  });
  if (!p.rating.options.some((o) => o.countsAsSatisfied)) {
    issues.push({ path: ['rating', 'options'], message: '至少要有一个计为满意的评价等级' });
  }
  if (!p.rating.options.some((o) => o.dissatisfied)) {
    issues.push({ path: ['rating', 'options'], message: '至少要有一个不满意的评价等级' });
  }
  return issues;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates a profile (one of ours, or a sixth city's data) and returns it parsed and frozen.
 * Any problem → DomainError('profile-invalid') with the issues as details.
 */
export function parseProfile(input: unknown): PolicyProfile {
  const result = profileSchema.safeParse(input);
  if (!result.success) {
    const issues: ProfileIssue[] = result.error.issues.map((i) => ({ path: [...i.path], message: i.message }));
    throw invalid(summarize(issues), result.error.issues);
  }
  const issues = consistencyIssues(result.data);
  if (issues.length > 0) throw invalid(summarize(issues), issues);
  return deepFreeze(result.data);
}

/** The five profiles, validated at module load: a broken profile fails fast, at import. */
export const profiles: Readonly<Record<ProfileId, PolicyProfile>> = deepFreeze(
  Object.fromEntries(
    profileIds.map((id) => {
      const parsed = parseProfile(profileInputs[id]);
      if (parsed.id !== id) throw invalid(`政策配置 ${id} 的 id 写成了 ${parsed.id}`);
      return [id, parsed];
    }),
  ) as Record<ProfileId, PolicyProfile>,
);

export function isProfileId(id: string): id is ProfileId {
  return Object.prototype.hasOwnProperty.call(profiles, id);
}

export function getProfile(id: string): PolicyProfile {
  if (!isProfileId(id)) throw invalid(`未知的政策配置：${id}`, { id, known: profileIds });
  return profiles[id];
}

/**
 * The handling deadline for a request type and urgency. `deadlines` is a partial record in the
 * schema; parseProfile guarantees every accepted type has all three urgencies.
 */
export function deadlineFor(profile: PolicyProfile, type: RequestType, urgency: Urgency): DeadlineRule {
  const rule = profile.handling.deadlines[type]?.[urgency];
  if (!rule) throw invalid(`政策配置 ${profile.id} 没有 ${type}/${urgency} 的办理时限`);
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Operator overrides
// ---------------------------------------------------------------------------------------------

/**
 * One operator override: a dot path into the profile and the new value, e.g.
 * `{ path: 'handling.deadlines.complaint.normal.amount', value: 7 }` or
 * `{ path: 'handling.deadlines.complaint.normal', value: { amount: 48, unit: 'hours' } }`.
 */
export interface ProfileOverride {
  path: string;
  value: unknown;
}

/** Numbers the schema itself declares platform-set; they carry no citation. */
const ALWAYS_PLATFORM_SET = ['reminders', 'reply', 'supervision.repeatedRequester', 'supervision.manyRequesters'];
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isSpanLike = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && 'amount' in v && 'unit' in v;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function citationOf(v: unknown): Citation | undefined {
  if (!isPlainObject(v)) return undefined;
  const c = v.citation;
  return isPlainObject(c) && typeof c.article === 'string' ? (c as Citation) : undefined;
}

/** The new value for one override; only numbers (alone, in a span, or a list) may change. */
function newValue(path: string, current: unknown, value: unknown): unknown {
  if (isNumber(current)) {
    if (!isNumber(value)) throw invalid(`${path} 须为数值`);
    return value;
  }
  if (Array.isArray(current) && current.every(isNumber)) {
    if (!Array.isArray(value) || !value.every(isNumber)) throw invalid(`${path} 须为数值列表`);
    return [...value];
  }
  if (isSpanLike(current) || current === null) {
    if (isNumber(value) && current === null) return value; // e.g. an unset platform-set count
    if (!isPlainObject(value) || Object.keys(value).some((k) => k !== 'amount' && k !== 'unit')) {
      throw invalid(`${path} 只能修改时长（amount）和单位（unit）`);
    }
    return { ...(current ?? {}), ...value };
  }
  throw invalid(`${path} 不是可调整的数值`);
}

function applyOne(draft: Record<string, unknown>, { path, value }: ProfileOverride): void {
  const segments = typeof path === 'string' ? path.split('.') : [];
  if (segments.length === 0 || segments.some((s) => s === '' || FORBIDDEN_SEGMENTS.has(s))) {
    throw invalid(`配置路径不正确：${String(path)}`);
  }
  if (segments.includes('citation')) throw invalid(`${path}：条文依据不能修改`);

  const chain: unknown[] = [draft];
  let parent: unknown = draft;
  for (const segment of segments.slice(0, -1)) {
    if (!isContainer(parent) || !Object.prototype.hasOwnProperty.call(parent, segment)) {
      throw invalid(`未知的配置项：${path}`);
    }
    parent = (parent as Record<string, unknown>)[segment];
    chain.push(parent);
  }
  const key = segments[segments.length - 1];
  if (!isContainer(parent) || !Object.prototype.hasOwnProperty.call(parent, key)) {
    throw invalid(`未知的配置项：${path}`);
  }
  const current = (parent as Record<string, unknown>)[key];

  const schemaLevel = ALWAYS_PLATFORM_SET.some((p) => path === p || path.startsWith(`${p}.`));
  if (!schemaLevel) {
    // The target itself, or its nearest ancestor, must carry a citation marked platformSet.
    const citation = [...chain, current].reverse().map(citationOf).find((c) => c !== undefined);
    if (!citation) throw invalid(`${path} 不是可由平台设定的数值`);
    if (!citation.platformSet) throw invalid(`${path}（依据${citation.article}）由条例规定，不能修改`, { path, citation });
  }
  (parent as Record<string, unknown>)[key] = newValue(path, current, value);
}

/**
 * Returns a new validated profile with the operator's overrides applied. Only numbers the
 * regulation leaves to the platform (citation.platformSet) may change; a statutory number, a
 * citation, a label or a flag is refused with DomainError('profile-invalid').
 */
export function applyOverrides(profile: PolicyProfile, overrides: readonly ProfileOverride[]): PolicyProfile {
  const draft = structuredClone(profile) as unknown as Record<string, unknown>;
  for (const override of overrides) applyOne(draft, override);
  return parseProfile(draft);
}
