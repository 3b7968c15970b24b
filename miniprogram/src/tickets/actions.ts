/**
 * What the requester may do with a ticket now. The server decides (`allowed` in resident.get);
 * without it, the app reads the shared workflow rules, and the server still has the last word.
 */
import { COMMAND_RULES } from '@shared/workflow/rules';
import type { StateId } from '@shared/workflow/states';
import type { PublicProfile, RatingOption, TicketDetail } from '../api/types';

export interface ResidentActions {
  rate: boolean;
  rework: boolean;
  withdraw: boolean;
  reworksLeft: number;
  /** The rating given in this round, if any. */
  rated?: RatingOption;
}

export function residentActions(detail: TicketDetail, profile: PublicProfile | null): ResidentActions {
  const t = detail.ticket;
  const options = detail.rating?.options ?? profile?.rating.options ?? [];
  const round = detail.rework?.used ?? t.counters?.reworks ?? 0;
  const ratingThisRound = (t.ratings ?? []).find((r) => r.round === round);
  const rated = ratingThisRound ? options.find((o) => o.value === ratingThisRound.value) : undefined;
  const reworksLeft = Math.max(0, (detail.rework?.maxCount ?? profile?.rework.maxCount ?? 0) - round);
  if (detail.actions) {
    return { rate: detail.actions.includes('rate'), rework: detail.actions.includes('requestRework'), withdraw: detail.actions.includes('withdraw'), reworksLeft, rated };
  }
  const state = t.state as StateId;
  return {
    rate: COMMAND_RULES.rate.from.includes(state) && !ratingThisRound,
    rework: COMMAND_RULES.requestRework.from.includes(state) && !!rated?.dissatisfied && reworksLeft > 0,
    withdraw: COMMAND_RULES.withdraw.from.includes(state) && t.firstSignedAt === undefined,
    reworksLeft,
    rated,
  };
}
