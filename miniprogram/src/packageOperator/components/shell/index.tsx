import { View, Text } from '@tarojs/components';
import { useEffect, useState, type PropsWithChildren } from 'react';
import { operatorApi } from '../../../api/client';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { goHome, type OpPage, opSwitch } from '../../../util/nav';
import LoginPicker from '../../../components/login-picker';
import PageShell from '../../../components/page-shell';
import { pressable } from '../../../ui/pressable';
import './index.scss';

const TABS: { page: OpPage; label: string }[] = [
  { page: 'queue', label: '工作台' },
  { page: 'intake', label: '来电登记' },
  { page: 'board', label: '督办' },
  { page: 'dashboard', label: '统计' },
  { page: 'admin', label: '管理' },
  { page: 'accounts', label: '账号' },
  { page: 'messages', label: '消息' },
  { page: 'kb', label: '知识库' },
  { page: 'cases', label: '典型案例' },
];

type Warning = { year: number; message: string } | null;
let warningOnce: Promise<Warning> | null = null;

/** operator.queue's calendarWarning, asked once per app start (a failed ask is asked again). */
function calendarWarning(): Promise<Warning> {
  if (!warningOnce) {
    warningOnce = operatorApi.calendarWarning().then((w) => w ?? null);
    warningOnce.catch(() => (warningOnce = null));
  }
  return warningOnce;
}

/** After a year is loaded: the next page asks again. */
export function forgetCalendarWarning(): void {
  warningOnce = null;
}

/** From 1 November while next year's holidays are not loaded: on every operator page (issue 11 §1). */
function CalendarBanner() {
  const [warning, setWarning] = useState<Warning>(null);
  useEffect(() => {
    let live = true;
    calendarWarning().then((w) => live && setWarning(w), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!warning) return null;
  return (
    <View className="form-error op-calendar-banner" id="op-calendar-warning" onClick={() => void opSwitch('admin')}>
      {warning.message}
    </View>
  );
}

/**
 * The frame of every operator page: sign-in (h5), the operator role check, the tabs between the
 * operator's pages, and a layout that also fits a PC browser.
 */
export default function OperatorShell({ id, active, title, children }: PropsWithChildren<{ id: string; active?: OpPage; title?: string }>) {
  const user = useSession();
  const signedIn = !platform.NEEDS_SIGN_IN || !!user;
  const operator = hasRole(user, 'operator');
  return (
    <PageShell id={id}>
      <View className="op-shell">
        <View className="op-nav" id="op-nav">
          <View className="op-nav__brand" id="op-nav-home" onClick={() => void goHome()}>码上反映 · 平台</View>
          <View className="op-nav__tabs">
            {TABS.map((t) => (
              <View
                key={t.page}
                id={`op-nav-${t.page}`}
                className={`op-nav__tab${active === t.page ? ' op-nav__tab--active' : ''}`}
                aria-current={active === t.page ? 'page' : undefined}
                // A link in the tab order: a keyboard user reaches 来电登记 with Tab and opens it with Enter.
                {...pressable(() => active !== t.page && void opSwitch(t.page))}
              >
                {t.label}
              </View>
            ))}
          </View>
          {user && <Text className="op-nav__user">{user.name}</Text>}
        </View>
        {title && <View className="op-title">{title}</View>}
        {!signedIn || (user && !operator) ? (
          <View className="op-login" id="op-login-required">
            {user && !operator && <View className="form-error">此页面供12345平台工作人员使用，请切换为平台账号。</View>}
            <LoginPicker compact />
          </View>
        ) : !user && platform.NEEDS_SIGN_IN ? null : (
          <>
            <CalendarBanner />
            {children}
          </>
        )}
      </View>
    </PageShell>
  );
}
