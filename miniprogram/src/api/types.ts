/**
 * What the functions return to the app. Inputs are the shared zod contracts; outputs are these
 * shapes (the backend builds them with shared/workflow/visibility.ts).
 */
import type { FileRef, Role } from '@shared/contracts/common';
import type { Ticket } from '@shared/contracts/ticket';
import type { RequestType, Span } from '@shared/profiles/schema';
import type { CommandsOf } from '@shared/workflow/transitions';

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
  /** The state after the event. */
  stateLabel: string;
  /** The event moved the ticket to another state (older servers leave it out). */
  stateChanged?: boolean;
  note?: string;
  /** Staff and operators: `note` is for them only; the requester reads `data.publicNote`. */
  internalNote?: boolean;
  attachments: FileRef[];
  data?: Record<string, unknown>;
  actor: { role: Role; shown?: string };
}

export interface DeadlineView {
  kind: string;
  dueAt: number;
  basis: string;
}

/** Command names come from the transitions table (shared/workflow/transitions.ts). */
export type ResidentCommandType = CommandsOf<'resident'>;

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

// ---- platform operators (operator, stats, admin) ------------------------------------------------

export type OperatorQueueId = 'intake' | 'dispatch' | 'returns' | 'extensions' | 'results' | 'revisit' | 'supervision' | 'all';

/** One row of an operator queue (operator.queue; the backend's listView). */
export interface QueueItem {
  id: string;
  number: string;
  title: string;
  type: TicketView['type'];
  category: string;
  urgency?: TicketView['urgency'];
  state: string;
  stateLabel: string;
  createdAt: number;
  updatedAt: number;
  dueAt: number | null;
  /** The row's deadline reaches a year whose holidays are not loaded: counted on weekends only (暂定). */
  dueProvisional?: boolean;
  overdue: boolean;
  supervisionLevel: number;
  reworks: number;
  requesterShown?: string;
  confidential: boolean;
  area?: string;
}

export type OperatorCommandType = CommandsOf<'operator'>;

export interface RefusalGround {
  code: string;
  label: string;
  article: string;
}

/** admin.previewProfile: what a switch or an override would change, item by item. */
export interface ProfilePreview {
  id: string;
  regulation: string;
  switching: boolean;
  changes: { key: string; label: string; from: string | null; to: string | null }[];
  rules: { key: string; label: string; value: string }[];
  appliesTo: 'new-tickets';
}

/** A termination ground of the profile, with its article (baiyin 19, linyi 18, 19). */
export interface TerminationGroundView {
  code: string;
  label: string;
  article: string;
  text: string;
  by: ('platform' | 'unit')[];
  proofRequired: boolean;
  precondition: string;
}

export interface ClockPause {
  code: string;
  label: string;
  citation: Citation;
}

/** operator.get: the ticket with everything the operator's forms need. */
export interface OperatorDetail extends Omit<TicketDetail, 'allowed' | 'deadline'> {
  deadline: (DeadlineView & { status?: string; article?: string }) | null;
  actions: OperatorCommandType[];
  grounds: RefusalGround[];
  supervisionLevels: string[];
  terminationGrounds: TerminationGroundView[];
  escalation: string;
  rating: PublicProfile['rating'];
  clockPauses: ClockPause[];
  /** The emergency lines of the profile and whether a hand-off closes the ticket (anshan 20(3), pingli 7(2)). */
  emergencyHandOff: { lines: { line: string; label: string }[]; after: 'close' | 'keepOpen'; citation: Citation };
  /** Unclear duties: the article of a coordination and the profile's fallback (hohhot 12/21: the first lead unit). */
  coordination?: { citation: Citation; fallback: { rule: 'firstLeadUnit'; label: string; citation: Citation } | null };
  /** What approving the pending extension would do, by the server's calendar (null without one). */
  extensionPreview?: { from: number | null; dueAt: number; span: string; article: string } | null;
}

export interface SuggestedUnit {
  id: string;
  name: string;
  score: number;
  pastDispatches: number;
  /** This unit's return of the ticket was approved then: not recommended for it again. */
  returnedAt?: number;
}

/** A delivered (or attempted) notice in the outbox (operator.messages / staff.messages). */
export interface DeliveryView {
  id: string;
  template: TemplateKey;
  ticketId: string;
  notice: { ticketNumber: string; title: string; status: string; summary: string; at: number; page: string };
  status: 'pending' | 'delivered' | 'undeliverable' | 'failed';
  createdAt: number;
  current?: MessageTicketNow;
}

/** The ticket's state when the messages are read (a notice's own status is as it was sent). */
export interface MessageTicketNow {
  state: string;
  label: string;
  open: boolean;
}

/** The `stats` answers: inferred from shared/contracts/responses (checked against the server in test/functions/statsResponses.test.ts). */
export type { FigureTicket, FrequentRequester, Hotspots, Ratio, RepeatedRequest, RiskWarning, TrendWeek, UnitFigures } from '@shared/contracts/responses';

/** public.monthly: inferred from shared/contracts/responses/public.ts (checked against the server in test/functions/responses.test.ts). */
export type { MonthlyDisclosure, PublicFigures } from '@shared/contracts/responses';

export interface StatsPeriod {
  from: number;
  to: number;
  unitId?: string;
}

export interface UnitRecord {
  id: string;
  name: string;
  categories: string[];
  areas: string[];
  active: boolean;
}

export interface InviteView {
  code: string;
  unitId?: string;
  role: 'staff' | 'operator' | 'grid';
  createdAt: number;
  expiresAt: number;
  /** data: URL of a code to scan that opens the bind page with this invite. */
  qr?: string;
  /** The h5 bind page's link (local runtime). */
  link?: string;
}

/** admin.accounts: one person who signs in, and how. */
export interface AccountRow {
  id: string;
  name: string;
  roles: string[];
  unitId?: string;
  unitName?: string;
  login?: string;
  /** Masked: 138****1234. */
  phone?: string;
  signIn: 'password' | 'wechat' | 'none';
  totp: boolean;
  lockedUntil?: number;
  resetPendingUntil?: number;
}

/** admin.sessions / auth.sessions. */
export interface SessionView {
  id: string;
  via: 'password' | 'sms' | 'wechat' | 'demo' | 'invite';
  scope: 'full' | 'enrol';
  createdAt: number;
  expiresAt: number;
  ip?: string;
  active: boolean;
  revokedAt?: number;
  current: boolean;
}

/** admin.audit: one line of the sign-in audit log. */
export interface AuthAuditEntry {
  id: string;
  at: number;
  kind: string;
  userId?: string;
  actorId?: string;
  login?: string;
  ip?: string;
  detail?: string;
}

export interface DirectoryUser {
  id: string;
  name: string;
  roles: string[];
  unitId?: string;
}

export interface SceneRecord {
  id: string;
  place: string;
  area?: string;
  grid?: string;
  category?: string;
  createdAt?: number;
}

export interface Poster {
  scene: SceneRecord;
  platformName: string;
  /** data:image/png;base64,… of a real QR code (local runtime) or a mini-program code (CloudBase). */
  image: string;
  url?: string;
  kind: 'qrcode' | 'wxacode';
  /** The QR code would not open on a phone (PUBLIC_URL unset or local). */
  warning?: string;
}

export interface KbRecord {
  id: string;
  title: string;
  answer: string;
  keywords: string[];
  category?: string;
  unitId?: string;
  updatedAt?: number;
}

export interface CalendarInfo {
  builtIn: number[];
  loaded: { year: number; holidays: number; makeUpWorkdays: number }[];
  /** Set while a year the deadlines will soon reach is not loaded (from 1 November for next year). */
  warning?: { year: number; message: string } | null;
}

/** admin.parseNotice: the year read from a pasted State Council notice, before it is confirmed. */
export interface ParsedNoticeView {
  year: number;
  festivals: { names: string[]; holidays: string[]; makeUpWorkdays: string[]; text: string }[];
  holidays: string[];
  makeUpWorkdays: string[];
  outsideYear: string[];
  /** The year is already loaded (or built in) and would be replaced. */
  replaces: boolean;
}

/** admin.profile: the profile in force (the full policy), its overrides and the profiles on offer. */
export interface ProfileInfo {
  current: PolicyView;
  overrides: { path: string; value: unknown }[];
  available: { id: string; regulation: string; place: string }[];
}

interface SpanView {
  amount: number;
  unit: 'hours' | 'workingDays' | 'calendarDays';
}
type RuleView = SpanView & { citation: Citation };

/** The parts of a policy profile the admin page shows. */
export interface PolicyView {
  id: string;
  regulation: string;
  place: string;
  platformName: string;
  year: number;
  intake: { acceptWithin: RuleView | null; transferWithin: RuleView | null; nonAcceptanceGrounds: { code: string; label: string; citation: Citation }[] };
  handling: {
    signWithin: RuleView | null;
    returnWithin: RuleView | null;
    deadlines: Record<string, Record<string, RuleView>>;
    emergencyResponse: RuleView | null;
  };
  extension: { allowed: boolean; maxCount: number | null; length: 'original' | SpanView; citation: Citation };
  rating: { options: RatingOption[]; citation: Citation };
  rework: { maxCount: number; deadline: RuleView; citation: Citation };
  supervision: {
    levels: string[];
    triggers: string[];
    escalation: { label: string; citation: Citation };
    repeatedRequester: { count: number; withinDays: number };
    citation: Citation;
  };
  reminders: { warningWindow: SpanView };
  assessment: { figures: ('response' | 'resolution' | 'satisfaction' | 'onTime')[]; citation: Citation };
}

// ---- staff (承办单位) ---------------------------------------------------------------------------

export type InboxFilter = 'all' | 'toSign' | 'inProgress' | 'returned' | 'extensionPending' | 'rework' | 'supervised' | 'done';

/** One row of a unit's inbox (staff.inbox); the phone in `requesterShown` is masked. */
export interface InboxItem {
  id: string;
  number: string;
  title: string;
  type: RequestType;
  category: string;
  state: string;
  stateLabel: string;
  createdAt?: number;
  updatedAt?: number;
  /** The current active deadline; null once it has been missed or when none runs. */
  dueAt: number | null;
  overdue: boolean;
  supervisionLevel: number;
  reworks: number;
  requesterShown: string;
  confidential: boolean;
  area?: string;
}

export interface InboxPage {
  items: InboxItem[];
  next: string | null;
  /** The profile's amber window before a deadline. */
  warningWindow: Span;
  /** The server's clock, when the backend sends it. */
  now?: number;
  /** Subscription template ids by key (weapp), when the backend sends them. */
  subscribeTemplates?: Partial<Record<TemplateKey, string>>;
}

export type InboxCounts = Record<Exclude<InboxFilter, 'all' | 'done'>, number>;

export type StaffCommandType = CommandsOf<'staff'>;

/** The profile's rules for unit work, sent with each ticket (staff.get). */
export interface StaffRules {
  extension: {
    allowed: boolean;
    maxCount: number | null;
    length: 'original' | Span;
    totalCap: Span | null;
    mustApplyBeforeDeadline?: boolean;
    citation: Citation;
  };
  returnWithin: (Span & { citation: Citation }) | null;
  /** Revealing the full number, and a contact record before the reply (profile `handling.contact`). */
  contact?: { revealToUnit: boolean; recordBeforeReply: boolean; citation: Citation };
  returnNeedsProof: boolean;
  terminationGrounds: TerminationGroundView[];
  complaintNeedsCaseNumber: boolean;
}

export interface StaffDeadlineView extends DeadlineView {
  status: 'active' | 'met' | 'missed' | 'cancelled';
  article: string;
}

export interface StaffTicketDetail extends TicketDetail {
  deadline: StaffDeadlineView | null;
  /** Commands the server accepts from this user now. */
  actions: StaffCommandType[];
  now: number;
  myRole?: 'lead' | 'assist';
  rules: StaffRules;
  /** The profile asks for a contact record before the reply and the lead unit has none yet. */
  contactRequired?: boolean;
}

/** What the outbox delivered to this user (staff.messages). */
export interface StaffMessage {
  template: TemplateKey;
  ticketId: string;
  notice: { title: string; status: string; summary: string; at: number; ticketNumber: string; page?: string };
  status: 'pending' | 'delivered' | 'undeliverable' | 'failed';
  attempts: number;
  createdAt: number;
  current?: MessageTicketNow;
}

export type ReminderCredits = Partial<Record<TemplateKey, number>>;

/** A row of `resident.listMine`: the same shape as an operator queue row. */
export type TicketListItem = QueueItem;
