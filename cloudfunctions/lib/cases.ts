import type { Actor } from '../../shared/contracts/common';
import type { PublicCase, TypicalCase } from '../../shared/contracts/responses/kb';
import { DomainError } from '../../shared/errors';
import { personalDataIn } from '../../shared/policy';
import { resolvedStates } from '../../shared/workflow';
import type { Deps } from './deps';

/**
 * Typical cases (issue 18 §6: linyi 22(3) 典型案例, anshan 17 and 37, hohhot 34, pingli 23 and 29):
 * an operator picks a resolved ticket and writes an anonymised title, summary and result; the
 * server refuses any personal data (shared/policy personalDataIn: phone and ID numbers, house-level
 * addresses, named persons, and the ticket's own requester and address in any masked form). Only
 * published cases reach `public.cases`, and only their own text: never the ticket's id, number or
 * content. All cases live in one setting, written compare-and-set on its revision.
 */
export const CASES_SETTING = 'typical-cases';
export const MAX_CASES = 500;

interface CaseStore {
  rev: number;
  cases: TypicalCase[];
}

const SH = 8 * 3_600_000;
const monthOf = (ms: number) => new Date(ms + SH).toISOString().slice(0, 7);

async function load(deps: Deps): Promise<CaseStore> {
  return (await deps.directory.getSetting<CaseStore>(CASES_SETTING)) ?? { rev: 0, cases: [] };
}

/** Applies `change` to the stored cases and saves them if nobody saved meanwhile; retries a few times otherwise. */
async function update(deps: Deps, change: (cases: TypicalCase[]) => TypicalCase): Promise<TypicalCase> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await load(deps);
    const cases = stored.cases.map((c) => ({ ...c }));
    const changed = change(cases);
    if (await deps.directory.putSettingIfNewer<CaseStore>(CASES_SETTING, { rev: stored.rev + 1, cases })) return changed;
  }
  throw new DomainError('internal', '典型案例正被他人同时修改，请稍后重试');
}

export async function caseList(deps: Deps): Promise<TypicalCase[]> {
  return [...(await load(deps)).cases].sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

export async function putCase(deps: Deps, actor: Actor, input: { id?: string | undefined; ticketId: string; title: string; summary: string; result: string }): Promise<TypicalCase> {
  const ticket = await deps.store.get(input.ticketId);
  if (!ticket) throw new DomainError('not-found', '诉求不存在');
  if (!(resolvedStates as readonly string[]).includes(ticket.state)) throw new DomainError('case-not-closed');
  const known = { name: ticket.requester.name, phone: ticket.requester.phone, address: ticket.location.address };
  const found: string[] = [];
  for (const [field, label] of [['title', '标题'], ['summary', '案情'], ['result', '办理结果']] as const) {
    const kinds = personalDataIn(input[field], known);
    if (kinds.length) found.push(`${label}含有${kinds.join('、')}`);
  }
  if (found.length) throw new DomainError('case-personal-data', `典型案例不能含有个人信息：${found.join('；')}。请改为匿名表述后再保存`);
  const lead = ticket.assignments.find((a) => a.role === 'lead') ?? ticket.assignments[0];
  const unit = lead ? await deps.directory.getUnit(lead.unitId) : null;
  const now = deps.clock.now();
  return update(deps, (cases) => {
    const i = input.id ? cases.findIndex((c) => c.id === input.id) : -1;
    if (input.id && i < 0) throw new DomainError('not-found', '典型案例不存在');
    if (i < 0 && cases.length >= MAX_CASES) throw new DomainError('invalid-input', `典型案例最多${MAX_CASES}件，请先删去旧的`);
    const before = i >= 0 ? cases[i]! : undefined;
    const next: TypicalCase = {
      id: before?.id ?? deps.ids.id('case'),
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ...(ticket.category ? { category: ticket.category } : {}),
      ...(unit ? { unitName: unit.name } : {}),
      title: input.title,
      summary: input.summary,
      result: input.result,
      month: monthOf(ticket.closedAt ?? ticket.resolvedAt ?? ticket.updatedAt),
      published: before?.published ?? false,
      ...(before?.publishedAt !== undefined ? { publishedAt: before.publishedAt } : {}),
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
      by: actor.userId,
    };
    if (i >= 0) cases[i] = next;
    else cases.push(next);
    return next;
  });
}

export async function publishCase(deps: Deps, actor: Actor, id: string, published: boolean): Promise<TypicalCase> {
  const now = deps.clock.now();
  return update(deps, (cases) => {
    const i = cases.findIndex((c) => c.id === id);
    if (i < 0) throw new DomainError('not-found', '典型案例不存在');
    const { publishedAt: _p, ...rest } = cases[i]!;
    const next: TypicalCase = { ...rest, published, ...(published ? { publishedAt: now } : {}), updatedAt: now, by: actor.userId };
    cases[i] = next;
    return next;
  });
}

/** The published cases, newest first: only their anonymised text, category, unit and month. */
export async function publicCases(deps: Deps): Promise<PublicCase[]> {
  return (await load(deps)).cases
    .filter((c) => c.published && c.publishedAt !== undefined)
    .sort((a, b) => b.publishedAt! - a.publishedAt! || a.id.localeCompare(b.id))
    .slice(0, 100)
    .map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      result: c.result,
      ...(c.category !== undefined ? { category: c.category } : {}),
      ...(c.unitName !== undefined ? { unitName: c.unitName } : {}),
      month: c.month,
      publishedAt: c.publishedAt!,
    }));
}
