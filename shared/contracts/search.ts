import { z } from 'zod';
import { LIMITS, idSchema, text } from './common';
import { urgencySchema } from '../profiles/schema';

const instant = z.number().int().nonnegative().max(8_640_000_000_000_000);

/**
 * Search filters of the operator's queue and a unit's inbox, all optional and ANDed. The app keeps
 * them in the page URL, so a search can be shared. Each is answered from a store index.
 */
export const ticketFiltersSchema = z
  .object({
    number: z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{6,24}$/, { message: '工单编号格式不正确' })).optional(),
    /** The whole number, or its last four digits. */
    phone: z.string().trim().regex(/^\d{4}$|^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, { message: '请输入完整电话号码或后四位' }).optional(),
    /** Words in the title, content or address; each word needs two characters or more. */
    text: text(60).optional(),
    /** Assigned to this unit (operators only). */
    unitId: idSchema.optional(),
    category: text(LIMITS.category).optional(),
    area: text(40).optional(),
    state: z.string().regex(/^[A-Za-z]{1,30}$/, { message: '未知的状态' }).optional(),
    channel: z.enum(['miniprogram', 'phone', 'grid', 'web']).optional(),
    urgency: urgencySchema.optional(),
    utilities: z.boolean().optional(),
    /** overdue: a deadline was missed; atRisk: the next deadline falls within the profile's warning window. */
    due: z.enum(['overdue', 'atRisk']).optional(),
    /** Created in [from, to). */
    from: instant.optional(),
    to: instant.optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, { message: '开始日期须早于结束日期', path: ['to'] });
export type TicketFilters = z.infer<typeof ticketFiltersSchema>;
