/**
 * Each notice opens a page its recipient may use: residents the public detail page, unit staff the
 * staff package, operators the operator package (the staff function refuses operators). Through
 * runEffects, with the CloudBase directory store on the fake database and a recording notifier.
 */
import { CloudDirectoryStore } from '../../cloudfunctions/adapters/cloudbase/directoryStore';
import type { Deps } from '../../cloudfunctions/lib/deps';
import { runEffects } from '../../cloudfunctions/lib/effects';
import type { DeliveryResult, Notice, Notifier, Recipient } from '../../shared/ports';
import type { Effect } from '../../shared/workflow/effects';
import { FakeCloudDb } from './fakeCloudDb';
import { T0, draft } from './helpers';
import fs from 'node:fs';
import path from 'node:path';

/** The pages of the mini-program as app.config.ts declares them (main package and subpackages). */
function appPages(): string[] {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', 'miniprogram', 'src', 'app.config.ts'), 'utf8');
  const main = /pages:\s*\[([^\]]*)\]/.exec(src)?.[1] ?? '';
  const out = [...main.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  for (const sub of src.matchAll(/root:\s*'([^']+)',\s*pages:\s*\[([^\]]*)\]/g)) out.push(...[...sub[2]!.matchAll(/'([^']+)'/g)].map((m) => `${sub[1]}/${m[1]}`));
  return out;
}

class RecordingNotifier implements Notifier {
  sent: { to: Recipient; notice: Notice }[] = [];
  async send(to: Recipient, notice: Notice): Promise<DeliveryResult> {
    this.sent.push({ to, notice });
    return { status: 'delivered', attempts: 1 };
  }
}

it('operator notices open the operator package, staff notices the staff package, requester notices the detail page', async () => {
  const directory = new CloudDirectoryStore(new FakeCloudDb());
  await directory.putUser({ id: 'r-1', name: '居民', roles: ['resident'], openid: 'o-r' });
  await directory.putUser({ id: 'op-1', name: '平台', roles: ['operator'], openid: 'o-op' });
  await directory.putUser({ id: 'st-1', name: '承办', roles: ['staff'], unitId: 'u-cg', openid: 'o-st' });
  const notifier = new RecordingNotifier();
  const deps = { directory, notifier } as unknown as Deps;
  const { ticket, event } = draft({ reporter: 'r-1' });
  const effects: Effect[] = [
    { kind: 'notify', audience: { kind: 'operators' }, template: 'review', ticketId: ticket.id, summary: '承办单位申请退回' },
    { kind: 'notify', audience: { kind: 'units', unitIds: ['u-cg'] }, template: 'assigned', ticketId: ticket.id, summary: '新派单' },
    { kind: 'notify', audience: { kind: 'requester' }, template: 'progress', ticketId: ticket.id, summary: '已受理' },
  ];
  await runEffects(deps, ticket, { ...event, at: T0 }, effects);
  const pages = Object.fromEntries(notifier.sent.map((s) => [s.to.userId, s.notice.page]));
  expect(pages).toEqual({
    'op-1': `packageOperator/pages/ticket/index?id=${ticket.id}`,
    'st-1': `packageStaff/pages/ticket/index?id=${ticket.id}`,
    'r-1': `pages/detail/index?id=${ticket.id}`,
  });
  // Every page a notice opens is a page of the app.
  for (const page of Object.values(pages)) expect(appPages()).toContain(page.split('?')[0]);
});
