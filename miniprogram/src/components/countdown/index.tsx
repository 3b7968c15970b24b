import { Text } from '@tarojs/components';
import { useEffect, useMemo, useState } from 'react';
import { formatRemaining } from '../../util/format';

/** "还剩 3天4小时", refreshed every half minute; `serverNow` corrects a phone whose clock is off. */
export default function Countdown({ dueAt, id, serverNow }: { dueAt: number; id?: string; serverNow?: number }) {
  const offset = useMemo(() => (serverNow ? serverNow - Date.now() : 0), [serverNow]);
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const t = setInterval(() => setNow(Date.now() + offset), 30_000);
    return () => clearInterval(t);
  }, [offset]);
  const overdue = dueAt < now;
  return (
    <Text id={id} className={`countdown${overdue ? ' countdown--overdue' : ''}`}>
      {overdue ? formatRemaining(dueAt, now) : `还剩 ${formatRemaining(dueAt, now)}`}
    </Text>
  );
}
