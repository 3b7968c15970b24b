/** What a staff page shows before it can work: the demo sign-in (h5), or the way to join a unit. */
import { View } from '@tarojs/components';
import LoginPicker from '../components/login-picker';
import type { SessionUser } from '../api/types';
import * as platform from '../platform';
import { hasRole } from '../session';
import { Button } from '../ui';
import { goStaff } from '../util/nav';

export type Gate = 'sign-in' | 'bind' | null;

/** null when the user is staff of a unit. */
export function staffGate(user: SessionUser | null): Gate {
  if (platform.NEEDS_SIGN_IN && !user) return 'sign-in';
  if (!user) return null; // weapp: the session loads in the background; calls still work by OPENID.
  return hasRole(user, 'staff') && user.unitId ? null : 'bind';
}

export function StaffGateView({ gate, onLoggedIn }: { gate: Exclude<Gate, null>; onLoggedIn?(): void }) {
  if (gate === 'sign-in') return <LoginPicker compact onLoggedIn={onLoggedIn} />;
  return (
    <View className="section" id="staff-not-bound">
      <View className="section__title">您还没有加入承办单位</View>
      <View className="muted">请向平台工作人员索取邀请码，绑定后即可查看本单位的待办诉求。</View>
      <View className="actions">
        <Button id="staff-go-bind" type="primary" block onClick={() => void goStaff('bind')}>使用邀请码绑定单位</Button>
      </View>
    </View>
  );
}
