import { assertCompleteYear, parseCalendarYear, type CalendarYear } from '../../shared/calendar';
import { DomainError } from '../../shared/errors';
import { alarmsFor, hasProvisional, openStates, recomputeProvisional } from '../../shared/workflow';
import type { Deps } from './deps';
import { CALENDAR_SETTING, forgetPolicy, loadPolicy } from './policy';

/** The years an operator has loaded (settings), ascending. */
export async function loadedYears(deps: Deps): Promise<CalendarYear[]> {
  return (await deps.directory.getSetting<CalendarYear[]>(CALENDAR_SETTING)) ?? [];
}

/**
 * Stores one complete year (replacing that year if loaded before) and recomputes every open
 * ticket whose deadline was counted provisionally, one event per ticket. Returns how many
 * tickets were recomputed. A partial year is refused (calendar-incomplete) and nothing is written.
 */
export async function saveCalendarYear(deps: Deps, input: CalendarYear): Promise<{ year: number; holidays: number; makeUpWorkdays: number; recomputed: number }> {
  const parsed = parseCalendarYear(input);
  assertCompleteYear(parsed);
  const others = (await loadedYears(deps)).filter((y) => y.year !== parsed.year);
  await deps.directory.putSetting(CALENDAR_SETTING, [...others, parsed].sort((a, b) => a.year - b.year));
  forgetPolicy(deps.directory);
  const recomputed = await recomputeProvisionalTickets(deps, [parsed.year]);
  return { year: parsed.year, holidays: parsed.holidays.length, makeUpWorkdays: parsed.makeUpWorkdays.length, recomputed };
}

/** Every open ticket with an active provisional deadline, computed again on the calendar in force. */
export async function recomputeProvisionalTickets(deps: Deps, years: number[]): Promise<number> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await deps.store.list({ states: openStates, limit: 200, cursor });
    for (const t of page.items) if (hasProvisional(t)) ids.push(t.id);
    cursor = page.next;
  } while (cursor);
  let count = 0;
  for (const id of [...new Set(ids)]) {
    // A concurrent command may win the version race: read again and retry.
    for (let attempt = 0; attempt < 5; attempt++) {
      const t = await deps.store.get(id);
      if (!t) break;
      const now = deps.clock.now();
      const { profile, calendar } = await loadPolicy(deps.directory, now);
      const r = recomputeProvisional(t, calendar, now, years);
      if (!r) break;
      try {
        await deps.store.update(r.ticket, t.version, r.event, alarmsFor(r.ticket, profile));
        count += 1;
        break;
      } catch (e) {
        if (!(e instanceof DomainError && e.code === 'stale-version')) throw e;
      }
    }
  }
  return count;
}
