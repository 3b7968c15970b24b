import { View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, usePullDownRefresh } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { OperatorCommandType } from '../../../api/types';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { warningWindowMs } from '../../components/deadline';
import SideQueue, { useSplitLayout } from '../../components/sideQueue';
import TicketPane from '../../components/ticketPane';
import { usePolicy } from '../../policy';
import '../../workbench.scss';
import { opBack } from '../../../util/nav';

/** One ticket for the operator: the request, its media and timeline, the deadline with its article, and the actions allowed now. */
export default function OperatorTicket() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [ticketId, setTicketId] = useState('');
  const [initialAction, setInitialAction] = useState<OperatorCommandType | undefined>();
  const [version, setVersion] = useState(0);
  const [refresh, setRefresh] = useState(0);
  const split = useSplitLayout();
  const policy = usePolicy(ready && split);

  useLoad((params) => {
    setTicketId(params.id ?? '');
    if (params.action) setInitialAction(params.action as OperatorCommandType);
  });
  // Shown again (back from another page) or pulled down: the pane reloads its ticket (it loads
  // on its own when it mounts, so useReload's first load would be a second one).
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && ready && ticketId) setRefresh((n) => n + 1);
    shown.current = true;
  });
  usePullDownRefresh(() => {
    setRefresh((n) => n + 1);
    void Taro.stopPullDownRefresh();
  });

  const body = ready && ticketId ? (
    <TicketPane
      ticketId={ticketId}
      initialAction={initialAction}
      refresh={refresh}
      onVersion={setVersion}
      footer={<Button id="back-to-queue" block onClick={() => void opBack('queue')}>返回</Button>}
    />
  ) : (
    <View className="notice">正在加载…</View>
  );
  // At a desktop's width the queue stays beside the ticket; a row opens its ticket in place. The
  // ticket keeps its place in the tree across the breakpoint, so a resize keeps an open form.
  return (
    <OperatorShell id="page-op-ticket" active="queue">
      <View className={split && ready ? 'wb-split' : ''} id="ticket-split">
        {split && ready && (
          <SideQueue
            current={ticketId}
            version={version}
            warningMs={warningWindowMs(policy?.current.reminders.warningWindow)}
            onOpen={(id) => {
              if (id === ticketId) return;
              setInitialAction(undefined);
              setTicketId(id);
            }}
          />
        )}
        {body}
      </View>
    </OperatorShell>
  );
}
