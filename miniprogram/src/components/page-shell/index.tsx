import { View, Text } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { setCareMode, useCareMode } from '../../session/care';
import { keyboardButton } from '../../ui/pressable';
import './index.scss';

/**
 * Every page's root: applies 关怀模式 and gives the page a stable id for browser tests. The
 * 大字 switch sits on every page, so older users can turn larger text on wherever they are.
 */
export default function PageShell({ id, children }: PropsWithChildren<{ id: string }>) {
  const care = useCareMode();
  return (
    <View id={id} className={`page${care ? ' care' : ''}`}>
      <View className="page-shell__bar">
        <View
          className={`care-switch${care ? ' care-switch--on' : ''}`}
          id="care-switch"
          aria-checked={care}
          aria-label="关怀模式（大字）"
          onClick={() => setCareMode(!care)}
          {...keyboardButton(() => setCareMode(!care))}
          role="switch"
        >
          <Text>{care ? '大字：开' : '大字'}</Text>
        </View>
      </View>
      {children}
    </View>
  );
}
