import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import LoginPicker from '../../../components/login-picker';
import PageShell from '../../../components/page-shell';
import TicketList from '../../../components/ticket-list';
import { DRAFT_STATUS_LABELS, type Draft } from '../../../drafts/queue';
import { useDraftQueue, useOnline } from '../../../drafts/useDrafts';
import { useSession } from '../../../session';
import { useMyTickets } from '../../../tickets/useMine';
import { Button, Empty } from '../../../ui';
import { formatTime } from '../../../util/format';
import { go, toast } from '../../../util/nav';
import '../report/index.scss';
import './index.scss';

/** Drafts on this device with their state, and the reports already on the platform. */
export default function GridDrafts() {
  const user = useSession();
  const queue = useDraftQueue(user?.id);
  const online = useOnline();
  const mine = useMyTickets();

  useDidShow(() => {
    if (user) void mine.reload();
  });

  if (!user || !queue) {
    return (
      <PageShell id="page-grid-drafts">
        <LoginPicker compact />
      </PageShell>
    );
  }

  const drafts = queue.list();
  const open = (d: Draft) => (d.status === 'submitted' && d.ticket ? go('detail', { id: d.ticket.id }) : go('gridReport', { id: d.id }));
  const remove = async (d: Draft) => {
    try {
      await queue.remove(d.id);
    } catch (e) {
      toast((e as Error).message);
    }
  };

  return (
    <PageShell id="page-grid-drafts">
      <View className={`grid-network grid-network--${online ? 'on' : 'off'}`} id="network-status">
        {online ? '网络正常' : '当前无网络：等待中的草稿会在联网后自动提交'}
      </View>
      <View className="section">
        <View className="section__title">本机草稿</View>
        {drafts.length === 0 && <View className="muted" id="drafts-empty">没有草稿</View>}
        <View id="draft-list">
          {drafts.map((d) => (
            <View key={d.id} id={`draft-${d.id}`} className={`draft-item draft-item--${d.status}`} data-status={d.status}>
              <View className="row draft-item__head" onClick={() => void open(d)}>
                <Text className={`draft-status draft-status--${d.status}`}>{DRAFT_STATUS_LABELS[d.status]}</Text>
                <Text className="muted">{formatTime(d.updatedAt)}</Text>
              </View>
              <View className="draft-item__content" onClick={() => void open(d)}>
                {d.form.content || '（未填写内容）'}
              </View>
              <View className="muted">
                {d.form.category || '未选类别'} · {d.media.length}个文件{d.ticket ? ` · 编号 ${d.ticket.number}` : ''}
              </View>
              {d.error && <View className="error-text">{d.error.message}</View>}
              <View className="row draft-item__buttons">
                {d.status === 'failed' && (
                  <Button className="draft-retry" size="small" type="primary" onClick={() => void queue.retry(d.id)}>重试</Button>
                )}
                {d.status !== 'uploading' && d.status !== 'submitted' && (
                  <Button className="draft-edit" size="small" onClick={() => void open(d)}>继续编辑</Button>
                )}
                {d.status !== 'uploading' && (
                  <Button className="draft-delete" size="small" onClick={() => void remove(d)}>{d.status === 'submitted' ? '移出列表' : '删除'}</Button>
                )}
              </View>
            </View>
          ))}
        </View>
        {queue.hasPending() && (
          <Button id="drafts-flush" block onClick={() => void queue.flush()}>立即提交等待中的草稿</Button>
        )}
      </View>

      <View className="actions">
        <Button id="new-report" type="primary" size="large" block onClick={() => void go('gridReport')}>现场上报</Button>
        <Button id="go-urgency" size="large" block fill="none" onClick={() => void go('gridUrgency')}>标记紧急</Button>
      </View>

      <View className="section__title grid-drafts__title">我的上报</View>
      {mine.error && <View className="form-error">{mine.error}</View>}
      {mine.loaded && mine.items.length === 0 && <Empty title="还没有上报记录" />}
      <TicketList items={mine.items} />
      {mine.next && (
        <View className="actions">
          <Button id="mine-more" block loading={mine.loading} onClick={() => void mine.more()}>加载更多</Button>
        </View>
      )}
    </PageShell>
  );
}
