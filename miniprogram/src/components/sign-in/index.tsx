import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import { authApi, errorMessage, type ApiError, type SignedIn } from '../../api/client';
import * as platform from '../../platform';
import { refreshUser, signedIn } from '../../session';
import { Button, Input } from '../../ui';
import './index.scss';

type Mode = 'password' | 'sms' | 'reset' | 'invite';

/**
 * h5 sign-in for real accounts (`npm run serve`, and password accounts in the demo):
 * staff and operators with an account name or phone, password and the authenticator's 6-digit
 * code; residents with a phone number and an SMS code; a reset code from an operator; a new
 * account from an operator's invite code (staff may then add the second factor, operators must).
 */
export default function SignIn({ onSignedIn }: { onSignedIn?: () => void }) {
  const [mode, setMode] = useState<Mode>('password');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [phone, setPhone] = useState('');
  const [smsCode, setSmsCode] = useState('');
  const [resetCode, setResetCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [enrol, setEnrol] = useState<{ secret: string; uri: string } | null>(null);
  const [enrolCode, setEnrolCode] = useState('');
  const [offerTotp, setOfferTotp] = useState<SignedIn | null>(null);
  const [invite, setInvite] = useState({ code: '', name: '', login: '', phone: '', password: '' });
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      const code = (e as ApiError).code;
      if (code === 'totp-required') setNeedTotp(true);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // Until the second factor is set up (or declined) only the token is kept: the signed-in user would
  // make the page around this component replace it before the setup is finished.
  const [pending, setPending] = useState<SignedIn | null>(null);
  const finish = async (r: SignedIn) => {
    signedIn(r.token, r.user);
    setPending(null);
    setOfferTotp(null);
    setEnrol(null);
    await refreshUser();
    onSignedIn?.();
  };
  const done = async (r: SignedIn) => {
    if (r.totpEnrolment) {
      platform.setToken(r.token);
      setPending(r);
      setEnrol(await authApi.totpBegin());
      return;
    }
    await finish(r);
  };

  if (offerTotp) {
    return (
      <View className="sign-in" id="totp-offer">
        <View className="section__title">账号已创建：{offerTotp.user.name}</View>
        <View className="muted">建议为账号绑定身份验证器：之后登录除密码外还需输入手机上显示的6位动态验证码，密码泄露也无法登录。</View>
        {error && <View className="error-text" id="signin-error">{error}</View>}
        <Button
          id="totp-offer-accept"
          type="primary"
          block
          loading={busy}
          onClick={() =>
            void run(async () => {
              setEnrol(await authApi.totpBegin());
              setPending(offerTotp);
              setOfferTotp(null);
            })
          }
        >
          绑定身份验证器
        </Button>
        <Button id="totp-offer-skip" block fill="none" onClick={() => void run(() => finish(offerTotp))}>暂不绑定</Button>
      </View>
    );
  }

  if (enrol) {
    return (
      <View className="sign-in" id="totp-enrol">
        <View className="section__title">绑定身份验证器</View>
        <View className="muted">平台管理员须使用动态验证码登录，其他工作人员建议使用。请在手机身份验证器（如腾讯身份验证器、Microsoft Authenticator）中添加以下密钥，然后输入显示的6位验证码。</View>
        <View className="sign-in__secret">
          密钥：<Text id="totp-secret" selectable>{enrol.secret}</Text>
        </View>
        <View className="muted sign-in__uri" id="totp-uri">{enrol.uri}</View>
        <Input id="totp-enrol-code" value={enrolCode} maxLength={6} type="number" placeholder="6位动态验证码" onChange={setEnrolCode} />
        {error && <View className="error-text" id="signin-error">{error}</View>}
        <Button
          id="totp-enrol-submit"
          type="primary"
          block
          loading={busy}
          onClick={() =>
            void run(async () => {
              await authApi.totpConfirm(enrolCode.trim());
              if (pending) await finish(pending);
              else {
                setEnrol(null);
                await refreshUser();
                onSignedIn?.();
              }
            })
          }
        >
          完成绑定
        </Button>
      </View>
    );
  }

  return (
    <View className="sign-in" id="sign-in">
      <View className="sign-in__tabs">
        {(
          [
            ['password', '工作人员登录'],
            ['sms', '群众短信登录'],
            ['reset', '重置密码'],
            ['invite', '邀请码注册'],
          ] as const
        ).map(([m, label]) => (
          <View key={m} id={`signin-tab-${m}`} className={`sign-in__tab${mode === m ? ' sign-in__tab--active' : ''}`} onClick={() => { setMode(m); setError(''); setNotice(''); }}>
            {label}
          </View>
        ))}
      </View>
      {mode === 'password' && (
        <View>
          <Input id="signin-login" value={login} maxLength={64} placeholder="账号名或手机号" onChange={setLogin} />
          <Input id="signin-password" value={password} maxLength={128} type="password" placeholder="密码" onChange={setPassword} />
          {needTotp && <Input id="signin-totp" value={totp} maxLength={6} type="number" placeholder="身份验证器上的6位动态验证码" onChange={setTotp} />}
          {error && <View className="error-text" id="signin-error">{error}</View>}
          <Button
            id="signin-submit"
            type="primary"
            block
            loading={busy}
            onClick={() => void run(async () => done(await authApi.passwordLogin(login.trim(), password, needTotp ? totp.trim() : undefined)))}
          >
            登录
          </Button>
        </View>
      )}
      {mode === 'sms' && (
        <View>
          <Input id="sms-phone" value={phone} maxLength={11} type="number" placeholder="手机号" onChange={setPhone} />
          <View className="sign-in__row">
            <Input id="sms-code" value={smsCode} maxLength={6} type="number" placeholder="短信验证码" onChange={setSmsCode} />
            <Button
              id="sms-send"
              size="small"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await authApi.smsSend(phone.trim());
                  setNotice('验证码已发送，5分钟内有效');
                })
              }
            >
              获取验证码
            </Button>
          </View>
          {notice && <View className="muted" id="sms-notice">{notice}</View>}
          {error && <View className="error-text" id="signin-error">{error}</View>}
          <Button id="sms-submit" type="primary" block loading={busy} onClick={() => void run(async () => done(await authApi.smsLogin(phone.trim(), smsCode.trim())))}>
            登录
          </Button>
          <View className="muted">不登录也可以直接反映问题，并凭诉求编号和手机号后四位查询进度。</View>
        </View>
      )}
      {mode === 'invite' && (
        <View>
          <View className="muted">使用平台管理员发给您的一次性邀请码创建账号；账号名用于登录，3至32位小写字母、数字或 . _ -，以字母开头。</View>
          <Input id="invite-code-input" value={invite.code} maxLength={12} placeholder="邀请码" onChange={(v) => setInvite({ ...invite, code: v.toUpperCase().trim() })} />
          <Input id="invite-name" value={invite.name} maxLength={20} placeholder="姓名" onChange={(v) => setInvite({ ...invite, name: v })} />
          <Input id="invite-login" value={invite.login} maxLength={32} placeholder="账号名，如 liu.yang" onChange={(v) => setInvite({ ...invite, login: v })} />
          <Input id="invite-phone" value={invite.phone} maxLength={11} type="number" placeholder="手机号（选填，可用于登录）" onChange={(v) => setInvite({ ...invite, phone: v })} />
          <Input id="invite-password" value={invite.password} maxLength={128} type="password" placeholder="密码（至少10位，不能是常见密码）" onChange={(v) => setInvite({ ...invite, password: v })} />
          {error && <View className="error-text" id="signin-error">{error}</View>}
          <Button
            id="invite-submit"
            type="primary"
            block
            loading={busy}
            onClick={() =>
              void run(async () => {
                const r = await authApi.registerWithInvite({
                  code: invite.code, name: invite.name.trim(), login: invite.login.trim(), password: invite.password, ...(invite.phone.trim() ? { phone: invite.phone.trim() } : {}),
                });
                if (r.totpEnrolment) return done(r);
                platform.setToken(r.token);
                setOfferTotp(r);
              })
            }
          >
            创建账号并登录
          </Button>
        </View>
      )}
      {mode === 'reset' && (
        <View>
          <View className="muted">请向平台管理员索取一次性重置码（24小时内有效）。重置后需重新绑定身份验证器。</View>
          <Input id="reset-login" value={login} maxLength={64} placeholder="账号名或手机号" onChange={setLogin} />
          <Input id="reset-code" value={resetCode} maxLength={10} placeholder="10位重置码" onChange={(v) => setResetCode(v.toUpperCase())} />
          <Input id="reset-password" value={newPassword} maxLength={128} type="password" placeholder="新密码（至少10位，不能是常见密码）" onChange={setNewPassword} />
          {notice && <View className="muted" id="reset-notice">{notice}</View>}
          {error && <View className="error-text" id="signin-error">{error}</View>}
          <Button
            id="reset-submit"
            type="primary"
            block
            loading={busy}
            onClick={() =>
              void run(async () => {
                await authApi.resetPassword(login.trim(), resetCode.trim(), newPassword);
                setNotice('密码已重置，请使用新密码登录');
                setMode('password');
                setPassword('');
              })
            }
          >
            设置新密码
          </Button>
        </View>
      )}
    </View>
  );
}
