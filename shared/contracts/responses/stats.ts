/**
 * What the `stats` function answers, action by action (issue 10 §4: response types once). The
 * functions' tests check the answers against these (strict: no field more, none missing); the
 * app takes its types from them with `z.infer`.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** A rate's numerator over its denominator; `rate` is null when nothing was counted. */
export const ratioSchema = z.object({ numerator: count, denominator: count, rate: z.number().min(0).max(1).nullable() }).strict();

/** The figures of one key of a period (shared/metrics/facts.ts Figures, without its key). */
const figureFields = {
  submitted: count,
  response: ratioSchema,
  resolution: ratioSchema,
  satisfaction: ratioSchema,
  onTime: ratioSchema,
  extensions: count,
  returns: count,
  /** Upheld appeals of the period (pingli 31). */
  appeals: count,
};

/** stats.figures: '*' (全部单位) first, then one row per lead unit. */
export const unitFiguresSchema = z.object({ unitId: z.string(), unitName: z.string(), ...figureFields }).strict();

/** stats.trend: one row per Shanghai week of the period. */
export const trendWeekSchema = z.object({ weekStart: z.number().int(), submitted: count, figures: z.object({ unitId: z.string(), ...figureFields }).strict().nullable() }).strict();

const keyCount = z.object({ key: z.string(), count }).strict();
/** stats.hotspots: the 20 busiest categories and areas. */
export const hotspotsSchema = z.object({ byCategory: z.array(keyCount), byArea: z.array(keyCount) }).strict();

/** stats.rates: the figures under one dimension, each with its Chinese label. */
export const rateRowSchema = z.object({ key: z.string(), label: z.string(), ...figureFields }).strict();

/** One ticket behind a figure. */
export const figureTicketSchema = z.object({ ticketId: z.string(), number: z.string(), at: z.number().int(), outcome: z.string() }).strict();
/** stats.figureTickets: the tickets behind a figure, a page at a time. */
export const figureTicketsSchema = z.object({ items: z.array(figureTicketSchema), next: z.string().nullable() }).strict();

/** stats.warnings: a category, an area or a category within an area whose week exceeds its 8-week median. */
export const warningSchema = z
  .object({
    dimension: z.enum(['category', 'area', 'areaCategory']),
    key: z.string(),
    area: z.string().optional(),
    category: z.string().optional(),
    label: z.string(),
    weekStart: z.number().int(),
    count,
    median: z.number().nonnegative(),
    baseline: z.array(count).length(8),
  })
  .strict();

/** stats.repeated: one category at one place, asked about more than once. */
export const repeatedRequestSchema = z.object({ category: z.string(), place: z.string(), count, requesters: count, numbers: z.array(z.string()) }).strict();

/** stats.frequentRequesters: name and phone masked. */
export const frequentRequesterSchema = z.object({ requester: z.string(), phone: z.string(), count, categories: z.array(z.string()) }).strict();

/** stats.exportCsv: a file name and its UTF-8 text (with BOM). */
export const csvExportSchema = z.object({ filename: z.string(), csv: z.string() }).strict();

const periodSchema = z.object({ from: z.number().int(), to: z.number().int() }).strict();
const briefFigure = z.object({ submitted: count, response: ratioSchema, resolution: ratioSchema, satisfaction: ratioSchema, onTime: ratioSchema }).strict();
const comparedSchema = z.object({ key: z.string(), count, previous: count, lastYear: count }).strict();
/** stats.briefing: a week's or month's 简报 with the period before and the same period a year earlier. */
export const briefingSchema = z
  .object({
    kind: z.enum(['week', 'month']),
    title: z.string(),
    period: periodSchema,
    previousPeriod: periodSchema,
    lastYearPeriod: periodSchema,
    partial: z.boolean(),
    figures: z.object({ current: briefFigure, previous: briefFigure, lastYear: briefFigure }).strict(),
    categories: z.array(comparedSchema),
    areas: z.array(comparedSchema),
    units: z.array(briefFigure.extend({ unitName: z.string() }).strict()),
    repeated: z.array(z.object({ category: z.string(), place: z.string(), count, requesters: count }).strict()),
  })
  .strict();
/** stats.collective: a ticket several requesters asked about (baiyin 23(5), linyi 30): the matter and the count, no one's identity. */
export const collectiveRequestSchema = z
  .object({
    ticketId: z.string(),
    number: z.string(),
    title: z.string(),
    category: z.string(),
    place: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    requesterCount: count,
    /** The ticket carries the many-requesters supervision trigger. */
    manyRequesters: z.boolean(),
  })
  .strict();
/** stats.briefingXlsx: a file name and the workbook, base64. */
export const xlsxExportSchema = z.object({ filename: z.string(), base64: z.string() }).strict();

export const statsResponses = {
  briefing: briefingSchema,
  briefingXlsx: xlsxExportSchema,
  figures: z.array(unitFiguresSchema),
  trend: z.array(trendWeekSchema),
  hotspots: hotspotsSchema,
  rates: z.array(rateRowSchema),
  figureTickets: figureTicketsSchema,
  warnings: z.array(warningSchema),
  repeated: z.array(repeatedRequestSchema),
  collective: z.array(collectiveRequestSchema),
  frequentRequesters: z.array(frequentRequesterSchema),
  exportCsv: csvExportSchema,
};

export type Ratio = z.infer<typeof ratioSchema>;
export type UnitFigures = z.infer<typeof unitFiguresSchema>;
export type TrendWeek = z.infer<typeof trendWeekSchema>;
export type Hotspots = z.infer<typeof hotspotsSchema>;
export type RateRow = z.infer<typeof rateRowSchema>;
export type RiskWarning = z.infer<typeof warningSchema>;
export type FigureTicket = z.infer<typeof figureTicketSchema>;
export type RepeatedRequest = z.infer<typeof repeatedRequestSchema>;
export type CollectiveRequest = z.infer<typeof collectiveRequestSchema>;
export type FrequentRequester = z.infer<typeof frequentRequesterSchema>;
export type Briefing = z.infer<typeof briefingSchema>;
