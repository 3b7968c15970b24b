import { View, Text } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { authApi, errorMessage } from '../../api/client';
import type { DemoUser } from '../../api/types';
import { loginAs, logout, useSession } from '../../session';
import { Button, Cell, CellGroup } from '../../ui';
import SignIn from '../sign-in';
import './index.scss';

const ROLE_LABELS: Record<string, string> = { resident: '群众', grid: '网格员', staff: '承办单位', operator: '平台', system: '系统' };

/** "张明（居民）" already says who it is; a bare name gets its roles: never "张明（居民）（群众）". */
export function userLine(user: { name: string; roles: string[] }): string {
  if (/（[^）]*）$/.test(user.name)) return user.name;
  return `${user.name}（${user.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}）`;
}

/** h5 only: pick one of the local runtime's demo users. */
export default function LoginPicker({ onLoggedIn, compact }: { onLoggedIn?: () => void; compact?: boolean }) {
  const user = useSession();
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  useEffect(() => {
    if (user) return;
    authApi.demoUsers().then(setUsers, (e) => setError(errorMessage(e)));
  }, [user]);

  if (user) {
    return (
      <View className="login-picker" id="login-picker">
        <View className="row">
          <Text id="current-user">当前用户：{userLine(user)}</Text>
          <Button id="logout-button" size="small" onClick={() => logout()}>切换用户</Button>
        </View>
      </View>
    );
  }

  const pick = async (id: string) => {
    setBusy(id);
    setError('');
    try {
      await loginAs(id);
      onLoggedIn?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy('');
    }
  };

  // Production (`npm run serve`): no demo users, only real sign-in.
  if (users && users.length === 0) {
    return (
      <View className="login-picker" id="login-picker">
        <View className="section__title">登录</View>
        <SignIn onSignedIn={onLoggedIn} />
      </View>
    );
  }

  return (
    <View className="login-picker" id="login-picker">
      <View className="section__title">请选择演示用户登录</View>
      {!compact && <View className="muted">本地运行环境提供各角色的演示账号；正式小程序通过微信身份自动识别。</View>}
      {error && <View className="error-text" id="login-error">{error}</View>}
      {!users && !error && <View className="muted">正在加载…</View>}
      <CellGroup>
        {(users ?? []).map((u) => (
          // NutUI's Cell drops `id`, so the tappable row is a View that carries it.
          <View key={u.id} id={`login-user-${u.id}`} className="login-user" onClick={() => void pick(u.id)}>
            <Cell
              clickable
              title={u.name}
              description={[u.roles.map((r) => ROLE_LABELS[r] ?? r).join('、'), u.unitName].filter(Boolean).join(' · ')}
              extra={busy === u.id ? '登录中…' : '登录'}
            />
          </View>
        ))}
      </CellGroup>
      {users && !compact && (
        <View className="login-picker__accounts" id="login-accounts">
          <View className="section__title">账号密码登录</View>
          <SignIn onSignedIn={onLoggedIn} />
        </View>
      )}
    </View>
  );
}
