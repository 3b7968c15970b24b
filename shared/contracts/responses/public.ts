/** What the `public` function answers (issue 10 §4): counts and rates only, never a ticket or a person. */
import { z } from 'zod';
import { epochMs } from '../common';
import { ratioSchema } from './stats';
import { kbPublicResponses } from './kb';

const count = z.number().int().nonnegative();
export const publicFiguresSchema = z.object({ submitted: count, response: ratioSchema, resolution: ratioSchema, satisfaction: ratioSchema, onTime: ratioSchema }).strict();

/** public.monthly: one Shanghai month's figures, for all units and by unit, and the requests by category. */
export const monthlyDisclosureSchema = z
  .object({
    month: z.string(),
    from: epochMs,
    to: epochMs,
    asOf: epochMs,
    partial: z.boolean(),
    all: publicFiguresSchema,
    units: z.array(publicFiguresSchema.extend({ unitName: z.string() }).strict()),
    byCategory: z.array(z.object({ category: z.string(), count }).strict()),
  })
  .strict();

export const publicResponses = { monthly: monthlyDisclosureSchema, ...kbPublicResponses };

export type PublicFigures = z.infer<typeof publicFiguresSchema>;
export type MonthlyDisclosure = z.infer<typeof monthlyDisclosureSchema>;
