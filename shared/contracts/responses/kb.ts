/**
 * What the knowledge-base upkeep and typical-case actions answer (issue 18 §4 and §6): the staff,
 * operator and public views, each strict.
 */
import { z } from 'zod';
import { epochMs } from '../common';

const count = z.number().int().nonnegative();

/** A unit's edit waiting for an operator. */
export const kbRevisionSchema = z
  .object({ id: z.string(), title: z.string(), answer: z.string(), keywords: z.array(z.string()), category: z.string().optional(), by: z.string(), byName: z.string().optional(), at: epochMs })
  .strict();

/** The last decision on a unit's edit; a rejection carries its reason. */
export const kbReviewSchema = z.object({ revisionId: z.string(), approved: z.boolean(), reason: z.string().optional(), by: z.string(), at: epochMs }).strict();

/** An article as its owner unit and the operators see it: live text, review date, uses, pending edit. */
export const kbArticleViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    answer: z.string(),
    keywords: z.array(z.string()),
    category: z.string().optional(),
    unitId: z.string().optional(),
    unitName: z.string().optional(),
    updatedAt: epochMs,
    /** The date by which it is to be reviewed; past it the article is stale. */
    reviewBy: epochMs,
    stale: z.boolean(),
    revision: z.number().int().positive(),
    /** How often an operator answered a request from it. */
    uses: count,
    pending: kbRevisionSchema.nullable(),
    lastReview: kbReviewSchema.nullable(),
  })
  .strict();

/** operator.kbStale: the stale articles, oldest review date first; under linyi 30(5) a supervision item. */
export const kbStaleSchema = z
  .object({
    supervision: z.object({ trigger: z.literal('knowledge-base-stale'), article: z.string(), text: z.string() }).strict().nullable(),
    items: z.array(kbArticleViewSchema.extend({ overdueDays: count }).strict()),
  })
  .strict();

/** A typical case as operators see it (draft or published). */
export const typicalCaseSchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    ticketNumber: z.string(),
    category: z.string().optional(),
    unitName: z.string().optional(),
    title: z.string(),
    summary: z.string(),
    result: z.string(),
    /** The Shanghai month the ticket was closed in, "YYYY-MM". */
    month: z.string(),
    published: z.boolean(),
    publishedAt: epochMs.optional(),
    createdAt: epochMs,
    updatedAt: epochMs,
    by: z.string(),
  })
  .strict();

/** public.cases: what anyone reads; nothing of the ticket or the requester (no id, no number). */
export const publicCaseSchema = z
  .object({ id: z.string(), title: z.string(), summary: z.string(), result: z.string(), category: z.string().optional(), unitName: z.string().optional(), month: z.string(), publishedAt: epochMs })
  .strict();

export const kbStaffResponses = {
  kb: z.array(kbArticleViewSchema),
  proposeKb: kbArticleViewSchema,
};

export const kbOperatorResponses = {
  kbPending: z.array(kbArticleViewSchema),
  kbReview: kbArticleViewSchema,
  kbStale: kbStaleSchema,
  cases: z.array(typicalCaseSchema),
  putCase: typicalCaseSchema,
  publishCase: typicalCaseSchema,
};

export const kbPublicResponses = {
  cases: z.array(publicCaseSchema),
};

export type KbArticleView = z.infer<typeof kbArticleViewSchema>;
export type KbStale = z.infer<typeof kbStaleSchema>;
export type TypicalCase = z.infer<typeof typicalCaseSchema>;
export type PublicCase = z.infer<typeof publicCaseSchema>;
