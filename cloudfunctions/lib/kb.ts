import type { KbArticle } from '../../shared/ports';

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
