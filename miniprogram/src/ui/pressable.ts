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
