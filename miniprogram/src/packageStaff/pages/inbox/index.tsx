import { View, Text } from '@tarojs/components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { INBOX_FILTERS } from '@shared/workflow/states';
import { StaffGateView, staffGate } from '../../staffGate';
import { errorMessage, staffApi } from '../../../api/client';
import type { InboxCounts, InboxFilter, InboxItem } from '../../../api/types';
import PageShell from '../../../components/page-shell';
import StaffReminders from '../../components/reminders';
import StaffTicketCard from '../../components/ticket-card';
import { useSession } from '../../../session';
import { Button, Empty } from '../../../ui';
import { FILTER_ORDER } from '../../labels';
import { noteTemplateIds } from '../../reminders';
import { lastWarningWindow, noteServerNow, noteWarningWindow, serverNow } from '../../serverClock';
import { rowDue } from '../../../tickets/rowDeadline';
import { urgencyOf } from '../../urgency';
import './index.scss';
import { useReload } from '../../../util/useReload';
import { goStaff } from '../../../util/nav';

const filterLabel = (f: InboxFilter) => (f === 'all' ? '全部' : INBOX_FILTERS[f].label);
const badge = (n: number) => (n > 99 ? '99+' : String(n));

/** A unit's inbox: the server sorts by the nearest deadline; overdue red, due soon amber. */
export default function StaffInbox() {
  const user = useSession();
  const gate = staffGate(user);
  const [filter, setFilter] = useState<InboxFilter>('all');
  const [items, setItems] = useState<InboxItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const [now, setNow] = useState(serverNow);
  const seq = useRef(0);

  const load = useCallback(async (f: InboxFilter, cursor: string | null = null) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const [page, c] = await Promise.all([staffApi.inbox(f, cursor), cursor ? Promise.resolve(null) : staffApi.counts()]);
      if (mine !== seq.current) return;
      noteWarningWindow(page.warningWindow);
      noteTemplateIds(page.subscribeTemplates);
      if (page.now) noteServerNow(page.now);
      else if (!cursor && page.items[0]) {
        // The list carries no clock: the first ticket's view brings the server's `now`.
        try {
          noteServerNow((await staffApi.get(page.items[0].id)).now);
        } catch {
          // Keep the last known offset.
        }
      }
      if (mine !== seq.current) return;
      setNow(serverNow());
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.next);
      if (c) setCounts(c);
      setError('');
      setLoaded(true);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useReload(useCallback(() => load(filter), [load, filter]), !gate);
  // Colours move with time even when nothing is reloaded.
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), 30_000);
    return () => clearInterval(t);
  }, []);

  if (gate) {
    return (
      <PageShell id="page-staff-inbox">
        <StaffGateView gate={gate} />
      </PageShell>
    );
  }

  const warn = lastWarningWindow();
  return (
    <PageShell id="page-staff-inbox">
      <View className="inbox-tabs" id="inbox-tabs">
        <View className="inbox-tabs__row">
          {FILTER_ORDER.map((f) => {
            const n = f === 'all' || f === 'done' || !counts ? 0 : counts[f] ?? 0;
            return (
              <View key={f} id={`inbox-tab-${f}`} className={`inbox-tab${filter === f ? ' inbox-tab--active' : ''}`} onClick={() => setFilter(f)}>
                <Text>{filterLabel(f)}</Text>
                {n > 0 && <Text className="inbox-tab__badge" id={`inbox-count-${f}`}>{badge(n)}</Text>}
              </View>
            );
          })}
        </View>
      </View>

      <StaffReminders compact onOpen={() => void goStaff('messages')} />
      {error && <View className="form-error" id="form-error">{error}</View>}
      {loaded && items.length === 0 && (
        <View id="inbox-empty">
          <Empty title={filter === 'all' ? '暂无待办诉求' : `没有“${filterLabel(filter)}”的诉求`} description="新派单会通过消息提醒您" />
        </View>
      )}
      <View className="inbox-list" id="inbox-list" data-filter={filter}>
        {items.map((item) => (
          <StaffTicketCard key={item.id} item={item} now={now} urgency={urgencyOf({ ...rowDue(item), dueAt: rowDue(item)?.dueAt ?? null, overdue: item.overdue }, now, warn)} onOpen={(i) => void goStaff('ticket', { id: i.id })} />
        ))}
      </View>
      <View className="actions">
        {next && (
          <Button id="inbox-more" block loading={loading} onClick={() => void load(filter, next)}>加载更多</Button>
        )}
        <Button id="inbox-refresh" block fill="none" loading={loading && !next} onClick={() => void load(filter)}>刷新</Button>
        <Button id="inbox-messages" block fill="outline" onClick={() => void goStaff('messages')}>消息与提醒</Button>
      </View>
    </PageShell>
  );
}
