/** The final table: each figure, its target, met or missed, and the command that reproduces it. */

export type Verdict = 'met' | 'missed' | '—' | 'n/a';

export interface Row {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** How far from the target, when missed ("3.2× too slow"). */
  gap?: string;
  command: string;
}

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function renderTable(rows: Row[]): string {
  const head = ['figure', 'value', 'target', 'verdict', 'reproduce'];
  const cells = rows.map((r) => [r.figure, r.value, r.target, r.verdict === 'missed' && r.gap ? `missed (${r.gap})` : r.verdict, r.command]);
  const w = head.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]!))));
  const line = (c: string[]) => `| ${c.map((x, i) => pad(x, w[i]!)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** `value` against an upper bound: met when value ≤ bound. */
export function atMost(value: number, bound: number, unit: string): Pick<Row, 'verdict' | 'gap'> {
  if (!Number.isFinite(value)) return { verdict: 'n/a' };
  return value <= bound ? { verdict: 'met' } : { verdict: 'missed', gap: `${(value / bound).toFixed(value / bound < 1.1 ? 2 : 1)}× the bound, +${fmt(value - bound)} ${unit}` };
}

/** `value` against a lower bound: met when value ≥ bound. */
export function atLeast(value: number, bound: number, unit: string): Pick<Row, 'verdict' | 'gap'> {
  if (!Number.isFinite(value)) return { verdict: 'n/a' };
  return value >= bound ? { verdict: 'met' } : { verdict: 'missed', gap: `${((value / bound) * 100).toFixed(0)}% of it, −${fmt(bound - value)} ${unit}` };
}

/** Both must hold. */
export function both(a: Pick<Row, 'verdict' | 'gap'>, b: Pick<Row, 'verdict' | 'gap'>): Pick<Row, 'verdict' | 'gap'> {
  if (a.verdict === 'n/a' || b.verdict === 'n/a') return { verdict: 'n/a' };
  if (a.verdict === 'met' && b.verdict === 'met') return { verdict: 'met' };
  return { verdict: 'missed', gap: [a.gap, b.gap].filter(Boolean).join('; ') };
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
}
