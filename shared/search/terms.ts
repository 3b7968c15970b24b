/**
 * Words in a ticket's title, content and address, as both stores index them: each run of letters
 * and digits (NFKC, lower case) becomes its overlapping two-character terms. Chinese has no
 * spaces, so bigrams are what lets "停水" find "小区停水三天"; a query matches when every word of
 * it (two characters or more) lies inside one run of the ticket's text.
 */

/** Stands between runs in the SQLite term stream: three characters, so never a query bigram. */
export const RUN_SEPARATOR = '000';
/** Shortest query word the index can answer. */
export const MIN_WORD = 2;

const RUN = /[\p{L}\p{N}]+/gu;

export function runsOf(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(RUN) ?? [];
}

export function bigramsOf(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The text a ticket is searched by. */
export function searchableText(t: { title: string; content: string; location: { address?: string } }): string {
  return [t.title, t.content, t.location.address ?? ''].join('\n');
}

/** The term stream for a full-text index that keeps positions (SQLite FTS5): runs kept apart. */
export function termStream(text: string): string {
  return runsOf(text)
    .map((r) => bigramsOf(r).join(' '))
    .filter((s) => s.length > 0)
    .join(` ${RUN_SEPARATOR} `);
}

/** The distinct terms, for a store that indexes an array field (CloudBase). */
export function termSet(text: string): string[] {
  return [...new Set(runsOf(text).flatMap(bigramsOf))];
}

/** The query words that the index can answer (runs of two characters or more). */
export function queryWords(query: string): string[] {
  return [...new Set(runsOf(query).filter((r) => [...r].length >= MIN_WORD))];
}

/** An FTS5 MATCH expression: every word as a phrase of its bigrams. Words hold letters and digits only. */
export function ftsQuery(words: string[]): string {
  return words.map((w) => `"${bigramsOf(w).join(' ')}"`).join(' AND ');
}

/** Whether every query word lies inside one run of the text: the meaning both stores give a search. */
export function matchesWords(text: string, words: string[]): boolean {
  const runs = runsOf(text);
  return words.every((w) => runs.some((r) => r.includes(w)));
}

/** The last four digits of a phone number, or null. */
export function phoneTail(phone: string | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/** A phone as stored for exact search: digits only (a landline's dash dropped). */
export function phoneKey(phone: string | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length ? digits : null;
}
