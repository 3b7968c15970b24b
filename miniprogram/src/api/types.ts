/**
 * What the functions return to the app. Inputs are the shared zod contracts; outputs are these
 * shapes (the backend builds them with shared/workflow/visibility.ts).
 */
import type { FileRef, Role } from '@shared/contracts/common';
import type { Ticket } from '@shared/contracts/ticket';
import type { RequestType } from '@shared/profiles/schema';

export interface SessionUser {
  id: string;
  name: string;
  roles: Role[];
  unitId?: string;
}

export interface DemoUser extends SessionUser {
  unitName?: string;
}

export interface RatingOption {
  value: string;
  label: string;
  countsAsSatisfied: boolean;
  dissatisfied: boolean;
}

export interface Citation {
  article: string;
  text: string;
  platformSet?: boolean;
}

/** The profile as residents see it (resident.profile). */
export interface PublicProfile {
  id: string;
  regulation: string;
  place: string;
  platformName: string;
  rating: { options: RatingOption[]; citation?: Citation };
  rework: { maxCount: number; citation?: Citation };
  withdrawal?: { allowedUntil: string; citation?: Citation };
  confidentiality?: { explanation: string; citation?: Citation };
  categories?: string[];
  requestTypes?: RequestType[];
  /** Subscription template ids by template key (weapp); absent on h5. */
  subscribeTemplates?: Partial<Record<TemplateKey, string>>;
}

export type TemplateKey = 'progress' | 'assigned' | 'dueSoon' | 'overdue' | 'supervised' | 'review';

export type TicketView = Ticket & { labels: { state: string; deadline?: string }; requesterShown?: string };

export interface TimelineItem {
  seq: number;
  type: string;
  label: string;
  at: number;
  to: string;
  stateLabel: string;
  note?: string;
  attachments: FileRef[];
  data?: Record<string, unknown>;
  actor: { role: Role; shown?: string };
}

export interface DeadlineView {
  kind: string;
  dueAt: number;
  basis: string;
}

export type ResidentCommandType = 'rate' | 'requestRework' | 'withdraw' | 'answer';

export interface TicketDetail {
  ticket: TicketView;
  timeline: TimelineItem[];
  deadline: DeadlineView | null;
  profile?: PublicProfile;
  /** Commands the viewer may issue now, decided by the server (`actions` in the response); the app falls back to the shared rules when absent. */
  allowed?: ResidentCommandType[];
  /** The profile's rating scale, sent with the ticket. */
  rating?: PublicProfile['rating'];
  /** Rework rounds: the profile's maximum and how many this ticket used. */
  rework?: { maxCount: number; used: number };
  /** The server's clock when it answered; the countdown follows it rather than the phone's. */
  now?: number;
}

export interface SubmitResult {
  ticket: TicketView;
  created: boolean;
  expected: { span: string; basis: string; article: string } | null;
}

export interface KbArticle {
  id: string;
  title: string;
  answer: string;
}

export interface SceneInfo {
  id: string;
  place: string;
  area?: string;
  grid?: string;
  category?: string;
}

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

export interface StoredFile {
  fileId: string;
  kind: FileRef['kind'];
  size?: number;
  durationSec?: number;
}
