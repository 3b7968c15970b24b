import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { operatorApi } from '../../../../api/client';
import type { SessionUser } from '../../../../api/types';
import { hasRole } from '../../../../session';
import { Button } from '../../../../ui';
import './index.scss';
import { opGo } from '../../../../util/nav';

/** The home page's block for 12345 operators: 工作台 (with what waits for intake), 督办, 统计, 管理. */
export default function OperatorEntries({ user }: { user: SessionUser | null }) {
  const operator = hasRole(user, 'operator');
  const [waiting, setWaiting] = useState<{ intake: number; supervision: number } | null>(null);
  const load = useCallback(() => {
    if (!operator) return;
    Promise.all([operatorApi.queue('intake', null, 100), operatorApi.queue('supervision', null, 100)]).then(
      ([a, b]) => setWaiting({ intake: a.items.length, supervision: b.items.length }),
      () => setWaiting(null),
    );
  }, [operator]);
  useEffect(load, [load]);
  useDidShow(load);
  if (!operator) return null;
  return (
    <View className="home__role op-entries" id="operator-entries">
      <View className="section__title">12345平台</View>
      <Button id="entry-op-queue" className="home__entry" type="primary" size="large" block onClick={() => void opGo('queue')}>
        <Text>工作台</Text>
        {waiting && waiting.intake > 0 && <Text className="op-entries__badge" id="entry-op-queue-badge">{waiting.intake}</Text>}
      </Button>
      <View className="op-entries__row">
        <Button id="entry-op-board" className="op-entries__half" size="large" onClick={() => void opGo('board')}>
          <Text>督办</Text>
          {waiting && waiting.supervision > 0 && <Text className="op-entries__badge" id="entry-op-board-badge">{waiting.supervision}</Text>}
        </Button>
        <Button id="entry-op-dashboard" className="op-entries__half" size="large" onClick={() => void opGo('dashboard')}>统计</Button>
        <Button id="entry-op-admin" className="op-entries__half" size="large" onClick={() => void opGo('admin')}>管理</Button>
      </View>
      {waiting && (
        <View className="muted" id="entry-op-summary">待受理{waiting.intake}件 · 超期或督办{waiting.supervision}件</View>
      )}
    </View>
  );
}
