/**
 * What the functions return to the app: every shape is inferred (`z.infer`) from the strict response
 * schemas in shared/contracts/responses, which test/functions/responses.test.ts and
 * statsResponses.test.ts check against the real server, action by action (issue 10 §4). Inputs are
 * the shared api contract; no response shape is written by hand here.
 */
import type { z } from 'zod';
import type { api } from '@shared/contracts/api';
import type { citationSchema, ratingOptionSchema } from '@shared/profiles/schema';
import type { CommandsOf } from '@shared/workflow/transitions';
import type { Delivery, OperatorDetail, PageOf, ResidentDetail, SearchItem, SessionUser, StaffDetail } from '@shared/contracts/responses';

export type {
  AccountRow, AuthAuditEntry, CalendarInfo, Credits as ReminderCredits, Delivery as DeliveryView, Delivery as StaffMessage, DeadlineView, DeadlineView as StaffDeadlineView,
  DirectoryUser, InboxCounts, InboxPage, InviteView, KbHit as KbArticle, NearbyItem, KbRecord, ListItem as TicketListItem, MonthlyDisclosure, OperatorDetail, PageOf,
  ParsedNoticeView, Poster, ProfileInfo, ProfilePreview, PublicFigures, PublicProfileView as PublicProfile, ResidentDetail, Scene as SceneInfo,
  Scene as SceneRecord, SearchItem as QueueItem, SearchItem as InboxItem, SessionUser, SessionView, StaffDetail as StaffTicketDetail, StaffRules, StoredFile,
  SubmitResult, SuggestedUnit, TemplateKey, TerminationGroundView, TicketView, TimelineItem, UnitRecord,
} from '@shared/contracts/responses';
/** The `stats` answers. */
export type { CollectiveRequest, FigureTicket, FrequentRequester, Hotspots, Ratio, RepeatedRequest, RiskWarning, TrendWeek, UnitFigures } from '@shared/contracts/responses';

/** auth.demoUsers: the same view as the signed-in user. */
export type DemoUser = SessionUser;
export type RatingOption = z.infer<typeof ratingOptionSchema>;
export type Citation = z.infer<typeof citationSchema>;
export type RefusalGround = OperatorDetail['grounds'][number];
export type ClockPause = OperatorDetail['clockPauses'][number];
export type MessageTicketNow = NonNullable<Delivery['current']>;
export type PolicyView = import('@shared/contracts/responses').ProfileInfo['current'];
export type SearchPage = PageOf<SearchItem>;
/**
 * What the shared ticket page shows of any detail answer (resident.get and lookup, staff.get,
 * operator.get): the parts they all carry, and resident.get's others where present.
 */
export type TicketDetail = Pick<ResidentDetail, 'ticket' | 'timeline' | 'deadline'> &
  Partial<Pick<ResidentDetail, 'rating' | 'rework' | 'now' | 'links' | 'requesterCount'>> & { actions?: (ResidentDetail | StaffDetail | OperatorDetail)['actions'][number][] };

/** Command names come from the transitions table (shared/workflow/transitions.ts). */
export type ResidentCommandType = CommandsOf<'resident'>;
export type OperatorCommandType = CommandsOf<'operator'>;
export type StaffCommandType = CommandsOf<'staff'>;

/** Inputs the app's pickers offer, from the api contract. */
export type OperatorQueueId = z.input<typeof api.operator.queue>['queue'];
export type InboxFilter = NonNullable<z.input<typeof api.staff.inbox>['filter']>;
export type StatsPeriod = Pick<z.input<typeof api.stats.figures>, 'from' | 'to' | 'unitId'>;
