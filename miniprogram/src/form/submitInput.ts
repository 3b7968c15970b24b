/** The form both submitters fill in, and the submit input it becomes. Plain TS: jest-tested through the drafts queue. */
import type { submitInputSchema } from '../../../shared/contracts/commands';
import type { FileRef } from '../../../shared/contracts/common';
import type { RequestType } from '../../../shared/profiles/schema';

export interface TicketForm {
  type: RequestType;
  category: string;
  content: string;
  address: string;
  area?: string;
  grid?: string;
  lat?: number;
  lng?: number;
  /** The QR code's scene id, when the form was opened from one. */
  scene?: string;
  onBehalf: boolean;
  contactName: string;
  contactPhone: string;
  confidential: boolean;
  /**
   * 紧急: for a resident only a hint the operator confirms (sent as `urgentHint`); a grid worker's
   * report carries it as the urgency (issue 14 §2).
   */
  urgency?: 'normal' | 'urgent' | 'emergency';
}

export type FormIssues = { path: string; message: string }[];

export function emptyForm(): TicketForm {
  return { type: 'help', category: '', content: '', address: '', onBehalf: false, contactName: '', contactPhone: '', confidential: false };
}

const opt = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

/** Builds the submit input; `attachments` are the stored files, in order. */
export function buildSubmitInput(clientRequestId: string, f: TicketForm, attachments: FileRef[], channel?: 'grid'): Record<string, unknown> {
  const location: Record<string, unknown> = {};
  if (opt(f.address)) location.address = opt(f.address);
  if (opt(f.area)) location.area = opt(f.area);
  if (opt(f.grid)) location.grid = opt(f.grid);
  if (typeof f.lat === 'number' && typeof f.lng === 'number') Object.assign(location, { lat: f.lat, lng: f.lng });
  const contact: Record<string, string> = {};
  if (opt(f.contactName)) contact.name = opt(f.contactName)!;
  if (opt(f.contactPhone)) contact.phone = opt(f.contactPhone)!;
  return {
    clientRequestId,
    type: f.type,
    category: f.category.trim(),
    content: f.content,
    location,
    ...(opt(f.scene) ? { scene: opt(f.scene) } : {}),
    contact,
    confidential: f.confidential,
    ...(f.urgency && f.urgency !== 'normal' ? (channel === 'grid' ? { urgency: f.urgency } : { urgentHint: true }) : {}),
    onBehalf: f.onBehalf,
    ...(channel ? { channel } : {}),
    attachments,
  };
}

/**
 * Checks a form with the shared submit schema (passed in: the app loads zod on demand, see
 * api/contracts.ts); files not yet stored stand in as placeholders.
 */
export function checkForm(schema: typeof submitInputSchema, clientRequestId: string, f: TicketForm, kinds: { kind: FileRef['kind']; durationSec?: number }[], channel?: 'grid'): FormIssues {
  const placeholders = kinds.map((k) => ({ fileId: 'local:pending', kind: k.kind, ...(k.durationSec ? { durationSec: Math.min(k.durationSec, 3600) } : {}) }));
  const parsed = schema.safeParse(buildSubmitInput(clientRequestId, f, placeholders, channel));
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: fieldOf(i.path.join('.')), message: friendlier(fieldOf(i.path.join('.')), i) }));
}

/** The schema's generic wording ("至少1个字") said for the field it is about. */
function friendlier(field: string, issue: { code: string; message: string; minimum?: unknown }): string {
  if (issue.code !== 'too_small') return issue.message;
  if (field === 'category') return '请选择或填写问题类别';
  if (field === 'content') return `请描述问题，至少${String(issue.minimum ?? 5)}个字`;
  return issue.message;
}

/** Maps a schema path to the form field that shows it. */
export function fieldOf(path: string): string {
  if (path.startsWith('location.address')) return 'address';
  if (path === 'contact.name') return 'contactName';
  if (path === 'contact.phone') return 'contactPhone';
  if (path === 'contact') return 'contact';
  return path.split('.')[0];
}

export function issueFor(issues: FormIssues, field: string): string | undefined {
  return issues.find((i) => i.path === field)?.message;
}
