import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import LoginPicker from '../../components/login-picker';
import PageShell from '../../components/page-shell';
import TicketList from '../../components/ticket-list';
import * as platform from '../../platform';
import { useSession } from '../../session';
import { useMyTickets } from '../../tickets/useMine';
import { Button, Empty } from '../../ui';
import { go } from '../../util/nav';

export default function Mine() {
  const user = useSession();
  const ready = !platform.NEEDS_SIGN_IN || !!user;
  const list = useMyTickets();

  useDidShow(() => {
    if (ready) void list.reload();
  });
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });

  if (!ready) {
    return (
      <PageShell id="page-mine">
        <LoginPicker compact onLoggedIn={() => void list.reload()} />
      </PageShell>
    );
  }

  return (
    <PageShell id="page-mine">
      {list.error && <View className="form-error" id="form-error">{list.error}</View>}
      {list.loaded && list.items.length === 0 && (
        <View id="mine-empty">
          <Empty title="还没有反映过问题" description="遇到问题，随时可以反映" />
        </View>
      )}
      <TicketList items={list.items} />
      <View className="actions">
        {list.next && (
          <Button id="mine-more" block loading={list.loading} onClick={() => void list.more()}>加载更多</Button>
        )}
        <Button id="mine-refresh" block fill="none" loading={list.loading && !list.next} onClick={() => void list.reload()}>刷新</Button>
        <Button id="mine-new" type="primary" block onClick={() => void go('submit')}>我要反映</Button>
      </View>
    </PageShell>
  );
}
