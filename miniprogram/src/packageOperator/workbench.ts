/**
 * The operator's workbench calls and types: search with filters (operator.queue `filters`),
 * phone intake (operator.submit), and the profile parts the intake form needs.
 */
import type { TicketFilters } from '@shared/contracts/search';
import { call } from '../api/client';
import type { OperatorQueueId, QueueItem } from '../api/types';

export type { TicketFilters };

/** A queue row with the classification columns the search view adds (urgency, urgentHint, utilities, channel). */
export type WorkbenchRow = QueueItem;

export interface WorkbenchPage {
  items: WorkbenchRow[];
  next: string | null;
}

export async function searchQueue(queue: OperatorQueueId, filters: TicketFilters, cursor: string | null = null, limit = 50): Promise<WorkbenchPage> {
  const hasFilters = Object.keys(filters).length > 0;
  const d = await call('operator', 'queue', { queue, ...(hasFilters ? { filters } : {}), cursor, limit });
  return { items: d.items ?? [], next: d.next ?? null };
}

export const URGENCY_LABELS: Record<WorkbenchRow['urgency'], string> = { normal: '一般', urgent: '紧急', emergency: '特急' };
export const CHANNEL_LABELS: Record<WorkbenchRow['channel'], string> = { miniprogram: '小程序', phone: '电话', grid: '网格', web: '网页' };

/** The filters as URL parameters (strings), and back: a search can be shared as a link. */
export function filtersToParams(f: TicketFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') out[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  return out;
}

export function filtersFromParams(p: Record<string, string | undefined>): TicketFilters {
  const f: Record<string, unknown> = {};
  const str = ['number', 'phone', 'text', 'unitId', 'category', 'area', 'state', 'channel', 'urgency', 'due'] as const;
  for (const k of str) {
    const v = p[k];
    if (v) f[k] = decodeURIComponent(v);
  }
  if (p.utilities === '1') f.utilities = true;
  for (const k of ['from', 'to'] as const) {
    const n = Number(p[k]);
    if (p[k] && Number.isSafeInteger(n) && n >= 0) f[k] = n;
  }
  return f as TicketFilters;
}
