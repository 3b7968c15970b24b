import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { errorMessage, residentApi } from '../../api/client';
import { useProfile } from '../../api/profile';
import type { TemplateKey } from '../../api/types';
import PageShell from '../../components/page-shell';
import * as platform from '../../platform';
import { submissionFor } from '../../tickets/lastSubmission';
import { Button } from '../../ui';
import { go, goHome } from '../../util/nav';
import { formatTime } from '../../util/format';
import './index.scss';

interface Shown {
  number: string;
  state: string;
  span?: string;
  basis?: string;
  dueAt?: number;
  answer?: string;
}

const PROGRESS_KEYS: TemplateKey[] = ['progress'];

export default function Result() {
  const [ticketId, setTicketId] = useState('');
  const [answered, setAnswered] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState('');
  const [subscribed, setSubscribed] = useState<'' | 'yes' | 'no'>('');
  const profile = useProfile();

  useLoad((params) => {
    setTicketId(params.id ?? '');
    setAnswered(params.answered === '1');
    if (params.number) setShown({ number: params.number, state: '' });
  });

  useEffect(() => {
    if (!ticketId) return;
    const remembered = submissionFor(ticketId);
    if (remembered && !answered) {
      setShown({
        number: remembered.ticket.number,
        state: remembered.ticket.labels?.state ?? '',
        span: remembered.expected?.span,
        basis: remembered.expected?.basis,
        answer: remembered.answer,
      });
      return;
    }
    residentApi.get(ticketId).then(
      (d) =>
        setShown({
          number: d.ticket.number,
          state: d.ticket.labels?.state ?? '',
          basis: d.deadline?.basis ?? remembered?.expected?.basis,
          span: remembered?.expected?.span,
          dueAt: d.deadline?.dueAt,
          answer: d.ticket.answer?.text ?? remembered?.answer,
        }),
      (e) => setError(errorMessage(e)),
    );
  }, [ticketId, answered]);

  // Called straight from the tap: WeChat refuses requestSubscribeMessage outside a tap.
  const subscribe = async () => {
    try {
      const keys = await platform.requestSubscribe(profile?.subscribeTemplates ?? {}, PROGRESS_KEYS);
      if (keys.length === 0) {
        setSubscribed('no');
        return;
      }
      await residentApi.subscribe(keys);
      setSubscribed('yes');
    } catch (e) {
      setError(errorMessage(e));
      setSubscribed('no');
    }
  };

  return (
    <PageShell id="page-result">
      <View className="result__hero">
        <View className="result__icon">✓</View>
        <View className="big-text" id="result-title">{answered ? '已为您即时答复' : '提交成功'}</View>
        <View className="result__label">诉求编号</View>
        <View className="result__number" id="result-number">{shown?.number ?? ''}</View>
        {shown?.state && <View className="muted" id="result-state">{shown.state}</View>}
      </View>

      {shown?.answer && (
        <View className="section" id="result-answer">
          <View className="section__title">答复内容</View>
          <View className="pre-wrap">{shown.answer}</View>
        </View>
      )}

      {!answered && (shown?.span || shown?.basis) && (
        <View className="section" id="result-deadline">
          <View className="section__title">办理时限</View>
          {shown.span && <View className="result__span" id="result-span">{shown.span}</View>}
          {shown.dueAt && <View className="muted" id="result-due">预计办结：{formatTime(shown.dueAt)}前</View>}
          {shown.basis && <View className="muted" id="result-basis">{shown.basis}</View>}
        </View>
      )}

      {error && <View className="form-error" id="form-error">{error}</View>}

      <View className="section">
        <View className="section__title">进度提醒</View>
        <Text className="muted">开启后，诉求有进展时会通过微信服务通知告诉您。</Text>
        <View className="actions result__actions">
          <Button id="subscribe-button" type="primary" block disabled={subscribed === 'yes'} onClick={() => void subscribe()}>
            {subscribed === 'yes' ? '已开启进度提醒' : '开启进度提醒'}
          </Button>
          {subscribed && (
            <View className="muted" id="subscribe-status">{subscribed === 'yes' ? '已开启，办理进展会及时通知您' : '未开启提醒，可随时在“我的诉求”中查看进度'}</View>
          )}
        </View>
      </View>

      <View className="actions">
        <Button id="result-detail" size="large" block onClick={() => void go('detail', { id: ticketId })}>查看办理进度</Button>
        <Button id="result-home" size="large" block fill="none" onClick={() => void goHome()}>返回首页</Button>
      </View>
    </PageShell>
  );
}
