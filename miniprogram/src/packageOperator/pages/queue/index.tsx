import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OPERATOR_QUEUES } from '@shared/workflow/states';
import { errorMessage, operatorApi } from '../../../api/client';
import type { OperatorQueueId } from '../../../api/types';
import { warningWindowMs } from '../../components/deadline';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { usePolicy } from '../../policy';
import FilterBar from '../../components/filterBar';
import QueueTable from '../../components/queueTable';
import { useSplitLayout } from '../../components/sideQueue';
import TicketPane from '../../components/ticketPane';
import { pressable } from '../../../ui/pressable';
import { filtersFromParams, filtersToParams, searchQueue, type TicketFilters, type WorkbenchRow } from '../../workbench';
import '../../workbench.scss';
import { useReload } from '../../../util/useReload';
import { opSwitch } from '../../../util/nav';

const QUEUES: { id: OperatorQueueId; label: string }[] = [
  ...(Object.keys(OPERATOR_QUEUES) as (keyof typeof OPERATOR_QUEUES)[]).map((id) => ({ id, label: OPERATOR_QUEUES[id].label as string })),
  { id: 'all', label: '全部' },
];
const COUNT_LIMIT = 100;

/** 工作台: the operator's queues with their counts, each sorted by the nearest deadline. */
export default function OperatorQueue() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const policy = usePolicy(ready);
  const [queue, setQueue] = useState<OperatorQueueId>('intake');
  const [items, setItems] = useState<WorkbenchRow[]>([]);
  const [filters, setFilters] = useState<TicketFilters | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<Partial<Record<OperatorQueueId, string>>>({});
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [now, setNow] = useState(Date.now());
  // At a desktop's width the table stays on the left and the chosen ticket opens on the right.
  const split = useSplitLayout();
  const [selected, setSelected] = useState('');
  const [paneRefresh, setPaneRefresh] = useState(0);

  const loadCounts = useCallback(async () => {
    const pairs = await Promise.all(
      QUEUES.filter((q) => q.id !== 'all').map(async (q) => {
        try {
          const page = await operatorApi.queue(q.id, null, COUNT_LIMIT);
          return [q.id, page.next ? `${COUNT_LIMIT}+` : String(page.items.length)] as const;
        } catch {
          return [q.id, '?'] as const;
        }
      }),
    );
    setCounts(Object.fromEntries(pairs));
  }, []);

  const load = useCallback(async (q: OperatorQueueId, f: TicketFilters, more?: string | null) => {
    setLoading(true);
    try {
      const page = await searchQueue(q, f, more ?? null, 50);
      setItems((old) => (more ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setError('');
      setNow(Date.now());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
      setLoaded(true);
    }
  }, []);

  const reload = useCallback(() => Promise.all([filters ? load(queue, filters) : Promise.resolve(), loadCounts()]), [load, loadCounts, queue, filters]);

  useLoad((params) => {
    const q = params.queue as OperatorQueueId | undefined;
    if (q && QUEUES.some((x) => x.id === q)) setQueue(q);
    // The filters live in the URL: a search can be shared as a link.
    const f = filtersFromParams(params as Record<string, string | undefined>);
    setFilters(f);
    if (Object.keys(f).length && !q) setQueue('all');
  });
  useReload(reload, ready, () => setPaneRefresh((n) => n + 1));
  // The first row opens on the right until the operator picks another; a ticket that leaves the
  // queue after a command stays open, so its new state can be read.
  useEffect(() => {
    if (split && items.length && !selected) setSelected(items[0]!.id);
  }, [split, items, selected]);
  // A command in the pane changes the ticket's version: the list follows (the ticket may leave this queue).
  const seen = useRef<{ id: string; version: number } | null>(null);
  const onVersion = useCallback(
    (version: number) => {
      const last = seen.current;
      seen.current = { id: selected, version };
      if (last && last.id === selected && last.version !== version) void reload();
    },
    [selected, reload],
  );

  const warningMs = warningWindowMs(policy?.current.reminders.warningWindow);

  const list = (
    <View className="wb-queue" id="queue-list">
      <View className="op-tabs" id="queue-tabs">
        {QUEUES.map((q) => (
          <View
            key={q.id}
            id={`queue-tab-${q.id}`}
            className={`op-tab${queue === q.id ? ' op-tab--active' : ''}`}
            aria-current={queue === q.id ? 'true' : undefined}
            {...pressable(() => {
              if (q.id === queue) return;
              setQueue(q.id);
              setItems([]);
              setSelected('');
              setLoaded(false);
            })}
          >
            {q.label}
            {q.id !== 'all' && <Text className="op-tab__count" id={`queue-count-${q.id}`}>{counts[q.id] ?? '…'}</Text>}
          </View>
        ))}
      </View>
      {filters && <FilterBar value={filters} onApply={(f) => void opSwitch('queue', { queue, ...filtersToParams(f) })} />}
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && !error && <View className="op-empty" id="queue-empty">此队列暂无诉求</View>}
      <QueueTable items={items} now={now} warningMs={warningMs} {...(split ? { selected, onOpen: setSelected } : {})} />
      <View className="actions">
        {next && filters && <Button id="queue-more" block loading={loading} onClick={() => void load(queue, filters, next)}>加载更多</Button>}
        <Button id="queue-refresh" block fill="none" loading={loading && !next} onClick={() => void reload()}>刷新</Button>
      </View>
      <View className="muted op-legend" id="queue-legend">
        <Text>期限颜色：</Text>
        <Text className="op-deadline op-deadline--overdue">已超期</Text>
        <Text> </Text>
        <Text className="op-deadline op-deadline--warning">{`${policy ? '预警期内' : '临近期限'}`}</Text>
        <Text> </Text>
        <Text className="op-deadline op-deadline--ok">正常</Text>
      </View>
    </View>
  );

  return (
    <OperatorShell id="page-op-queue" active="queue">
      {/* The list keeps its place in the tree across the breakpoint, so a resize keeps its state. */}
      <View className={split && ready ? 'wb-split wb-split--queue' : ''} id="queue-split">
        {list}
        {split && ready && (selected ? <TicketPane ticketId={selected} refresh={paneRefresh} onVersion={onVersion} /> : <View className="wb-pane muted" id="ticket-pane-empty">选择左侧的工单查看和办理</View>)}
      </View>
    </OperatorShell>
  );
}
