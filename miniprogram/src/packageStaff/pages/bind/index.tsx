import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { LIMITS } from '@shared/contracts/limits';
import { errorMessage, staffApi, type ApiError } from '../../../api/client';
import LoginPicker from '../../../components/login-picker';
import PageShell from '../../../components/page-shell';
import * as platform from '../../../platform';
import { refreshUser, useSession } from '../../../session';
import { Button, Input } from '../../../ui';
import '../../form.scss';
import { goStaff } from '../../../util/nav';

const CODE = /^[A-Z0-9]{6,12}$/;

/** Joins a unit with the invite code an operator issued (admin.invite); the user becomes its staff. */
export default function StaffBind() {
  const user = useSession();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<string | null>(null);

  // An invite shared as a link or a code carries `?code=`.
  useLoad((params) => {
    // A mini-program code carries it as its scene.
    const given = params.code ?? params.scene;
    if (given) setCode(decodeURIComponent(String(given)).toUpperCase());
  });

  if (platform.NEEDS_SIGN_IN && !user) {
    return (
      <PageShell id="page-staff-bind">
        <View className="notice">请先登录，再使用邀请码绑定单位</View>
        <LoginPicker compact />
      </PageShell>
    );
  }

  const submit = async () => {
    if (busy) return;
    const c = code.trim().toUpperCase();
    const n = name.trim() || (user?.name ?? '').trim();
    const found: Record<string, string> = {};
    if (!CODE.test(c)) found.code = '邀请码为6～12位字母或数字';
    if (!n) found.name = '请填写您的姓名';
    else if ([...n].length > LIMITS.name) found.name = `姓名不能超过${LIMITS.name}个字`;
    setIssues(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError('');
    try {
      const u = await staffApi.redeemInvite(c, n);
      await refreshUser();
      setJoined(u.unitName ?? u.unitId ?? '');
    } catch (e) {
      setError(errorMessage(e));
      const fieldIssues = (e as ApiError).issues ?? [];
      if (fieldIssues.length) setIssues(Object.fromEntries(fieldIssues.map((i) => [i.path.split('.')[0], i.message])));
    } finally {
      setBusy(false);
    }
  };

  if (joined !== null) {
    return (
      <PageShell id="page-staff-bind">
        <View className="section" id="bind-done">
          <View className="section__title">绑定成功</View>
          <View>
            您已加入 <Text id="bind-unit">{joined}</Text>，可以办理本单位的诉求了。
          </View>
          <View className="muted">建议开启消息提醒，及时收到新派单和期限提醒。</View>
        </View>
        <View className="actions">
          <Button id="bind-go-inbox" type="primary" size="large" block onClick={() => void goStaff('inbox')}>进入收件箱</Button>
          <Button id="bind-go-messages" block onClick={() => void goStaff('messages')}>开启消息提醒</Button>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell id="page-staff-bind">
      <View className="section staff-form">
        <View className="section__title">使用邀请码加入承办单位</View>
        <View className="muted">邀请码由12345平台工作人员发放，一码一人，7天内有效。</View>
        {user?.unitId && (
          <View className="notice" id="bind-current">您当前已绑定单位；使用新的邀请码将改为加入新单位。</View>
        )}
        <View className="field staff-bind__field">
          <View className="field__label field__label--required">邀请码</View>
          <Input id="bind-code" value={code} maxLength={12} placeholder="如 AB12CD34" onChange={(v) => setCode(v.toUpperCase())} />
          {issues.code && <View className="error-text" id="error-code">{issues.code}</View>}
        </View>
        <View className="field">
          <View className="field__label field__label--required">您的姓名</View>
          <Input id="bind-name" value={name} maxLength={LIMITS.name} placeholder={user?.name ? `默认：${user.name}` : '真实姓名'} onChange={setName} />
          {issues.name && <View className="error-text" id="error-name">{issues.name}</View>}
        </View>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      <View className="actions">
        <Button id="bind-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void submit()}>绑定</Button>
      </View>
    </PageShell>
  );
}
