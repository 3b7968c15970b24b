import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { staffApi } from '../../../../api/client';
import type { InboxCounts, SessionUser } from '../../../../api/types';
import { hasRole } from '../../../../session';
import { Button } from '../../../../ui';
import './index.scss';
import { goStaff } from '../../../../util/nav';

const total = (c: InboxCounts) => c.toSign + c.inProgress + c.returned + c.extensionPending;

/**
 * The home page's block for handling-unit staff: 收件箱 with the count to sign, 消息, and 绑定单位
 * for staff without a unit. Residents and grid workers get a quiet link to join a unit with an invite.
 */
export default function StaffEntries({ user }: { user: SessionUser | null }) {
  const staff = hasRole(user, 'staff');
  const bound = staff && !!user?.unitId;
  const [counts, setCounts] = useState<InboxCounts | null>(null);

  const load = useCallback(() => {
    if (!bound) return;
    staffApi.counts().then(setCounts, () => setCounts(null));
  }, [bound]);
  useEffect(load, [load, user?.unitId]);
  useDidShow(load);

  if (!user) return null;
  if (!staff) {
    if (hasRole(user, 'operator')) return null;
    return (
      <View className="staff-entries__join" id="entry-staff-join" onClick={() => void goStaff('bind')}>
        承办单位工作人员？使用邀请码加入 ›
      </View>
    );
  }
  return (
    <View className="home__role staff-entries" id="staff-entries">
      <View className="section__title">承办单位</View>
      {bound ? (
        <>
          <Button id="entry-staff-inbox" className="home__entry" type="primary" size="large" block onClick={() => void goStaff('inbox')}>
            <Text>收件箱</Text>
            {counts && counts.toSign > 0 && <Text className="staff-entries__badge" id="entry-staff-inbox-badge">{counts.toSign > 99 ? '99+' : counts.toSign}</Text>}
          </Button>
          {counts && (
            <View className="muted staff-entries__summary" id="entry-staff-summary">
              待签收{counts.toSign}件 · 办理中{counts.inProgress}件 · 在办共{total(counts)}件{counts.supervised ? ` · 督办${counts.supervised}件` : ''}
            </View>
          )}
          <Button id="entry-staff-messages" className="home__entry" size="large" block onClick={() => void goStaff('messages')}>消息与提醒</Button>
        </>
      ) : (
        <Button id="entry-staff-bind" className="home__entry" type="primary" size="large" block onClick={() => void goStaff('bind')}>绑定单位</Button>
      )}
    </View>
  );
}
