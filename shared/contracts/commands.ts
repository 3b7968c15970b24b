import { z } from 'zod';
import { LIMITS, fileRefSchema, idSchema, phoneSchema, text } from './common';
import { requestTypeSchema, urgencySchema, spanSchema } from '../profiles/schema';

const files = z.array(fileRefSchema).max(LIMITS.attachmentsPerTicket, { message: `附件不能超过${LIMITS.attachmentsPerTicket}个` });
const note = text(LIMITS.note).optional();
/** A ticket's number as the operator types it (cloudfunctions/lib/ids.ts ticketNumber; tests use their own). */
const ticketNumber = z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: '请输入正确的诉求编号' });

/** A new request, from a resident, a grid worker or an operator taking a phone call. */
export const submitInputSchema = z
  .object({
    clientRequestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: '请求编号格式不正确' }),
    type: requestTypeSchema,
    urgency: urgencySchema.default('normal'),
    /** A resident's 紧急 mark: a hint the operator confirms by classifying; it sets no deadline (issue 14 §2). */
    urgentHint: z.boolean().default(false),
    utilities: z.boolean().default(false),
    category: text(LIMITS.category),
    title: text(LIMITS.title).optional(),
    content: text(LIMITS.content, 5),
    location: z
      .object({
        address: text(LIMITS.address).optional(),
        area: text(40).optional(),
        grid: text(40).optional(),
        lat: z.number().min(-90).max(90).optional(),
        lng: z.number().min(-180).max(180).optional(),
      })
      .strict()
      .default({}),
    scene: z.string().regex(/^[\x21-\x7e]{1,32}$/, { message: '二维码场景值不正确' }).optional(),
    contact: z
      .object({
        name: text(LIMITS.name).optional(),
        phone: phoneSchema.optional(),
        /** The caller agreed to progress updates by SMS (recorded by the operator who took the call). */
        smsUpdates: z.boolean().optional(),
      })
      .strict()
      .default({}),
    confidential: z.boolean().default(false),
    /** A grid worker or operator reporting for a resident: the resident's name and phone are required. */
    onBehalf: z.boolean().default(false),
    channel: z.enum(['miniprogram', 'phone', 'grid', 'web']).optional(),
    attachments: files.default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    const count = (k: string) => v.attachments.filter((a) => a.kind === k).length;
    if (count('image') > LIMITS.imagesPerTicket) ctx.addIssue({ code: 'custom', path: ['attachments'], message: `图片不能超过${LIMITS.imagesPerTicket}张` });
    if (count('video') > LIMITS.videosPerTicket) ctx.addIssue({ code: 'custom', path: ['attachments'], message: '只能上传一段视频' });
    if (count('audio') > LIMITS.audiosPerTicket) ctx.addIssue({ code: 'custom', path: ['attachments'], message: '只能上传一段语音' });
    if (v.onBehalf && (!v.contact.name || !v.contact.phone))
      ctx.addIssue({ code: 'custom', path: ['contact'], message: '代为反映时须填写群众的姓名和电话' });
  });
export type SubmitInput = z.infer<typeof submitInputSchema>;

const ticketRef = { ticketId: idSchema, expectedVersion: z.number().int().positive().optional() };
const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...ticketRef, ...shape }).strict();

export const commandSchemas = {
  accept: cmd('accept', { note }),
  answer: cmd('answer', { answer: text(LIMITS.content), articleId: idSchema.optional() }),
  refuse: cmd('refuse', { groundCode: z.string().regex(/^[a-z0-9-]{1,60}$/), note }),
  withdraw: cmd('withdraw', { note }),
  dispatch: cmd('dispatch', {
    mode: z.enum(['single', 'lead', 'separate']),
    unitIds: z.array(idSchema).min(1).max(10),
    assistUnitIds: z.array(idSchema).max(10).default([]),
    complainedUnitId: idSchema.optional(),
    /** For the units and the platform only. */
    note,
    /** What the requester reads on the progress timeline. */
    publicNote: note,
  }),
  sign: cmd('sign', { note }),
  contact: cmd('contact', { method: z.enum(['phone', 'visit', 'sms', 'online']), note: text(LIMITS.note), result: z.enum(['reached', 'unreachable', 'declined']).default('reached') }),
  /** The lead unit reads the full number of a non-confidential requester; the reveal is the logged event. */
  revealPhone: cmd('revealPhone', {}),
  /** Confidential ticket or the unit complained about: the platform connects the call; the unit never sees the number. */
  requestRelay: cmd('requestRelay', { note: text(LIMITS.note) }),
  /** The operator who relayed the call records how it went (a contact record of the unit). */
  relayDone: cmd('relayDone', { result: z.enum(['reached', 'unreachable', 'declined']), note: text(LIMITS.note) }),
  /** A message through the platform that the requester reads in the app. */
  messageRequester: cmd('messageRequester', { message: text(LIMITS.note) }),
  requestReturn: cmd('requestReturn', { reason: text(LIMITS.reason), basis: text(LIMITS.reason).optional(), attachments: files.default([]) }),
  reviewReturn: cmd('reviewReturn', { approve: z.boolean(), note }),
  /** Unclear duties: the lead unit asks the platform to coordinate instead of returning. */
  requestCoordination: cmd('requestCoordination', { reason: text(LIMITS.reason) }),
  /** The platform's decision: the unit that handles it (the profile's fallback when omitted) and the basis. */
  coordinate: cmd('coordinate', { unitId: idSchema.optional(), basis: text(LIMITS.reason), note }),
  requestExtension: cmd('requestExtension', { reason: text(LIMITS.reason), span: spanSchema.optional() }),
  reviewExtension: cmd('reviewExtension', { approve: z.boolean(), note }),
  assistFeedback: cmd('assistFeedback', { note: text(LIMITS.note), attachments: files.default([]) }),
  reply: cmd('reply', {
    result: text(LIMITS.content),
    handler: text(LIMITS.name),
    legalBasis: text(LIMITS.reason).optional(),
    notifiedBy: text(60).optional(),
    caseNumber: text(60).optional(),
    caseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    noCaseReason: text(LIMITS.reason).optional(),
    attachments: files.default([]),
  }),
  reviewResult: cmd('reviewResult', { approve: z.boolean(), note }),
  rate: cmd('rate', { value: z.string().min(1).max(20), reason: text(LIMITS.reason).optional() }),
  revisit: cmd('revisit', { value: z.string().min(1).max(20), reason: text(LIMITS.reason).optional(), method: z.enum(['phone', 'sms', 'online']) }),
  requestRework: cmd('requestRework', { reason: text(LIMITS.reason) }),
  /** The platform's revisit of the requester (pingli 20, baiyin 17): how, what came of it, their own words. No rating. */
  recordRevisit: cmd('recordRevisit', { method: z.enum(['phone', 'sms', 'online']), result: text(LIMITS.reason), words: text(LIMITS.reason).optional() }),
  /** Passed to an emergency line of the profile (110/119/120/122, pingli's 96333), recorded on the ticket. */
  handOffEmergency: cmd('handOffEmergency', { line: z.string().regex(/^\d{3,8}$/, { message: '请选择紧急服务专线' }), note }),
  supervise: cmd('supervise', {
    level: z.number().int().min(1).max(10),
    method: z.enum(['system', 'written', 'meeting', 'onsite']),
    trigger: z.enum(['refused-to-accept', 'overdue', 'false-report', 'repeated-requester', 'many-requesters', 'dissatisfied-after-rework', 'knowledge-base-stale', 'leader-instruction']).optional(),
    note,
  }),
  escalate: cmd('escalate', { note }),
  /** `groundCode`: one of the profile's termination grounds, required where the profile lists any (baiyin 19). */
  terminate: cmd('terminate', { reason: text(LIMITS.reason), groundCode: z.string().regex(/^[a-z0-9-]{1,60}$/).optional() }),
  /** The lead unit proposes termination on a ground the profile opens to units, with proof where it asks (baiyin 19, linyi 18, 19). */
  proposeTermination: cmd('proposeTermination', { groundCode: z.string().regex(/^[a-z0-9-]{1,60}$/), reason: text(LIMITS.reason), attachments: files.default([]) }),
  /** The operator decides a unit's termination proposal; a reason either way. */
  reviewTermination: cmd('reviewTermination', { approve: z.boolean(), note: text(LIMITS.reason) }),
  /** The lead unit disputes the requester's rating of this round, with its reason and any proof (anshan 23). */
  disputeRating: cmd('disputeRating', { reason: text(LIMITS.reason), attachments: files.default([]) }),
  /** The operator decides the dispute: upheld with the platform's re-rating `value`, or rejected (the rating stands); a reason either way. */
  reviewDispute: cmd('reviewDispute', { upheld: z.boolean(), value: z.string().min(1).max(20).optional(), note: text(LIMITS.reason) }),
  /** The lead unit appeals how this ticket is counted against it (pingli 31): a ground of the profile, the rates it names, its reason and any proof. */
  appealCounting: cmd('appealCounting', {
    groundCode: z.string().regex(/^[a-z0-9-]{1,60}$/),
    metrics: z.array(z.enum(['response', 'resolution', 'satisfaction', 'onTime'])).min(1).max(4).refine((m) => new Set(m).size === m.length, { message: '统计项不能重复' }),
    reason: text(LIMITS.reason),
    attachments: files.default([]),
  }),
  /** The operator decides the appeal after checking it (pingli 31 调查核实并及时反馈): upheld takes the ticket out of the named rates of that unit; a reason either way. */
  reviewAppeal: cmd('reviewAppeal', { upheld: z.boolean(), note: text(LIMITS.reason) }),
  /** The operator records the request as improper (malicious) on a ground of the profile, with the facts (anshan 40, baiyin 29, linyi 46); operators only see the note. */
  recordMalicious: cmd('recordMalicious', { groundCode: z.string().regex(/^[a-z0-9-]{1,60}$/), note: text(LIMITS.reason) }),
  /** The requester objects to the record, in their own words. */
  objectMalicious: cmd('objectMalicious', { reason: text(LIMITS.reason) }),
  /** The operator decides the objection: upheld withdraws the record; a reason either way, told to the requester. */
  reviewObjection: cmd('reviewObjection', { upheld: z.boolean(), note: text(LIMITS.reason) }),
  close: cmd('close', { note }),
  /** The operator links this ticket to another by its number: the same matter (duplicate) or a related one; both show the link. */
  link: cmd('link', { otherNumber: ticketNumber, kind: z.enum(['duplicate', 'related']), note }),
  /**
   * A resident who has the same problem joins an open request as a co-requester (我也遇到) instead of
   * submitting their own: told of its progress and counted; `confidential` keeps their name and
   * number from the units. Reached through resident.join (the ticket is not theirs to open yet).
   */
  join: cmd('join', { confidential: z.boolean().default(false) }),
  /** The operator merges this ticket (a duplicate) into the one handled instead; its requester becomes a co-requester there. */
  merge: cmd('merge', { intoNumber: ticketNumber, note }),
  pauseClock: cmd('pauseClock', { code: z.string().min(1).max(40), note }),
  resumeClock: cmd('resumeClock', { note }),
  markOverdue: cmd('markOverdue', { kinds: z.array(z.string()).min(1) }),
  /** Operators set or change the classification; grid workers only the urgency. The deadline follows, the reason is kept. */
  classify: cmd('classify', {
    requestType: requestTypeSchema.optional(),
    category: text(LIMITS.category).optional(),
    urgency: urgencySchema.optional(),
    utilities: z.boolean().optional(),
    area: text(40).optional(),
    grid: text(40).optional(),
    reason: text(LIMITS.reason),
  }),
} as const;

export type CommandType = keyof typeof commandSchemas;
export const commandTypes = Object.keys(commandSchemas) as CommandType[];

export const commandSchema = z.discriminatedUnion('type', [
  commandSchemas.accept,
  commandSchemas.answer,
  commandSchemas.refuse,
  commandSchemas.withdraw,
  commandSchemas.dispatch,
  commandSchemas.sign,
  commandSchemas.contact,
  commandSchemas.revealPhone,
  commandSchemas.requestRelay,
  commandSchemas.relayDone,
  commandSchemas.messageRequester,
  commandSchemas.requestReturn,
  commandSchemas.reviewReturn,
  commandSchemas.requestCoordination,
  commandSchemas.coordinate,
  commandSchemas.requestExtension,
  commandSchemas.reviewExtension,
  commandSchemas.assistFeedback,
  commandSchemas.reply,
  commandSchemas.reviewResult,
  commandSchemas.rate,
  commandSchemas.revisit,
  commandSchemas.requestRework,
  commandSchemas.recordRevisit,
  commandSchemas.handOffEmergency,
  commandSchemas.supervise,
  commandSchemas.escalate,
  commandSchemas.terminate,
  commandSchemas.proposeTermination,
  commandSchemas.reviewTermination,
  commandSchemas.disputeRating,
  commandSchemas.reviewDispute,
  commandSchemas.appealCounting,
  commandSchemas.reviewAppeal,
  commandSchemas.recordMalicious,
  commandSchemas.objectMalicious,
  commandSchemas.reviewObjection,
  commandSchemas.close,
  commandSchemas.link,
  commandSchemas.merge,
  commandSchemas.join,
  commandSchemas.pauseClock,
  commandSchemas.resumeClock,
  commandSchemas.markOverdue,
  commandSchemas.classify,
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
