import { View, Text } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { errorMessage, residentApi, type NearbyQuery } from '../../api/client';
import type { NearbyItem } from '../../api/types';
import { Button } from '../../ui';
import { formatTime } from '../../util/format';

/** The place and category of the form as 附近已有人反映 asks about them, or null while there is not enough to ask. */
export function nearbyQuery(f: { category: string; area?: string; address?: string; scene?: string }): NearbyQuery | null {
  const category = f.category.trim();
  const area = f.area?.trim();
  const address = f.address?.trim();
  const scene = f.scene?.trim();
  if (!category || (!area && !address && !scene)) return null;
  return { category, location: { ...(area ? { area } : {}), ...(address ? { address } : {}) }, ...(scene ? { scene } : {}) };
}

/**
 * 附近已有人反映 (issue 15 item 2): before submitting, the open requests of the same category at
 * the same place, with 我也遇到 to join one as a co-requester instead of submitting a new one.
 */
export default function NearbyRequests({ query, confidential, disabled, onJoined }: { query: NearbyQuery | null; confidential: boolean; disabled?: boolean; onJoined(ticketId: string): void }) {
  const [items, setItems] = useState<NearbyItem[]>([]);
  const [joining, setJoining] = useState('');
  const [error, setError] = useState('');
  const key = query ? JSON.stringify(query) : '';

  useEffect(() => {
    if (!query) {
      setItems([]);
      return;
    }
    let live = true;
    // Asked once the typing pauses, not on every keystroke.
    const timer = setTimeout(() => {
      residentApi.nearby(query).then(
        (r) => live && setItems(r),
        () => live && setItems([]),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  if (!query || items.length === 0) return null;

  const join = async (ticketId: string) => {
    if (joining) return;
    setJoining(ticketId);
    setError('');
    try {
      await residentApi.join(ticketId, query, confidential);
      onJoined(ticketId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setJoining('');
    }
  };

  return (
    <View className="section nearby" id="nearby">
      <View className="section__title">附近已有人反映</View>
      <View className="muted">如果是同一个问题，点“我也遇到”即可一起跟进，不必重复提交；办理进展会同样通知您。</View>
      {items.map((n, i) => (
        <View key={n.ticketId} className="nearby__item" id={`nearby-${i}`}>
          <View className="nearby__summary">{n.summary}</View>
          <View className="muted">
            {n.category}{n.area ? ` · ${n.area}` : ''} · {n.stateLabel} · {formatTime(n.createdAt)}
          </View>
          <View className="row nearby__foot">
            <Text className="nearby__count" id={`nearby-${i}-count`}>已有{n.requesterCount}位市民反映</Text>
            {n.joined ? (
              <Text className="muted" id={`nearby-${i}-joined`}>您已反映</Text>
            ) : (
              <Button id={`nearby-${i}-join`} size="small" type="primary" loading={joining === n.ticketId} disabled={disabled || !!joining} onClick={() => void join(n.ticketId)}>
                我也遇到
              </Button>
            )}
          </View>
        </View>
      ))}
      {error && <View className="form-error" id="nearby-error">{error}</View>}
    </View>
  );
}
