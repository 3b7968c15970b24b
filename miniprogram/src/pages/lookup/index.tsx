import { View } from '@tarojs/components';
import { useState } from 'react';
import { errorMessage, residentApi } from '../../api/client';
import type { TicketDetail } from '../../api/types';
import LoginPicker from '../../components/login-picker';
import PageShell from '../../components/page-shell';
import TicketDetailView from '../../components/ticket-detail';
import * as platform from '../../platform';
import { useSession } from '../../session';
import { Button, Input } from '../../ui';

/** Look-up by ticket number and the last four digits of the phone: for requests made by phone. */
export default function Lookup() {
  const user = useSession();
  const [number, setNumber] = useState('');
  const [tail, setTail] = useState('');
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const search = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    setDetail(null);
    try {
      setDetail(await residentApi.lookup(number.trim().toUpperCase(), tail.trim()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="page-lookup">
      {platform.NEEDS_SIGN_IN && !user && <LoginPicker compact />}
      <View className="section">
        <View className="section__title">凭诉求编号查询</View>
        <View className="muted">通过电话反映的诉求，可以用短信里的诉求编号和手机号后四位查询办理进度。</View>
        <View className="field lookup__field">
          <View className="field__label field__label--required">诉求编号</View>
          <Input id="lookup-number" placeholder="例如 M261121K3J9X2A" value={number} maxLength={24} onChange={(v) => setNumber(v)} />
        </View>
        <View className="field">
          <View className="field__label field__label--required">手机号后四位</View>
          <Input id="lookup-phone-tail" type="number" placeholder="手机号后四位" value={tail} maxLength={4} onChange={(v) => setTail(v)} />
        </View>
        <Button id="lookup-submit" type="primary" block loading={busy} disabled={busy} onClick={() => void search()}>查询</Button>
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {detail && (
        <View id="lookup-result">
          <TicketDetailView detail={detail} />
        </View>
      )}
    </PageShell>
  );
}
