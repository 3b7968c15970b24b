/**
 * Keyboard use of the operator's pages in a PC browser (h5). The mini-program has no keyboard:
 * there these are no-ops. Shortcuts are written as `Alt+KeyU`, `Ctrl+Enter` (KeyboardEvent.code,
 * so they do not depend on the keyboard layout or an input method).
 */
import { useEffect, useRef } from 'react';
import { HAS_KEYBOARD } from '../ui/pressable';

export { HAS_KEYBOARD, pressable } from '../ui/pressable';

/** Moves the focus into the field with this id (its input or textarea, else the element itself). */
export function focusField(id: string): void {
  if (!HAS_KEYBOARD) return;
  const root = document.getElementById(id);
  const target = (root?.matches('input, textarea') ? root : root?.querySelector('input, textarea')) ?? root;
  (target as HTMLElement | null)?.focus();
}

function shortcutOf(e: KeyboardEvent): string {
  return [e.ctrlKey || e.metaKey ? 'Ctrl' : '', e.altKey ? 'Alt' : '', e.shiftKey ? 'Shift' : '', e.code].filter(Boolean).join('+');
}

/** Page-wide shortcuts while the page is mounted. */
export function useShortcuts(map: Record<string, () => void>): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!HAS_KEYBOARD) return undefined;
    const onKey = (e: KeyboardEvent) => {
      const run = ref.current[shortcutOf(e)] ?? (e.code === 'NumpadEnter' ? ref.current[shortcutOf(e).replace('NumpadEnter', 'Enter')] : undefined);
      if (!run) return;
      e.preventDefault();
      run();
    };
    // Capture phase: Taro's h5 textarea stops keydown from bubbling (it re-emits its own event).
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
}
