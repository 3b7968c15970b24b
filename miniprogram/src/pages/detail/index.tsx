import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { errorMessage, residentApi } from '../../api/client';
import { useProfile } from '../../api/profile';
import type { TicketDetail } from '../../api/types';
import LoginPicker from '../../components/login-picker';
import PageShell from '../../components/page-shell';
import TicketActions from '../../components/ticket-actions';
import TicketDetailView from '../../components/ticket-detail';
import * as platform from '../../platform';
import { useSession } from '../../session';
import { Button } from '../../ui';
import { useReload } from '../../util/useReload';
import { go } from '../../util/nav';

export default function Detail() {
  const user = useSession();
  const ready = !platform.NEEDS_SIGN_IN || !!user;
  const [ticketId, setTicketId] = useState('');
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const loadedProfile = useProfile(ready);
  const profile = loadedProfile;

  const load = useCallback(async (id: string) => {
    if (!id) return;
    setLoading(true);
    try {
      setDetail(await residentApi.get(id));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useLoad((params) => setTicketId(params.id ?? ''));
  // Coming back to the page (from a notice, or another page) shows the latest progress.
  useReload(useCallback(() => load(ticketId), [load, ticketId]), ready && !!ticketId);

  if (!ready) {
    return (
      <PageShell id="page-detail">
        <LoginPicker compact />
      </PageShell>
    );
  }

  return (
    <PageShell id="page-detail">
      {error && <View className="form-error" id="form-error">{error}</View>}
      {!detail && !error && <View className="notice">正在加载…</View>}
      {detail && <TicketDetailView detail={detail} openTicket={(id) => go('detail', { id })} />}
      {detail && <TicketActions detail={detail} profile={profile} onChanged={() => void load(ticketId)} />}
      <View className="actions">
        <Button id="detail-refresh" block fill="none" loading={loading} onClick={() => void load(ticketId)}>刷新进度</Button>
      </View>
    </PageShell>
  );
}
