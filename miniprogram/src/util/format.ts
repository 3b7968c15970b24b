/** Dates in Asia/Shanghai, whatever the device's zone: the deadlines are Shanghai working time. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function parts(ms: number) {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { y: d.getUTCFullYear(), M: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), m: pad(d.getUTCMinutes()) };
}

/** "2026-03-02 09:30" */
export function formatTime(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${p.M}-${p.d} ${p.h}:${p.m}`;
}

/** "3天4小时" / "2小时15分" / "已超期1天2小时" */
export function formatRemaining(dueAt: number, now: number): string {
  const left = dueAt - now;
  const abs = Math.abs(left);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const text = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时${minutes}分` : `${Math.max(minutes, left > 0 ? 1 : 0)}分钟`;
  return left >= 0 ? text : `已超期${text}`;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
  return `${Math.max(1, Math.round(bytes / 1024))}KB`;
}
