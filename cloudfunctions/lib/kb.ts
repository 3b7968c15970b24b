import type { KbArticle, KbReviewRecord, KbRevision } from '../../shared/ports';
import type { Actor } from '../../shared/contracts/common';
import type { KbArticleView } from '../../shared/contracts/responses/kb';
import type { PolicyProfile } from '../../shared/profiles/schema';
import { DomainError } from '../../shared/errors';
import type { Deps } from './deps';

/** Bigrams of the Chinese text plus ASCII words: enough to match short questions without a tokenizer. */
function grams(s: string): Set<string> {
  const out = new Set<string>();
  const clean = s.toLowerCase().replace(/[\s\p{P}]+/gu, ' ');
  for (const w of clean.match(/[a-z0-9]+/g) ?? []) out.add(w);
  const han = clean.replace(/[^\p{Script=Han}]+/gu, ' ').split(' ').filter(Boolean);
  for (const run of han) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** Knowledge-base articles that match a question, best first. */
export function searchKb(articles: KbArticle[], text: string, category?: string): KbArticle[] {
  const q = grams(text);
  const scored = articles.map((a) => {
    let score = 0;
    for (const k of a.keywords) if (text.includes(k)) score += 3;
    const t = grams(`${a.title} ${a.keywords.join(' ')}`);
    for (const g of q) if (t.has(g)) score += 1;
    if (category && a.category === category) score += 1;
    return { a, score };
  });
  return scored.filter((s) => s.score >= 2).sort((x, y) => y.score - x.score).map((s) => s.a);
}

// ---- upkeep (issue 18 §4: linyi 21, 30 and 39, hohhot 26, pingli 21) ----

const DAY = 86_400_000;
const SH = 8 * 3_600_000;
/** How long an article stays fresh after it is written or a unit's edit is approved, when no review date is set. */
export const KB_REVIEW_DAYS = 180;

/** Shanghai midnight starting the day that holds `ms`. */
const shanghaiDayStart = (ms: number) => Math.floor((ms + SH) / DAY) * DAY - SH;

/** "2026-09-30" → Shanghai midnight starting that day. */
export function reviewDateMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d) - SH;
  if (new Date(ms + SH).getUTCDate() !== d) throw new DomainError('invalid-input', `复核日期不存在：${date}`);
  return ms;
}

/** The review date of an article: as set, or KB_REVIEW_DAYS after it was last written. */
export const reviewByOf = (a: KbArticle): number => a.reviewBy ?? shanghaiDayStart(a.updatedAt + KB_REVIEW_DAYS * DAY);

/** A fresh review date from `now`. */
export const nextReviewBy = (now: number): number => shanghaiDayStart(now + KB_REVIEW_DAYS * DAY);

/** Stale once its review date has passed (the review day itself still counts as in time). */
export const isStale = (a: KbArticle, now: number): boolean => now >= reviewByOf(a) + DAY;

/** Whole days past the review date. */
export const overdueDays = (a: KbArticle, now: number): number => Math.max(0, Math.floor((shanghaiDayStart(now) - reviewByOf(a)) / DAY));

interface ViewContext {
  units: Map<string, string>;
  uses: Record<string, number>;
  now: number;
}

async function viewContext(deps: Deps): Promise<ViewContext> {
  const [units, uses] = await Promise.all([deps.directory.listUnits(), deps.directory.kbUses()]);
  return { units: new Map(units.map((u) => [u.id, u.name])), uses, now: deps.clock.now() };
}

export function kbView(a: KbArticle, ctx: ViewContext): KbArticleView {
  const unitName = a.unitId ? ctx.units.get(a.unitId) : undefined;
  return {
    id: a.id,
    title: a.title,
    answer: a.answer,
    keywords: a.keywords,
    ...(a.category !== undefined ? { category: a.category } : {}),
    ...(a.unitId !== undefined ? { unitId: a.unitId } : {}),
    ...(unitName !== undefined ? { unitName } : {}),
    updatedAt: a.updatedAt,
    reviewBy: reviewByOf(a),
    stale: isStale(a, ctx.now),
    revision: a.revision ?? 1,
    uses: ctx.uses[a.id] ?? 0,
    pending: a.pending ?? null,
    lastReview: a.lastReview ?? null,
  };
}

/** The articles a unit keeps, stale ones and those with a pending edit first. */
export async function unitArticles(deps: Deps, unitId: string): Promise<KbArticleView[]> {
  const ctx = await viewContext(deps);
  return (await deps.directory.listKb())
    .filter((a) => a.unitId === unitId)
    .map((a) => kbView(a, ctx))
    .sort((x, y) => Number(y.stale) - Number(x.stale) || x.reviewBy - y.reviewBy || x.id.localeCompare(y.id));
}

/** Every article with its uses and review date, for admin.kb. */
export async function allArticles(deps: Deps): Promise<(KbArticle & { uses: number; reviewBy: number })[]> {
  const uses = await deps.directory.kbUses();
  return (await deps.directory.listKb()).map((a) => ({ ...a, reviewBy: reviewByOf(a), uses: uses[a.id] ?? 0 }));
}

/**
 * A unit's edit of its own article (linyi 21: 承办单位应当及时更新热线知识库信息): saved as the
 * article's pending revision; the live text is unchanged until an operator approves it. A second
 * edit before the review replaces the first.
 */
export async function proposeKb(deps: Deps, actor: Actor, input: { articleId: string; title: string; answer: string; keywords: string[]; category?: string | undefined }): Promise<KbArticleView> {
  const article = await deps.directory.getKb(input.articleId);
  if (!article) throw new DomainError('not-found', '知识库条目不存在');
  if (!actor.unitId || article.unitId !== actor.unitId) throw new DomainError('kb-not-own-unit');
  const pending: KbRevision = {
    id: deps.ids.id('kbrev'),
    title: input.title,
    answer: input.answer,
    keywords: input.keywords,
    ...(input.category !== undefined ? { category: input.category } : {}),
    by: actor.userId,
    ...(actor.name ? { byName: actor.name } : {}),
    at: deps.clock.now(),
  };
  const next: KbArticle = { ...article, pending };
  await deps.directory.putKb(next);
  return kbView(next, await viewContext(deps));
}

/**
 * An operator's decision on a unit's edit. Approved: the revision goes live, the revision number
 * goes up and the review date moves KB_REVIEW_DAYS on. Rejected: the live text stays and the
 * reason is kept for the unit. `revisionId` must be the pending one the operator read.
 */
export async function reviewKb(deps: Deps, actor: Actor, input: { articleId: string; revisionId: string; approve: boolean; reason?: string | undefined }): Promise<KbArticleView> {
  const article = await deps.directory.getKb(input.articleId);
  if (!article) throw new DomainError('not-found', '知识库条目不存在');
  if (!article.pending) throw new DomainError('kb-no-pending');
  if (article.pending.id !== input.revisionId) throw new DomainError('kb-revision-changed');
  if (!input.approve && !input.reason) throw new DomainError('reason-required', '不通过时请填写理由，理由将告知承办单位');
  const now = deps.clock.now();
  const { pending, ...rest } = article;
  const lastReview: KbReviewRecord = { revisionId: pending.id, approved: input.approve, ...(input.reason ? { reason: input.reason } : {}), by: actor.userId, at: now };
  const { category: _c, ...withoutCategory } = rest;
  const next: KbArticle = input.approve
    ? {
        ...withoutCategory,
        title: pending.title,
        answer: pending.answer,
        keywords: pending.keywords,
        ...(pending.category !== undefined ? { category: pending.category } : rest.category !== undefined ? { category: rest.category } : {}),
        revision: (article.revision ?? 1) + 1,
        reviewBy: nextReviewBy(now),
        updatedAt: now,
        lastReview,
      }
    : { ...rest, lastReview };
  await deps.directory.putKb(next);
  return kbView(next, await viewContext(deps));
}

export async function pendingArticles(deps: Deps): Promise<KbArticleView[]> {
  const ctx = await viewContext(deps);
  return (await deps.directory.listKb())
    .filter((a) => a.pending)
    .map((a) => kbView(a, ctx))
    .sort((x, y) => x.pending!.at - y.pending!.at || x.id.localeCompare(y.id));
}

/**
 * Articles past their review date, the longest overdue first. Under a profile whose supervision
 * triggers include 'knowledge-base-stale' (linyi 30(5): 热线知识库更新不及时的，开展热线督办) the
 * list is a supervision item and carries the article.
 */
export async function staleArticles(deps: Deps, profile: PolicyProfile) {
  const ctx = await viewContext(deps);
  const items = (await deps.directory.listKb())
    .filter((a) => isStale(a, ctx.now))
    .map((a) => ({ ...kbView(a, ctx), overdueDays: overdueDays(a, ctx.now) }))
    .sort((x, y) => x.reviewBy - y.reviewBy || x.id.localeCompare(y.id));
  const supervised = profile.supervision.triggers.includes('knowledge-base-stale');
  return {
    supervision: supervised ? { trigger: 'knowledge-base-stale' as const, article: profile.supervision.citation.article, text: profile.supervision.citation.text } : null,
    items,
  };
}
