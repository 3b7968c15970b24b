/** Chinese labels for contract enums the resident sees. */
import type { RequestType } from '@shared/profiles/schema';
import { REQUEST_TYPE_LABELS } from '@shared/labels';

export { REQUEST_TYPE_LABELS };

export const REQUEST_TYPES = Object.keys(REQUEST_TYPE_LABELS) as RequestType[];
