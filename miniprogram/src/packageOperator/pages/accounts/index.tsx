import { View, Text } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { adminApi, errorMessage } from '../../../api/client';
import type { AccountRow, AuthAuditEntry, SessionView } from '../../../api/types';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { formatTime } from '../../../util/format';
import { opGo, toast } from '../../../util/nav';
import { AUDIT_KIND_LABELS, AUDIT_FAILURES, ROLE_LABELS, SESSION_VIA_LABELS } from '../../labels';
import './index.scss';

type Tab = 'people' | 'audit';

/**
 * 账号: the people who sign in (remove, a one-time reset code, their sessions and ending one) and
 * the sign-in audit log (admin.accounts, removeUser, resetCode, sessions, revokeSession, audit).
 */
export default function Accounts() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [tab, setTab] = useState<Tab>('people');
  const [people, setPeople] = useState<AccountRow[]>([]);
  const [auditUser, setAuditUser] = useState<AccountRow | null>(null);
  const [error, setError] = useState('');

  const loadPeople = useCallback(() => adminApi.accounts(undefined, 200).then(setPeople, (e) => setError(errorMessage(e))), []);
  useLoad((params) => {
    if (params.tab === 'audit') setTab('audit');
  });
  useEffect(() => {
    if (ready) void loadPeople();
  }, [ready, loadPeople]);

  const names = new Map(people.map((p) => [p.id, p.name]));
  return (
    <OperatorShell id="page-op-accounts" active="accounts" title="账号与登录">
      <View className="op-tabs" id="accounts-tabs">
        <View id="accounts-tab-people" className={`op-tab${tab === 'people' ? ' op-tab--active' : ''}`} onClick={() => { setTab('people'); setError(''); }}>人员与会话</View>
        <View id="accounts-tab-audit" className={`op-tab${tab === 'audit' ? ' op-tab--active' : ''}`} onClick={() => { setTab('audit'); setError(''); }}>登录日志</View>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {ready && tab === 'people' && (
        <People
          people={people}
          selfId={user?.id}
          reload={loadPeople}
          onError={setError}
          onAudit={(p) => {
            setAuditUser(p);
            setTab('audit');
          }}
        />
      )}
      {ready && tab === 'audit' && <AuditLog names={names} person={auditUser} onAll={() => setAuditUser(null)} onError={setError} />}
    </OperatorShell>
  );
}

const roleText = (roles: string[]) => roles.map((r) => ROLE_LABELS[r] ?? r).join('、');

function People({ people, selfId, reload, onError, onAudit }: { people: AccountRow[]; selfId?: string; reload(): Promise<unknown>; onError(m: string): void; onAudit(p: AccountRow): void }) {
  const [removing, setRemoving] = useState<AccountRow | null>(null);
  const [issued, setIssued] = useState<{ name: string; code: string; login: string; expiresAt: number } | null>(null);
  const [sessionsOf, setSessionsOf] = useState<AccountRow | null>(null);
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [busy, setBusy] = useState('');
  const [done, setDone] = useState('');

  const act = async (key: string, work: () => Promise<void>) => {
    if (busy) return;
    setBusy(key);
    setDone('');
    try {
      await work();
      onError('');
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy('');
    }
  };
  const openSessions = (p: AccountRow) =>
    act(`sessions-${p.id}`, async () => {
      setSessionsOf(p);
      setSessions(await adminApi.sessions(p.id));
    });

  return (
    <View className="op-grid">
      <View className="section" id="accounts-people">
        <View className="section__title">平台、承办单位和网格人员</View>
        <View className="muted">移除后其所有会话立即结束；重置码交给本人，在登录页“重置密码”中使用，使用后须重新绑定身份验证器。</View>
        {people.map((p) => (
          <View key={p.id} className="acct-row" id={`account-${p.id}`} data-login={p.login ?? ''}>
            <View className="acct-row__body">
              <View className="acct-row__title">{p.name}<Text className="muted">（{roleText(p.roles)}{p.unitName ? ` · ${p.unitName}` : ''}）</Text></View>
              <View className="muted">
                {p.signIn === 'password' ? `账号：${p.login}` : p.signIn === 'wechat' ? '微信登录' : '未设置登录方式'}
                {p.phone ? ` · 手机：${p.phone}` : ''}
              </View>
              <View>
                {p.signIn === 'password' && (p.totp ? <Text className="acct-tag acct-tag--ok">已绑定身份验证器</Text> : <Text className="acct-tag">未绑定身份验证器</Text>)}
                {p.lockedUntil && <Text className="acct-tag acct-tag--warn" id={`account-${p.id}-locked`}>已锁定至 {formatTime(p.lockedUntil)}</Text>}
                {p.resetPendingUntil && <Text className="acct-tag">重置码有效至 {formatTime(p.resetPendingUntil)}</Text>}
                {p.id === selfId && <Text className="acct-tag">本人</Text>}
              </View>
            </View>
            <View className="acct-row__actions">
              <Button id={`account-${p.id}-sessions`} size="small" loading={busy === `sessions-${p.id}`} onClick={() => void openSessions(p)}>会话</Button>
              <Button id={`account-${p.id}-audit`} size="small" onClick={() => onAudit(p)}>登录日志</Button>
              {p.signIn === 'password' && (
                <Button
                  id={`account-${p.id}-reset`}
                  size="small"
                  loading={busy === `reset-${p.id}`}
                  onClick={() =>
                    void act(`reset-${p.id}`, async () => {
                      const r = await adminApi.resetCode(p.id);
                      setIssued({ name: p.name, ...r });
                      await reload();
                    })
                  }
                >
                  重置密码
                </Button>
              )}
              {p.id !== selfId && (
                <Button id={`account-${p.id}-remove`} size="small" type="danger" onClick={() => { setRemoving(p); setDone(''); }}>移除</Button>
              )}
            </View>
          </View>
        ))}
        {people.length === 0 && <View className="op-empty">暂无人员</View>}
        <Button id="accounts-invite" size="small" fill="none" onClick={() => void opGo('admin', { tab: 'staff' })}>邀请新人员</Button>
      </View>
      <View className="section" id="accounts-side">
        {removing && (
          <View className="acct-confirm" id="remove-confirm">
            <View>确认移除 {removing.name}（{roleText(removing.roles)}）？移除后其所有会话立即结束，账号无法再登录。</View>
            <View className="row admin-gap">
              <Button
                id="remove-confirm-yes"
                type="danger"
                size="small"
                loading={busy === 'remove'}
                onClick={() =>
                  void act('remove', async () => {
                    const r = await adminApi.removeUser(removing.id);
                    setDone(`已移除 ${removing.name}，结束 ${r.sessionsEnded} 个会话`);
                    setRemoving(null);
                    if (sessionsOf?.id === removing.id) setSessionsOf(null);
                    await reload();
                  })
                }
              >
                确认移除
              </Button>
              <Button id="remove-confirm-no" size="small" onClick={() => setRemoving(null)}>取消</Button>
            </View>
          </View>
        )}
        {done && <View className="notice" id="accounts-done">{done}</View>}
        {issued && (
          <View className="acct-code" id="reset-result">
            <View className="muted">{issued.name}（账号 {issued.login}）的一次性重置码，仅显示这一次</View>
            <View className="acct-code__value" id="reset-code-value">{issued.code}</View>
            <View className="muted">有效期至 {formatTime(issued.expiresAt)}。请当面或电话告知本人，在登录页“重置密码”中使用；使用后原有会话全部结束，须重新绑定身份验证器。</View>
            <Button
              id="reset-copy"
              size="small"
              onClick={() =>
                void Taro.setClipboardData({ data: issued.code }).then(() => toast('已复制'), () => toast('复制失败，请长按重置码手动复制'))
              }
            >
              复制重置码
            </Button>
          </View>
        )}
        {sessionsOf && (
          <View id="sessions-panel">
            <View className="section__title">{sessionsOf.name} 的会话</View>
            {sessions.length === 0 && <View className="muted" id="sessions-empty">暂无会话</View>}
            {sessions.map((s, i) => (
              <View key={s.id} className="acct-row" id={`session-${i}`} data-active={s.active ? '1' : '0'}>
                <View className="acct-row__body">
                  <View>
                    {SESSION_VIA_LABELS[s.via] ?? s.via}登录 · {formatTime(s.createdAt)}
                    {s.scope === 'enrol' ? '（待绑定身份验证器）' : ''}
                  </View>
                  <View className="muted">
                    {s.active ? `有效至 ${formatTime(s.expiresAt)}` : s.revokedAt ? `已于 ${formatTime(s.revokedAt)} 结束` : '已过期'}
                    {s.ip ? ` · 地址 ${s.ip}` : ''}
                  </View>
                </View>
                {s.active && (
                  <Button
                    id={`session-${i}-revoke`}
                    size="small"
                    type="danger"
                    loading={busy === `revoke-${s.id}`}
                    onClick={() =>
                      void act(`revoke-${s.id}`, async () => {
                        await adminApi.revokeSession(s.id);
                        setDone('会话已结束');
                        setSessions(await adminApi.sessions(sessionsOf.id));
                      })
                    }
                  >
                    结束会话
                  </Button>
                )}
              </View>
            ))}
          </View>
        )}
        {!removing && !issued && !sessionsOf && !done && <View className="muted">在左侧选择人员查看会话、签发重置码或移除。</View>}
      </View>
    </View>
  );
}

const PAGE = 50;

function AuditLog({ names, person, onAll, onError }: { names: Map<string, string>; person: AccountRow | null; onAll(): void; onError(m: string): void }) {
  const [items, setItems] = useState<AuthAuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const load = useCallback(
    async (before?: number) => {
      setLoading(true);
      try {
        const page = await adminApi.audit({ limit: PAGE, ...(person ? { userId: person.id } : {}), ...(before ? { before } : {}) });
        setItems((prev) => (before ? [...prev, ...page] : page));
        setMore(page.length === PAGE);
        onError('');
      } catch (e) {
        onError(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [person, onError],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const who = (id?: string) => (id ? names.get(id) ?? id : '');
  return (
    <View className="section" id="accounts-audit">
      <View className="section__title">{person ? `${person.name} 的登录日志` : '登录日志（全部）'}</View>
      <View className="muted">每次登录、失败、锁定、身份验证器绑定、重置码、会话结束和人员移除都记录在此，不可修改。</View>
      {person && <Button id="audit-all" size="small" fill="none" onClick={onAll}>查看全部</Button>}
      {items.map((a, i) => (
        <View key={a.id} id={`audit-${i}`} className={`acct-log${AUDIT_FAILURES.has(a.kind) ? ' acct-log--bad' : ''}`} data-kind={a.kind}>
          <Text className="acct-log__kind">{AUDIT_KIND_LABELS[a.kind as keyof typeof AUDIT_KIND_LABELS] ?? a.kind}</Text>
          <Text className="muted">{formatTime(a.at)}</Text>
          <View className="muted">
            {[
              a.userId ? `账号：${who(a.userId)}` : a.login ? `输入的账号：${a.login}` : '',
              a.actorId && a.actorId !== a.userId ? `操作人：${who(a.actorId)}` : '',
              a.ip ? `地址：${a.ip}` : '',
              a.detail ?? '',
            ].filter(Boolean).join(' · ')}
          </View>
        </View>
      ))}
      {!loading && items.length === 0 && <View className="op-empty" id="audit-empty">暂无记录</View>}
      <View className="actions">
        {more && <Button id="audit-more" block fill="none" loading={loading} onClick={() => void load(items[items.length - 1]?.at)}>更多</Button>}
        <Button id="audit-refresh" block fill="none" loading={loading && !more} onClick={() => void load()}>刷新</Button>
      </View>
    </View>
  );
}
