/**
 * An on/off switch that screen readers announce: role="switch" with aria-checked and a name, in the
 * Tab order with Space and Enter in a browser. It replaces NutUI's Switch, whose weapp-style
 * `ariaRole`/`ariaChecked` props reach the h5 DOM as attributes no browser knows (axe:
 * aria-valid-attr, aria-allowed-attr), so the switch was announced as a plain group.
 */
import { View } from '@tarojs/components';
import { HAS_KEYBOARD } from './pressable';
import './switch.scss';

export interface SwitchProps {
  id?: string;
  checked: boolean;
  disabled?: boolean;
  /** What the switch turns on, for screen readers (the visible label beside it). */
  label: string;
  onChange(checked: boolean): void;
}

export function Switch({ id, checked, disabled = false, label, onChange }: SwitchProps) {
  const toggle = () => {
    if (!disabled) onChange(!checked);
  };
  const keyboard = HAS_KEYBOARD
    ? {
        tabIndex: disabled ? -1 : 0,
        onKeyDown: (e: KeyboardEvent) => {
          if (e.key === ' ' || e.key === 'Enter') {
            e.preventDefault();
            toggle();
          }
        },
      }
    : {};
  return (
    <View
      id={id}
      className={`app-switch${checked ? ' app-switch--on' : ''}${disabled ? ' app-switch--disabled' : ''}`}
      role="switch"
      aria-checked={checked}
      aria-disabled={disabled}
      aria-label={label}
      onClick={toggle}
      {...keyboard}
    >
      <View className="app-switch__track">
        <View className="app-switch__knob" />
      </View>
    </View>
  );
}
