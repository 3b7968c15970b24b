import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../../shared/ports';
import { shanghaiDateOf } from '../../shared/calendar';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function random(n: number, alphabet = ALPHABET): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

/**
 * Ticket numbers read aloud on the phone: `M` + yymmdd (Shanghai) + 7 characters without I/O,
 * so 34^7 ≈ 5×10^10 per day: no coordination needed between function instances.
 */
export const randomIds: IdGenerator = {
  ticketId: () => `t${Date.now().toString(36)}${random(10).toLowerCase()}`,
  ticketNumber: (now: number) => `M${shanghaiDateOf(now).slice(2).replace(/-/g, '')}${random(7)}`,
  id: (prefix: string) => `${prefix}_${random(12).toLowerCase()}`,
};
