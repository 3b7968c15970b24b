import { z } from 'zod';
import { LIMITS, idSchema, text } from './common';

/**
 * Reply and refusal templates (issue 14 §6): ready texts an operator or a unit picks and edits
 * before sending. `for` says whose forms offer a kind; the platform's operators keep them all.
 */
export const TEMPLATE_KINDS = {
  answer: { label: '即时答复', for: 'operator' },
  refusal: { label: '不予受理说明', for: 'operator' },
  review: { label: '审核意见', for: 'operator' },
  termination: { label: '终止办理说明', for: 'both' },
  reply: { label: '办理结果答复', for: 'unit' },
  return: { label: '退回理由', for: 'unit' },
} as const satisfies Record<string, { label: string; for: 'operator' | 'unit' | 'both' }>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;
export const templateKindSchema = z.enum(Object.keys(TEMPLATE_KINDS) as [TemplateKind, ...TemplateKind[]]);

export const replyTemplateSchema = z
  .object({
    id: idSchema.optional(),
    kind: templateKindSchema,
    title: text(40),
    text: text(LIMITS.content, 2),
  })
  .strict();
export type ReplyTemplateInput = z.infer<typeof replyTemplateSchema>;
export type ReplyTemplate = ReplyTemplateInput & { id: string; updatedAt: number };

/** At most this many templates are kept. */
export const MAX_TEMPLATES = 200;

/** The kinds a unit's forms offer. */
export const unitTemplateKinds = (Object.keys(TEMPLATE_KINDS) as TemplateKind[]).filter((k) => TEMPLATE_KINDS[k].for !== 'operator');
