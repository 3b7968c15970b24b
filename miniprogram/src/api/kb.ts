/**
 * Knowledge-base upkeep and typical cases (issue 18 §4, §6): the unit's articles and its edits,
 * the operators' review and stale lists, the typical cases and their public list.
 */
import { call } from './client';

export interface KbEdit {
  articleId: string;
  title: string;
  answer: string;
  keywords: string[];
  category?: string;
}

export interface CaseDraft {
  id?: string;
  ticketId: string;
  title: string;
  summary: string;
  result: string;
}

export const kbApi = {
  /** The caller's unit's articles (staff). */
  mine: () => call('staff', 'kb', {}),
  propose: (edit: KbEdit) => call('staff', 'proposeKb', edit),
  pending: () => call('operator', 'kbPending', {}),
  review: (articleId: string, revisionId: string, approve: boolean, reason?: string) =>
    call('operator', 'kbReview', { articleId, revisionId, approve, ...(reason ? { reason } : {}) }),
  stale: () => call('operator', 'kbStale', {}),
};

export const casesApi = {
  list: () => call('operator', 'cases', {}),
  put: (c: CaseDraft) => call('operator', 'putCase', { case: c }),
  publish: (id: string, published: boolean) => call('operator', 'publishCase', { id, published }),
  /** The published cases: no account needed. */
  published: () => call('public', 'cases', {}),
};
