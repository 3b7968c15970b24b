/**
 * Content security for user text: submissions, replies and notes are checked before anything is
 * written; refused content answers `content-refused` with a Chinese message. The checker is the
 * deployment's (`deps.content`: on CloudBase the operator's word list, then WeChat's
 * security.msgSecCheck), or, without one (the self-hosted runtime), the operator's word list alone.
 */
import type { Actor } from '../../shared/contracts/common';
import type { Command } from '../../shared/contracts/commands';
import { DomainError } from '../../shared/errors';
import type { ContentChecker, ContentScene, DirectoryStore, MediaCheck, StoredFile, TextVerdict } from '../../shared/ports';
import type { Deps } from './deps';

/** The settings key of the word list operators edit (admin.contentWords / admin.putContentWords). */
export const WORDS_SETTING = 'contentWords';
export const MAX_WORDS = 2000;

export interface WordList {
  words: string[];
  updatedAt: number;
  updatedBy?: string;
}

/** Letters and digits only, case- and width-folded: "敏 感-词" and "敏感词" read the same. */
export function normalizeForMatch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The self-hosted checker: refuses text containing a word of the operator's list (matched on the
 * normalized text, so spaces and punctuation inside a word do not hide it). Checks no media.
 */
export class WordListChecker implements ContentChecker {
  constructor(private readonly directory: Pick<DirectoryStore, 'getSetting'>) {}

  async checkText(text: string): Promise<TextVerdict> {
    const list = await this.directory.getSetting<WordList>(WORDS_SETTING);
    if (!list?.words.length) return { verdict: 'pass' };
    const hay = normalizeForMatch(text);
    const hit = list.words.find((w) => {
      const n = normalizeForMatch(w);
      return n.length > 0 && hay.includes(n);
    });
    return hit ? { verdict: 'refused', reason: `word-list:${hit}` } : { verdict: 'pass' };
  }
}

/** Checkers in turn: the first refusal wins; media go to the first checker that checks media. */
export class ChainedChecker implements ContentChecker {
  constructor(private readonly checkers: readonly ContentChecker[]) {}

  async checkText(text: string, who: { userId: string }, scene: ContentScene): Promise<TextVerdict> {
    for (const c of this.checkers) {
      const v = await c.checkText(text, who, scene);
      if (v.verdict === 'refused') return v;
    }
    return { verdict: 'pass' };
  }

  async checkMedia(file: StoredFile, url: string, who: { userId: string }, now: number): Promise<MediaCheck | undefined> {
    for (const c of this.checkers) {
      const r = c.checkMedia ? await c.checkMedia(file, url, who, now) : undefined;
      if (r) return r;
    }
    return undefined;
  }
}

export function contentChecker(deps: Pick<Deps, 'content' | 'directory'>): ContentChecker {
  return deps.content ?? new WordListChecker(deps.directory);
}

/** Refuses (before anything is written) when any of `texts` is refused. */
export async function checkTexts(deps: Pick<Deps, 'content' | 'directory'>, actor: Actor, texts: Array<string | undefined>, scene: ContentScene): Promise<void> {
  const parts = texts.filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
  if (!parts.length) return;
  const v = await contentChecker(deps).checkText(parts.join('\n'), { userId: actor.userId }, scene);
  if (v.verdict === 'refused') throw new DomainError('content-refused', undefined, { scene });
}

/** The free-text fields of commands (everything a person writes; codes and enums are not text). */
const COMMAND_TEXT_FIELDS = ['note', 'publicNote', 'answer', 'reason', 'basis', 'result', 'legalBasis', 'noCaseReason', 'handler', 'notifiedBy'] as const;

export function commandTexts(command: Command): string[] {
  const c = command as unknown as Record<string, unknown>;
  return COMMAND_TEXT_FIELDS.map((k) => c[k]).filter((v): v is string => typeof v === 'string');
}

/** A reply (the answer to the requester) or any other note. */
export function commandScene(command: Command): ContentScene {
  return command.type === 'reply' || command.type === 'answer' ? 'reply' : 'note';
}
