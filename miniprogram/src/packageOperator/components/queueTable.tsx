import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { REQUEST_TYPE_LABELS } from '../../labels';
import { formatTime } from '../../util/format';
import DeadlineBadge, { deadlineTone } from './deadline';
import { rowDue, warningFor } from '../../tickets/rowDeadline';
import { pressable } from '../keyboard';
import { CHANNEL_LABELS, URGENCY_LABELS, type WorkbenchRow } from '../workbench';
import { opGo } from '../../util/nav';

type SortKey = 'number' | 'dueAt' | 'createdAt' | 'category' | 'area' | 'state' | 'urgency';
const URGENCY_RANK = { emergency: 0, urgent: 1, normal: 2 } as const;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'number', label: '工单号' },
  { key: 'dueAt', label: '期限' },
  { key: 'urgency', label: '紧急' },
  { key: 'category', label: '类别' },
  { key: 'area', label: '区域' },
  { key: 'state', label: '状态' },
  { key: 'createdAt', label: '登记时间' },
];

function compare(a: WorkbenchRow, b: WorkbenchRow, key: SortKey): number {
  switch (key) {
    case 'dueAt':
      return (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity);
    case 'createdAt':
      return a.createdAt - b.createdAt;
    case 'urgency':
      return URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
    default:
      return String(a[key] ?? '').localeCompare(String(b[key] ?? ''), 'zh');
  }
}

/**
 * The queue as a dense table for a PC (sortable by clicking a column head; it sorts the rows
 * loaded so far). Rows open the ticket; Enter on a focused row does too.
 */
export default function QueueTable({ items, now, warningMs, selected, onOpen }: { items: WorkbenchRow[]; now: number; warningMs: number; selected?: string; onOpen?(id: string): void }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'dueAt', dir: 1 });
  const rows = [...items].sort((a, b) => compare(a, b, sort.key) * sort.dir || a.createdAt - b.createdAt);
  return (
    <View className={`wb-table${onOpen ? ' wb-table--beside' : ''}`} id="queue-table">
      <View className="wb-table__row wb-table__head">
        {COLUMNS.map((c) => (
          <View
            key={c.key}
            id={`queue-sort-${c.key}`}
            className={`wb-table__cell wb-table__cell--${c.key}`}
            {...pressable(() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : 1 })))}
          >
            {c.label}
            {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
          </View>
        ))}
        <View className="wb-table__cell wb-table__cell--title">标题 / 来电人</View>
      </View>
      {rows.map((t) => {
        const due = rowDue(t);
        const tone = deadlineTone(due?.dueAt, t.overdue, now, warningFor(due, warningMs));
        return (
          <View
            key={t.id}
            id={`op-ticket-${t.number}`}
            className={`wb-table__row wb-table__row--${tone}${selected === t.id ? ' wb-table__row--current' : ''}`}
            data-tone={tone}
            data-state={t.state}
            aria-current={selected === t.id ? 'true' : undefined}
            {...pressable(() => (onOpen ? onOpen(t.id) : void opGo('ticket', { id: t.id })))}
          >
            <View className="wb-table__cell wb-table__cell--number">{t.number}</View>
            <View className="wb-table__cell wb-table__cell--dueAt"><DeadlineBadge item={t} now={now} warningMs={warningMs} /></View>
            <View className="wb-table__cell wb-table__cell--urgency">{URGENCY_LABELS[t.urgency]}{t.urgentHint && t.urgency === 'normal' ? '（诉求人标紧急）' : ''}{t.utilities ? ' · 水电气暖' : ''}</View>
            <View className="wb-table__cell wb-table__cell--category">{REQUEST_TYPE_LABELS[t.type] ?? t.type} · {t.category}</View>
            <View className="wb-table__cell wb-table__cell--area">{t.area ?? ''}</View>
            <View className="wb-table__cell wb-table__cell--state">{t.stateLabel}{t.supervisionLevel > 0 ? ' · 督办' : ''}{t.reworks > 0 ? ' · 重办' : ''}</View>
            <View className="wb-table__cell wb-table__cell--createdAt">{formatTime(t.createdAt)} · {CHANNEL_LABELS[t.channel]}</View>
            <View className="wb-table__cell wb-table__cell--title">
              <Text>{t.title}</Text>
              {t.requesterShown ? <Text className="muted"> {t.requesterShown}</Text> : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}
