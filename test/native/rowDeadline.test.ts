import { missedText, rowDeadlineText, rowDue, warningFor } from '../../miniprogram/src/tickets/rowDeadline';

const H = 3_600_000;
const now = Date.UTC(2026, 2, 2, 2, 0); // 2026-03-02 10:00 in Shanghai

describe('the deadline a list row shows', () => {
  it('待签收: the signing deadline the list is sorted by, with its kind, not the handling one', () => {
    const item = { dueAt: now + 7 * 24 * H, overdue: false, nextDue: { kind: 'sign', dueAt: now + 20 * H, startedAt: now - 4 * H }, missedKinds: [] };
    expect(rowDue(item)!.dueAt).toBe(now + 20 * H);
    expect(rowDeadlineText(item, now)).toBe('签收期限 2026-03-03 06:00 · 还剩20小时0分');
  });

  it('a missed sign limit names the limit, and the running handling deadline keeps its kind', () => {
    const item = { dueAt: now + (13 * 24 + 13) * H, overdue: true, nextDue: { kind: 'handle', dueAt: now + (13 * 24 + 13) * H }, missedKinds: ['sign'] };
    const text = rowDeadlineText(item, now);
    expect(text).toBe('已超过签收时限 · 办理期限 2026-03-15 23:00 · 还剩13天13小时');
    expect(text).not.toMatch(/^已超期/);
  });

  it('several missed limits, nothing running', () => {
    expect(missedText(['sign', 'handle'])).toBe('已超过签收、办理时限');
    expect(rowDeadlineText({ dueAt: null, overdue: true, nextDue: null, missedKinds: ['handle'] }, now)).toBe('已超过办理时限');
  });

  it('an older server (dueAt only) still reads', () => {
    expect(rowDeadlineText({ dueAt: now + 2 * H, overdue: false }, now)).toBe('期限 2026-03-02 12:00 · 还剩2小时0分');
    expect(rowDeadlineText({ dueAt: null, overdue: false }, now)).toBe('暂无进行中的期限');
  });

  it('amber starts no earlier than half-way through the deadline’s own span', () => {
    // A one-day 受理 limit under a one-day window: amber for its last 12 hours only.
    expect(warningFor({ kind: 'accept', dueAt: now + 24 * H, startedAt: now }, 24 * H)).toBe(12 * H);
    // A five-day handling limit keeps the full window.
    expect(warningFor({ kind: 'handle', dueAt: now + 5 * 24 * H, startedAt: now }, 24 * H)).toBe(24 * H);
    expect(warningFor({ dueAt: now + H }, 24 * H)).toBe(24 * H);
  });
});
