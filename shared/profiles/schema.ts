import { z } from 'zod';

/**
 * A policy profile: one regulation's numbers as data. A sixth city is a new file, not new code.
 * Every number carries the article that sets it; numbers the regulation leaves to the platform
 * carry `platformSet: true` and may be overridden by the operator.
 */
export const citationSchema = z.object({
  /** e.g. "第十二条第（一）项"; for a platform-set number, the article that delegates it. */
  article: z.string().min(1),
  /** The gist of the article in Chinese, shown to users next to the deadline. */
  text: z.string().min(1),
  /** True when the regulation leaves the number to the platform and this is our default. */
  platformSet: z.boolean().default(false),
});
export type Citation = z.infer<typeof citationSchema>;

/**
 * hours: elapsed time from the start; workingDays: end of the N-th working day after the start's
 * Shanghai date; calendarDays: end of the Shanghai day N days later — 0 is 当日, the end of that
 * same day (baiyin 10 "受理当日"); calendarMonths: end of the same day of the month N months later
 * (anshan 22 "两个月"), or of the month's last day when it is shorter.
 */
export const spanUnitSchema = z.enum(['hours', 'workingDays', 'calendarDays', 'calendarMonths']);
export type SpanUnit = z.infer<typeof spanUnitSchema>;

export const spanSchema = z.object({
  /** Positive; 0 only for calendarDays (当日), which deadlines.ts checks. */
  amount: z.number().nonnegative(),
  unit: spanUnitSchema,
});
export type Span = z.infer<typeof spanSchema>;

/** A deadline rule: how long, and why. */
export const deadlineRuleSchema = spanSchema.extend({ citation: citationSchema });
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

export const requestTypeSchema = z.enum(['consultation', 'help', 'complaint', 'report', 'suggestion']);
export type RequestType = z.infer<typeof requestTypeSchema>;

export const urgencySchema = z.enum(['normal', 'urgent', 'emergency']);
export type Urgency = z.infer<typeof urgencySchema>;

export const ratingOptionSchema = z.object({
  value: z.string().min(1),
  label: z.string().min(1),
  /** Counted as satisfied in the satisfaction rate. */
  countsAsSatisfied: z.boolean(),
  /** Choosing this level makes a reason mandatory and opens rework. */
  dissatisfied: z.boolean(),
});

export const nonAcceptanceGroundSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  citation: citationSchema,
});
export type NonAcceptanceGround = z.infer<typeof nonAcceptanceGroundSchema>;

/**
 * A ground on which handling may be terminated (终止办理). `by`: who may start it — the platform on
 * its own, or a unit proposing it for the platform to decide (baiyin 19, linyi 18 and 19).
 * `proofRequired`: a unit's proposal must carry 证明材料 (linyi 18, 19).
 */
export const terminationGroundSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  citation: citationSchema,
  by: z.array(z.enum(['platform', 'unit'])).min(1),
  proofRequired: z.boolean(),
  /** What must have happened first, shown to whoever terminates or proposes (e.g. 已向诉求人说明). */
  precondition: z.string().min(1),
});
export type TerminationGround = z.infer<typeof terminationGroundSchema>;

export const supervisionTriggerSchema = z.enum([
  'refused-to-accept',
  'overdue',
  'false-report',
  'repeated-requester',
  'many-requesters',
  'dissatisfied-after-rework',
  'knowledge-base-stale',
  'leader-instruction',
]);
export type SupervisionTrigger = z.infer<typeof supervisionTriggerSchema>;

export const profileSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Full title of the regulation, e.g. 平利县12345便民服务平台管理办法(试行). */
  regulation: z.string().min(1),
  /** Short name of the city or county, e.g. 平利县. */
  place: z.string().min(1),
  platformName: z.string().min(1),
  year: z.number().int(),

  /** Request types this profile accepts (anshan adds more labels, mapped onto these five). */
  requestTypes: z.array(requestTypeSchema).min(1),

  intake: z.object({
    /** Time to decide acceptance after submission; null where the regulation sets none. */
    acceptWithin: deadlineRuleSchema.nullable(),
    /** Time to transfer an accepted request to a unit. */
    transferWithin: deadlineRuleSchema.nullable(),
    /** Non-acceptance grounds; the operator must pick one of these codes to refuse. */
    nonAcceptanceGrounds: z.array(nonAcceptanceGroundSchema).min(1),
    /** Confidentiality: what the resident is told when they ask for it. */
    confidentiality: z.object({ explanation: z.string().min(1), citation: citationSchema }),
  }),

  handling: z.object({
    /** Unit must sign within this; null where the regulation sets none. */
    signWithin: deadlineRuleSchema.nullable(),
    /** Unit may apply to return within this after dispatch; null = no fixed window. */
    returnWithin: deadlineRuleSchema.nullable(),
    /** Proof attachments required with a return request (linyi 16). */
    returnNeedsProof: z.boolean(),
    /**
     * Contacting the requester: whether the assigned unit may reveal the full number of a
     * non-confidential requester (each reveal logged), and whether a contact record (time, method,
     * result) must exist before the unit replies (baiyin 14(1), pingli 10(1), linyi 17(1)).
     */
    /**
     * Unclear duties (baiyin 11(3)/13, hohhot 15(3)/20/21, pingli 9, linyi 15(3)): the platform decides
     * the unit after coordination, and that unit cannot return the ticket. `fallback`: where the
     * regulation names who handles a duty nobody takes (hohhot 12/21: 首接负责制), the unit it points to.
     */
    coordination: z.object({
      citation: citationSchema,
      fallback: z.object({ rule: z.literal('firstLeadUnit'), label: z.string().min(1), citation: citationSchema }).nullable(),
    }),
    contact: z.object({ revealToUnit: z.boolean(), recordBeforeReply: z.boolean(), citation: citationSchema }),
    /** Handling deadline by request type and urgency. */
    deadlines: z.record(requestTypeSchema, z.record(urgencySchema, deadlineRuleSchema)),
    /**
     * Emergency: the first-response window (e.g. 2 h) and its article; null where none. It is met
     * by a response — the lead unit signs and records a progress report or on-site handling
     * (`contact`) — not only by the final reply (hohhot 16(1), pingli 22).
     */
    emergencyResponse: deadlineRuleSchema.nullable(),
    /**
     * Non-emergency matters whose article window is met by finishing *or* reporting progress
     * (hohhot 16(3) "五至十个工作日内办结或者反馈办理情况"): a response deadline (kind `response`) by
     * urgency, closed like `emergencyResponse`; `deadlines` is then the finish, platform-set. null
     * where the article's number is the finish itself.
     */
    response: z.object({ normal: deadlineRuleSchema, urgent: deadlineRuleSchema }).nullable().default(null),
    /**
     * Water, power, gas and heating faults: `rule` is the finish deadline; `response`, where the
     * article sets one (pingli 22: 2小时内处理; hohhot 16(2): 二十四小时内办结或者反馈办理情况), a
     * response window met like `emergencyResponse`. `emergency`: the regulation counts these matters
     * as emergencies (pingli 22(1)(1) 突发类事项), so the window is an emergency response (kind
     * `emergencyResponse`); otherwise a plain response (kind `response`).
     */
    utilities: z.object({ rule: deadlineRuleSchema, response: deadlineRuleSchema.optional(), emergency: z.boolean().default(false), note: z.string() }).nullable(),
    /** Complaints and reports (投诉举报类) must carry a case number and date, or a reason for not filing (pingli 15(3)). */
    complaintNeedsCaseNumber: z.boolean(),
  }),

  extension: z.object({
    allowed: z.boolean(),
    /** Max number of extensions; null = no count limit set by the regulation. */
    maxCount: z.number().int().nonnegative().nullable(),
    /** Length of each extension; 'original' = as long as the original deadline (pingli 13). */
    length: z.union([z.literal('original'), spanSchema]),
    /** Cap on all extensions together, counted from the original deadline (anshan 22: 两个月). */
    totalCap: spanSchema.nullable(),
    mustApplyBeforeDeadline: z.boolean(),
    /** Matters that cannot be extended at all: pingli 13 "除突发类事项外" (emergencies and region-wide outages). */
    notFor: z.array(z.enum(['emergency', 'utilities'])).default([]),
    citation: citationSchema,
  }),

  rating: z.object({
    options: z.array(ratingOptionSchema).min(2),
    citation: citationSchema,
    /** Units may dispute a rating, leading to a re-rating (anshan 23). */
    unitMayDispute: z.boolean(),
    /** The article of the dispute procedure, where there is one (anshan 23(3) 复评). */
    disputeCitation: citationSchema.optional(),
  }),

  rework: z.object({
    /** Max rework rounds on dissatisfaction; 0 = none. */
    maxCount: z.number().int().nonnegative(),
    deadline: deadlineRuleSchema,
    /**
     * The rating after the last rework is final (pingli 20 "以第二次满意度评价为准"): once the ticket
     * is `dissatisfied`, a revisit records the requester's words but no new rating. False: a revisit
     * may record a new rating there.
     */
    lastRatingFinal: z.boolean(),
    /**
     * What a 不满意 with a rework left does. 'rework': it is sent back at once (pingli 18 "发回承办单位
     * 重办"). 'decide': the requester may ask for rework, and otherwise an operator decides — rework, or
     * archive with the explanation as the reason (baiyin 17 "再次办理或者予以说明").
     */
    onDissatisfied: z.enum(['rework', 'decide']).default('decide'),
    citation: citationSchema,
  }),

  /**
   * Emergencies passed on to the emergency lines (anshan 20(3), hohhot 12, pingli 7(2)): the lines an
   * operator may hand a ticket to, and whether the ticket then closes (the line handles it) or stays
   * open for follow-up.
   */
  emergencyHandOff: z.object({
    lines: z.array(z.object({ line: z.string().regex(/^\d{3,8}$/), label: z.string().min(1) })).min(1),
    after: z.enum(['close', 'keepOpen']),
    citation: citationSchema,
  }),

  /**
   * Termination grounds. Empty where the regulation names none (anshan, hohhot, pingli): the
   * operator may still terminate with an explanation, and no ground is asked for.
   */
  termination: z.object({ grounds: z.array(terminationGroundSchema) }),

  /**
   * Improper (malicious) requests an operator may record (anshan 40, baiyin 29, linyi 46, pingli 34):
   * the grounds with their articles, and what the article lets the platform do — dissuade and tell
   * the legal consequences (`consequence`), keep a credit file (anshan 23(4)). None of the five lets
   * the platform refuse further intake or stop a request being handled.
   */
  malicious: z.object({
    grounds: z.array(z.object({ code: z.string().regex(/^[a-z0-9-]+$/), label: z.string().min(1), citation: citationSchema })),
    /** What the requester is told (告知法律后果), with its article; absent where there are no grounds. */
    consequence: citationSchema.optional(),
    /** The record goes into the requester's credit file (anshan 23(4) 诚信档案). */
    creditFile: citationSchema.optional(),
  }),

  clockPauses: z.array(
    z.object({ code: z.string(), label: z.string(), maxSpan: spanSchema, citation: citationSchema }),
  ),

  supervision: z.object({
    triggers: z.array(supervisionTriggerSchema).min(1),
    /** Level names, lowest first, e.g. ['一般督办','重点督办','挂牌督办']. */
    levels: z.array(z.string().min(1)).min(1),
    /**
     * Escalation target after supervision fails, e.g. 政务督查. `afterMonths`: only after this many
     * calendar months of continuous non-resolution since submission (pingli 28: 连续6个月以上).
     */
    escalation: z.object({ label: z.string(), citation: citationSchema, afterMonths: z.number().int().positive().optional() }),
    /**
     * The methods have equal force (pingli 25 "均具有同等行政效力"): any method may be used again,
     * in any order; otherwise each supervision must go up a level.
     */
    methodsEqual: z.boolean().default(false),
    /** Same requester, same matter, this many times in the window → trigger. Platform-set. */
    repeatedRequester: z.object({ count: z.number().int().min(2), withinDays: z.number().int().positive() }),
    /** This many distinct requesters on one place+category in the window → trigger. Platform-set. */
    manyRequesters: z.object({ count: z.number().int().min(2), withinDays: z.number().int().positive() }),
    citation: citationSchema,
  }),

  /** Platform-set: the fewest characters a unit's reply result may have (admin 档案设置, 1..500). */
  reply: z.object({ minResultLength: z.number().int().min(1).max(500) }).default({ minResultLength: 10 }),

  reminders: z.object({
    /** Fractions of the remaining time at which "due soon" reminders go out, e.g. [0.5, 0.8]. */
    dueSoonAt: z.array(z.number().gt(0).lt(1)),
    /** Inbox shows amber when this close to the deadline. */
    warningWindow: spanSchema,
  }),

  withdrawal: z.object({
    /** States in which the requester may withdraw, by category: before handling starts. */
    allowedUntil: z.enum(['accepted', 'dispatched', 'signed']),
    citation: citationSchema,
  }),

  assessment: z.object({
    /** Which figures the regulation names, in display order. */
    figures: z.array(z.enum(['response', 'resolution', 'satisfaction', 'onTime'])).min(1),
    citation: citationSchema,
    /**
     * Units appeal how a ticket is counted against them (pingli 31): the grounds they may name, each
     * with the rates it usually concerns. Absent where the regulation has no appeal procedure.
     */
    appeal: z
      .object({
        citation: citationSchema,
        grounds: z
          .array(z.object({ code: z.string().regex(/^[a-z0-9-]+$/), label: z.string().min(1), metrics: z.array(z.enum(['response', 'resolution', 'satisfaction', 'onTime'])).min(1) }))
          .min(1),
      })
      .optional(),
  }),
});

export type PolicyProfile = z.infer<typeof profileSchema>;
export type PolicyProfileInput = z.input<typeof profileSchema>;
