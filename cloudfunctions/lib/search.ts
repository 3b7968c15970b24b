import type { Actor } from '../../shared/contracts/common';
import type { TicketFilters } from '../../shared/contracts/search';
import type { TicketSummary } from '../../shared/workflow/summary';
import { DomainError } from '../../shared/errors';
import { computeDueAt } from '../../shared/calendar';
import type { TicketQuery, TicketSearch } from '../../shared/ports';
import { phoneKey, queryWords } from '../../shared/search/terms';
import { CONFIDENTIAL_CONTACT } from '../../shared/workflow/visibility';
import type { Deps } from './deps';
import { loadPolicy } from './policy';
import { listView } from './tickets';

/** The store query of a list's filters: search fields, plus a state when one is asked for. */
export async function searchQuery(deps: Deps, filters: TicketFilters | undefined): Promise<Pick<TicketQuery, 'search' | 'states'>> {
  if (!filters) return {};
  const s: TicketSearch = {};
  if (filters.number) s.number = filters.number;
  if (filters.phone) {
    const digits = phoneKey(filters.phone)!;
    if (digits.length === 4) s.phoneTail = digits;
    else s.phone = digits;
  }
  if (filters.text !== undefined) {
    const words = queryWords(filters.text);
    if (!words.length) throw new DomainError('invalid-input', '搜索词至少两个字');
    s.words = words;
  }
  if (filters.unitId) s.assignedUnitId = filters.unitId;
  if (filters.category) s.category = filters.category;
  if (filters.area) s.area = filters.area;
  if (filters.channel) s.channel = filters.channel;
  if (filters.urgency) s.urgency = filters.urgency;
  if (filters.utilities) s.utilities = true;
  if (filters.due === 'overdue') s.overdue = true;
  if (filters.due === 'atRisk') {
    const now = deps.clock.now();
    const { profile, calendar } = await loadPolicy(deps.directory, now);
    s.dueBetween = { from: now, to: computeDueAt(now, profile.reminders.warningWindow, calendar) };
  }
  if (filters.from !== undefined) s.createdFrom = filters.from;
  if (filters.to !== undefined) s.createdTo = filters.to;
  return { search: s, ...(filters.state ? { states: [filters.state] } : {}) };
}

/**
 * A list as an operator's or a unit's table shows it: the list view plus the classification
 * columns. A phone search by a unit leaves out tickets whose requester it may not see, so the
 * number cannot be used to learn who filed a confidential request.
 */
export function searchView(tickets: TicketSummary[], actor: Actor, filters: TicketFilters | undefined) {
  const views = listView(tickets, actor);
  return views
    .map((v, i) => {
      const t = tickets[i]!;
      // The row is fresh from listView: extended in place, not copied.
      return Object.assign(v, { urgency: t.urgency, ...(t.urgentHint ? { urgentHint: true as const } : {}), utilities: t.utilities, channel: t.channel });
    })
    .filter((v) => !(filters?.phone && actor.role === 'staff' && v.requesterShown === CONFIDENTIAL_CONTACT));
}
