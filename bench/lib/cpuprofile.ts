/** Summarises a V8 .cpuprofile (node --cpu-prof): self and inclusive time per function. */
import fs from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  fn: string;
  selfMs: number;
  totalMs: number;
  selfPct: number;
  totalPct: number;
}

function label(n: Node, root: string): string {
  const f = n.callFrame;
  const file = f.url ? path.relative(root, f.url.replace(/^file:\/\//, '')) : '';
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
}

/** Self and inclusive time per function label (recursion counted once per stack). */
export function summarise(file: string, root: string): { totalMs: number; idleMs: number; rows: ProfileRow[] } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    all += us;
    const n = byId.get(id)!;
    const name = label(n, root);
    if (n.callFrame.functionName === '(idle)') idle += us;
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!, root);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const busy = all - idle || 1;
  const rows = [...total.entries()].map(([fn, t]) => ({ fn, selfMs: (self.get(fn) ?? 0) / 1000, totalMs: t / 1000, selfPct: (100 * (self.get(fn) ?? 0)) / busy, totalPct: (100 * t) / busy }));
  return { totalMs: all / 1000, idleMs: idle / 1000, rows };
}

if (require.main === module) {
  const [file, mode = 'self', nStr = '40', filter] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/lib/cpuprofile.ts <file.cpuprofile> [self|total] [n] [filter]');
    process.exit(2);
  }
  const s = summarise(file, path.resolve(__dirname, '..', '..'));
  console.log(`profile ${(s.totalMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s`);
  const rows = s.rows.filter((r) => !filter || r.fn.includes(filter)).sort((a, b) => (mode === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs)).slice(0, Number(nStr));
  for (const r of rows) console.log(`${r.selfPct.toFixed(1).padStart(5)}% self ${r.totalPct.toFixed(1).padStart(5)}% total  ${r.fn}`);
}
