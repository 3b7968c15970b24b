/**
 * Where the subscription template ids (weapp) come from: staff.inbox when the backend sends them,
 * else the public profile, which only residents and grid workers may read. h5 needs no ids.
 */
import { residentApi } from '../api/client';
import type { SessionUser, TemplateKey } from '../api/types';
import { hasRole } from '../session';

type TemplateIds = Partial<Record<TemplateKey, string>>;

let known: TemplateIds | null = null;

export function noteTemplateIds(ids: TemplateIds | undefined): void {
  if (ids && Object.keys(ids).length) known = ids;
}

export async function templateIds(user: SessionUser | null): Promise<TemplateIds> {
  if (known) return known;
  if (hasRole(user, 'resident') || hasRole(user, 'grid')) {
    try {
      noteTemplateIds((await residentApi.profile()).subscribeTemplates);
    } catch {
      // No ids: weapp cannot ask; the page says so.
    }
  }
  return known ?? {};
}
