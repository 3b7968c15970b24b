/** Chinese labels for contract enums the resident sees. */
import type { RequestType } from '@shared/profiles/schema';

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
};

export const REQUEST_TYPES = Object.keys(REQUEST_TYPE_LABELS) as RequestType[];
