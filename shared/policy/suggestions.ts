import type { Ticket } from '../contracts/ticket';
import type { UnitRecord } from '../ports';
import { takenOnStates } from '../workflow/states';

/** The tickets a suggestion learns from: those a lead unit took on. */
export const SUGGESTION_STATES = takenOnStates;
/** How many of them (the most recent). */
export const SUGGESTION_SAMPLE = 100;

export interface UnitSuggestion {
  id: string;
  name: string;
  score: number;
  pastDispatches: number;
  /** When this unit's return of the ticket was approved: it is not recommended for it again. */
  returnedAt?: number;
}

/**
 * Units for a ticket, best first: past dispatches of the same category weigh most (2 each), then a
 * declared category (3) and a declared area (2); ties by name in Chinese order. A unit whose return
 * of this ticket was approved (`returned`: unit id → when) comes last, unscored.
 */
export function suggestUnits(
  t: Pick<Ticket, 'category' | 'location'>,
  units: UnitRecord[],
  recent: { category: string; assignments: Pick<Ticket['assignments'][number], 'unitId' | 'role'>[] }[],
  returned: ReadonlyMap<string, number> = new Map(),
): UnitSuggestion[] {
  const area = t.location.area ?? t.location.grid;
  const past = new Map<string, number>();
  for (const r of recent) {
    const lead = r.assignments.find((a) => a.role === 'lead');
    if (lead && r.category === t.category) past.set(lead.unitId, (past.get(lead.unitId) ?? 0) + 1);
  }
  return units
    .filter((u) => u.active)
    .map((u) => ({
      id: u.id,
      name: u.name,
      score: returned.has(u.id) ? 0 : (past.get(u.id) ?? 0) * 2 + (u.categories.includes(t.category) ? 3 : 0) + (area && u.areas.includes(area) ? 2 : 0),
      pastDispatches: past.get(u.id) ?? 0,
      ...(returned.has(u.id) ? { returnedAt: returned.get(u.id)! } : {}),
    }))
    .sort((a, b) => Number(a.returnedAt !== undefined) - Number(b.returnedAt !== undefined) || b.score - a.score || a.name.localeCompare(b.name, 'zh'));
}
