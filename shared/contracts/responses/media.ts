/** What the `media` and `timer` functions answer (issue 10 §4). */
import { z } from 'zod';
import { fileKindSchema } from '../common';

const count = z.number().int().nonnegative();

/** media.register: the stored file, with the content check's state. */
export const storedFileSchema = z
  .object({ fileId: z.string(), kind: fileKindSchema, size: count.optional(), durationSec: z.number().nonnegative().optional(), check: z.enum(['pending', 'pass', 'refused', 'unchecked']) })
  .strict();

export const mediaResponses = {
  register: storedFileSchema,
  /** A short-lived URL to the file. */
  url: z.object({ url: z.string() }).strict(),
};

/** timer.run: what one run of the timer did (cloudfunctions/lib/timer.ts TimerReport). */
export const timerReportSchema = z
  .object({
    runId: z.string(),
    claimed: count,
    reminders: count,
    overdue: count,
    supervised: count,
    skipped: count,
    failed: count,
    /** Risk warnings new this run, each sent once to the operators. */
    warnings: count,
    drained: z.object({ claimed: count, done: count, failed: count, retried: count, deliveries: count }).strict(),
    outOfTime: z.boolean(),
  })
  .strict();

export const timerResponses = { run: timerReportSchema };

export type StoredFile = z.infer<typeof storedFileSchema>;
export type TimerReport = z.infer<typeof timerReportSchema>;
