/**
 * What the staff pages last heard from the server about time: its clock (`now` of staff.get)
 * and the profile's warning window (staff.inbox). Deadlines are judged on the server's time, and a
 * phone's clock can be minutes or days off (a test moves the server's).
 */
import type { Span } from '../../../shared/profiles/schema';

let offsetMs = 0;
let warningWindow: Span = { amount: 1, unit: 'workingDays' };

export function noteServerNow(now: number | undefined): void {
  if (typeof now === 'number' && Number.isFinite(now)) offsetMs = now - Date.now();
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}

export function noteWarningWindow(w: Span | undefined): void {
  if (w) warningWindow = w;
}

export function lastWarningWindow(): Span {
  return warningWindow;
}
