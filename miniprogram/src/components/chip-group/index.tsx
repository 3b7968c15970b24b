import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { pressable } from '../../ui/pressable';

export interface ChipOption<T extends string | number> {
  value: T;
  label: ReactNode;
  /** The element id; `${idPrefix}-${value}` when left out. */
  id?: string;
  /** Shown but not choosable (e.g. a supervision level already reached). */
  disabled?: boolean;
  className?: string;
}

interface Props<T extends string | number> {
  options: readonly ChipOption<T>[];
  /** The chosen value; anything not among the options chooses none. */
  value: T | '' | undefined;
  onChange: (value: T) => void;
  idPrefix: string;
  id?: string;
  className?: string;
  disabled?: boolean;
}

/** One choice out of a row of chips, each a toggle button (aria-pressed) that the keyboard can reach. */
export default function ChipGroup<T extends string | number>({ options, value, onChange, idPrefix, id, className, disabled }: Props<T>) {
  return (
    <View className={`chip-group${className ? ` ${className}` : ''}`} id={id}>
      {options.map((o) => {
        const active = value === o.value;
        const off = disabled || o.disabled;
        return (
          <View
            key={String(o.value)}
            id={o.id ?? `${idPrefix}-${o.value}`}
            className={`chip${active ? ' chip--active' : ''}${o.disabled ? ' chip--disabled' : ''}${o.className ? ` ${o.className}` : ''}`}
            aria-pressed={active}
            aria-disabled={off || undefined}
            {...pressable(() => {
              if (!off) onChange(o.value);
            })}
          >
            {o.label}
          </View>
        );
      })}
    </View>
  );
}
