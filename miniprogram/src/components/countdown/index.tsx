import { Text } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { formatRemaining } from '../../util/format';

/** "还剩 3天4小时", refreshed every half minute. */
export default function Countdown({ dueAt, id }: { dueAt: number; id?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const overdue = dueAt < now;
  return (
    <Text id={id} className={`countdown${overdue ? ' countdown--overdue' : ''}`}>
      {overdue ? formatRemaining(dueAt, now) : `还剩 ${formatRemaining(dueAt, now)}`}
    </Text>
  );
}
