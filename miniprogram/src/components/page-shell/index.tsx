import { View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { useCareMode } from '../../session/care';

/** Every page's root: applies 关怀模式 and gives the page a stable id for browser tests. */
export default function PageShell({ id, children }: PropsWithChildren<{ id: string }>) {
  const care = useCareMode();
  return (
    <View id={id} className={`page${care ? ' care' : ''}`}>
      {children}
    </View>
  );
}
