/**
 * NutUI's Button, reachable by keyboard in a browser. Taro's h5 Button is a custom element
 * (`<taro-button-core>`) with no native button inside: no Tab stop, no role, Enter and Space do
 * nothing. A page made only of buttons (the unit's ticket page) had nothing to focus at all (axe
 * scrollable-region-focusable on its page container). On h5 each button gets a Tab stop, the
 * button role, aria-disabled, and Enter/Space activation; weapp has no keyboard and keeps the tap.
 */
import type { ComponentProps } from 'react';
import NutButton from '@nutui/nutui-react-taro/dist/es/packages/button';
import { keyboardButton } from './pressable';

export { keyboardButton };

type Props = ComponentProps<typeof NutButton>;

export function Button(props: Props) {
  const off = !!props.disabled || !!props.loading;
  const { onClick } = props;
  // NutUI passes the rest of the props on to Taro's Button element; the key event stands in for the click's.
  const keys = keyboardButton(onClick ? (e) => onClick(e as unknown as Parameters<NonNullable<Props['onClick']>>[0]) : undefined, off);
  return <NutButton {...(keys as Partial<Props>)} {...props} />;
}
