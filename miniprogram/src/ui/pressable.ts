/**
 * A View that behaves as a button for the keyboard in a browser (h5): it takes the focus (Tab),
 * and Enter or Space activate it. The mini-program has no keyboard: there it is a plain tap.
 */
export const HAS_KEYBOARD = process.env.TARO_ENV === 'h5';

/** Spread onto a View: `<View {...pressable(fn)} />`. */
export function pressable(activate: () => void, label?: string): Record<string, unknown> {
  if (!HAS_KEYBOARD) return { onClick: activate };
  return {
    onClick: activate,
    tabIndex: 0,
    role: 'button',
    ...(label ? { 'aria-label': label } : {}),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        activate();
      }
    },
  };
}

/** Attributes that make a Taro h5 button element behave as a button for the keyboard. */
export function keyboardButton(activate: ((e: KeyboardEvent) => void) | undefined, disabled = false): Record<string, unknown> {
  if (!HAS_KEYBOARD) return {};
  return {
    role: 'button',
    tabIndex: disabled ? -1 : 0,
    'aria-disabled': disabled,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      e.stopPropagation();
      if (!disabled) activate?.(e);
    },
  };
}
