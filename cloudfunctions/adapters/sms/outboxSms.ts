import type { SmsSender } from '../../lib/accounts';
import type { SqliteDb } from '../sqlite/db';

/**
 * The demo's SMS: each message goes to the `sms_outbox` table and the console instead of a phone,
 * so the whole sign-in can be walked without an SMS contract. Never used by `npm run serve`.
 */
export class OutboxSmsSender implements SmsSender {
  private readonly insert;
  private readonly latest;

  constructor(db: SqliteDb, private readonly now: () => number, private readonly print: (line: string) => void = (l) => console.log(l)) {
    this.insert = db.prepare('INSERT INTO sms_outbox (phone, text, at) VALUES (?, ?, ?)');
    this.latest = db.prepare('SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1').pluck();
  }

  async send(phone: string, code: string, minutes: number): Promise<void> {
    const text = `【码上反映】您的登录验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略本短信。`;
    this.insert.run(phone, text, this.now());
    this.print(`[sms outbox] ${phone}: ${text}`);
  }

  /** The newest message to a number (the demo's dev hook and tests read it). */
  lastTo(phone: string): string | null {
    return (this.latest.get(phone) as string | undefined) ?? null;
  }
}
