import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import DeadlineBadge from './deadline';
import { HAS_KEYBOARD, pressable } from '../keyboard';
import { searchQueue, type WorkbenchRow } from '../workbench';

/** The width from which the operator's ticket page shows the queue beside the ticket. */
const SPLIT_QUERY = '(min-width: 1280px)';

/** True in a PC browser at 1280 px or wider (h5 only; the mini-program has one column). */
export function useSplitLayout(): boolean {
  const [wide, setWide] = useState(() => HAS_KEYBOARD && typeof window !== 'undefined' && window.matchMedia(SPLIT_QUERY).matches);
  useEffect(() => {
    if (!HAS_KEYBOARD) return undefined;
    const m = window.matchMedia(SPLIT_QUERY);
    // Settled widths only: a passing resize (a full-page capture, a window being dragged) would
    // otherwise unmount the ticket beside the queue and lose an open form.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const on = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setWide(m.matches), 300);
    };
    m.addEventListener('change', on);
    return () => {
      clearTimeout(timer);
      m.removeEventListener('change', on);
    };
  }, []);
  return wide;
}

/**
 * The open tickets, nearest deadline first, beside the ticket on a desktop: a row opens its ticket
 * in place, so an operator works down the queue without going back and forth.
 */
export default function SideQueue({ current, version, warningMs, onOpen }: { current: string; version: number; warningMs: number; onOpen(id: string): void }) {
  const [rows, setRows] = useState<WorkbenchRow[] | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    let live = true;
    searchQueue('all', {}, null, 40).then(
      (p) => {
        if (!live) return;
        setRows([...p.items].sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity)));
        setNow(Date.now());
      },
      () => live && setRows([]),
    );
    return () => {
      live = false;
    };
    // The list follows the ticket's changes (version) as well as the ticket shown.
  }, [current, version]);
  return (
    <View className="wb-side" id="side-queue">
      <View className="wb-side__title">待办工单（按期限）</View>
      {rows === null && <View className="muted">正在加载…</View>}
      {rows?.length === 0 && <View className="muted">暂无待办工单</View>}
      {rows?.map((r) => (
        <View key={r.id} id={`side-ticket-${r.number}`} className={`wb-side__row${r.id === current ? ' wb-side__row--current' : ''}`} aria-current={r.id === current ? 'true' : undefined} {...pressable(() => onOpen(r.id))}>
          <View className="wb-side__head">
            <Text className="wb-side__number">{r.number}</Text>
            <Text className="muted"> {r.stateLabel}</Text>
          </View>
          <View className="wb-side__text">{r.title}</View>
          <DeadlineBadge item={r} now={now} warningMs={warningMs} />
        </View>
      ))}
    </View>
  );
}
