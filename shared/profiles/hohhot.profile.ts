import type { PolicyProfileInput } from './schema';

/**
 * 呼和浩特市接诉即办工作条例 (2022), seed 002. Platform: 12345 接诉即办平台.
 *
 * 第十六条 sets the handling windows: emergencies 2 hours, water/power/gas/heating 24 hours, all
 * other matters 5–10 working days "按照轻重缓急". We read the range as urgent = 5, normal = 10; both
 * ends are statutory. Each window is met by finishing *or* reporting progress ("办结或者反馈办理情况"),
 * so each is a response deadline (signing plus a recorded progress report or contact, or the reply)
 * and the finish after it is platform-set: 16(1) `emergencyResponse`, 16(2) `utilities.response`,
 * 16(3) `response`; their finish numbers are in `deadlines` and `utilities.rule`.
 * 第十六条第（四）项 (matters in legal procedures follow the statutory procedure) is not a number.
 */

const normalTen = { article: '第十六条第（三）项', text: '其他事项按照轻重缓急，五至十个工作日内办结或者反馈办理情况' };
const urgentFive = { article: '第十六条第（三）项', text: '其他事项按照轻重缓急，五至十个工作日内办结或者反馈办理情况；紧急的五个工作日' };
/**
 * 16(3) is met by finishing or reporting progress within 5–10 working days; the article sets no time
 * to finish after a report. Ours: twice the window, 20 working days (urgent 10).
 */
const normalFinish = { article: '第十六条第（三）项', text: '五至十个工作日内办结或者反馈办理情况；反馈后的办结时限由平台设定', platformSet: true };
const urgentFinish = { article: '第十六条第（三）项', text: '紧急的五个工作日内办结或者反馈办理情况；反馈后的办结时限由平台设定', platformSet: true };
const twoHours = { article: '第十六条第（一）项', text: '突发事件、紧急情况以及可能造成生命财产损失的诉求，二小时内办结或者反馈办理情况' };
/**
 * 16(1) is met by a response within two hours (signing plus a recorded progress report or on-site
 * handling: `emergencyResponse`, closed by the lead unit's `contact`); the article sets no time to
 * finish after that report, so the finish deadline is platform-set.
 */
const emergencyFinish = { article: '第十六条第（一）项', text: '二小时内办结或者反馈办理情况；反馈后的办结时限由平台设定', platformSet: true };

export const hohhotProfile: PolicyProfileInput = {
  id: 'hohhot',
  regulation: '呼和浩特市接诉即办工作条例',
  place: '呼和浩特市',
  platformName: '12345政务服务便民热线接诉即办平台',
  year: 2022,

  requestTypes: ['consultation', 'help', 'complaint', 'report', 'suggestion'],

  intake: {
    acceptWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第十四条', text: '无法在线答复的，及时受理并生成诉求工单；受理时限由平台设定', platformSet: true },
    },
    transferWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第十四条', text: '根据职权法定、属地管理、分级负责的原则派单至承办单位；派单时限由平台设定', platformSet: true },
    },
    nonAcceptanceGrounds: [
      {
        code: 'out-of-jurisdiction',
        label: '不属于本市行政管辖范围内事项',
        citation: { article: '第十一条第一款第（一）项', text: '不属于本市行政管辖范围内的事项不予受理' },
      },
      {
        code: 'emergency-line',
        label: '应当通过110、119、120、122等紧急服务热线处理的紧急事项',
        citation: { article: '第十一条第一款第（二）项', text: '应当通过110、119、120、122等紧急服务热线处理的紧急事项不予受理' },
      },
      {
        code: 'litigation-or-petition',
        label: '依法应当通过或者已进入诉讼、仲裁、纪检监察、行政复议、政府信息公开等法定途径和已进入信访渠道办理的事项',
        citation: { article: '第十一条第一款第（三）项', text: '应当通过或者已进入诉讼、仲裁、纪检监察、行政复议、政府信息公开等法定途径和信访渠道的事项不予受理' },
      },
      {
        code: 'duplicate-no-new-facts',
        label: '正在办理或者办理完毕，且没有新情况、新理由又重复提出同一诉求的事项',
        citation: { article: '第十一条第一款第（四）项', text: '正在办理或者办理完毕，无新情况、新理由重复提出的同一诉求不予受理' },
      },
      {
        code: 'historical-issue-in-progress',
        label: '已按相关政策推进解决的历史遗留问题',
        citation: { article: '第十一条第一款第（五）项', text: '已按相关政策推进解决的历史遗留问题不予受理' },
      },
      {
        code: 'beyond-duty-or-time-limit',
        label: '超出承办单位职责范围的或者法定时限的事项',
        citation: { article: '第十一条第一款第（六）项', text: '超出承办单位职责范围的或者法定时限的事项不予受理（可经诉求人同意转志愿者组织，第二十三条）' },
      },
      {
        code: 'unlawful',
        label: '违反法律法规、违背公序良俗的事项',
        citation: { article: '第十一条第一款第（七）项', text: '违反法律法规、违背公序良俗的事项不予受理' },
      },
    ],
    confidentiality: {
      explanation: '您的身份信息及诉求内容不会泄露给无关的第三方，涉及国家秘密、商业秘密和个人隐私的内容依法保密。',
      citation: { article: '第三十二条', text: '不得泄露不宜公开内容，不得将诉求人身份信息及诉求内容泄露给无关的第三方' },
    },
  },

  handling: {
    signWithin: {
      amount: 24,
      unit: 'hours',
      citation: { article: '第十九条第一款第（一）项', text: '承办单位应当及时联系诉求人；签收时限由平台设定', platformSet: true },
    },
    // 第十五条第（四）项: objections go through the 派单异议审核机制; no window is set.
    returnWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第十五条第（四）项', text: '承办单位对职责、管辖有异议的，依照派单异议审核机制申请退单重派；申请时限由平台设定', platformSet: true },
    },
    returnNeedsProof: false,
    coordination: { citation: { article: '第十五条第（三）项、第二十条', text: '权责不明确、管辖不清晰的，依照派单工作机制派单；由市、旗县区人民政府协调确定主办单位和协办单位' }, fallback: { rule: 'firstLeadUnit', label: '首接单位（首接负责制）', citation: { article: '第十二条、第二十一条', text: '对职责边界不清或者职责交叉的实行首接负责制；存在职责争议的，以市人民政府相关部门为主办单位' } } },
    contact: { revealToUnit: true, recordBeforeReply: true, citation: { article: '第十九条第（一）项', text: '承办单位依法履行职责，及时联系诉求人，了解诉求具体情况，听取诉求人意见建议' } },
    deadlines: {
      consultation: {
        normal: { amount: 20, unit: 'workingDays', citation: normalFinish },
        urgent: { amount: 10, unit: 'workingDays', citation: urgentFinish },
        emergency: { amount: 2, unit: 'workingDays', citation: emergencyFinish },
      },
      help: {
        normal: { amount: 20, unit: 'workingDays', citation: normalFinish },
        urgent: { amount: 10, unit: 'workingDays', citation: urgentFinish },
        emergency: { amount: 2, unit: 'workingDays', citation: emergencyFinish },
      },
      complaint: {
        normal: { amount: 20, unit: 'workingDays', citation: normalFinish },
        urgent: { amount: 10, unit: 'workingDays', citation: urgentFinish },
        emergency: { amount: 2, unit: 'workingDays', citation: emergencyFinish },
      },
      report: {
        normal: { amount: 20, unit: 'workingDays', citation: normalFinish },
        urgent: { amount: 10, unit: 'workingDays', citation: urgentFinish },
        emergency: { amount: 2, unit: 'workingDays', citation: emergencyFinish },
      },
      suggestion: {
        normal: { amount: 20, unit: 'workingDays', citation: normalFinish },
        urgent: { amount: 10, unit: 'workingDays', citation: urgentFinish },
        emergency: { amount: 2, unit: 'workingDays', citation: emergencyFinish },
      },
    },
    emergencyResponse: { amount: 2, unit: 'hours', citation: twoHours },
    // 16(3): the article's 5–10 working days are a response, met by a progress report as by finishing.
    response: {
      normal: { amount: 10, unit: 'workingDays', citation: normalTen },
      urgent: { amount: 5, unit: 'workingDays', citation: urgentFive },
    },
    // 16(2): 24 hours to finish or report progress (a response); the finish after it is ours, 2
    // working days as for 16(1). Not 突发类: the response is a plain one.
    utilities: {
      rule: {
        amount: 2,
        unit: 'workingDays',
        citation: { article: '第十六条第（二）项', text: '二十四小时内办结或者反馈办理情况；反馈后的办结时限由平台设定', platformSet: true },
      },
      response: {
        amount: 24,
        unit: 'hours',
        citation: { article: '第十六条第（二）项', text: '水电气热等公民基本生活保障的诉求，二十四小时内办结或者反馈办理情况' },
      },
      note: '水、电、气、热等基本生活保障诉求二十四小时内办结或者反馈办理情况，办结时限由平台设定',
    },
    complaintNeedsCaseNumber: false,
  },

  // 第十九条第一款第（三）项: extensions need reasons to the requester and the platform's approval;
  // count and length are not set, so they are platform-set.
  extension: {
    allowed: true,
    maxCount: 2,
    length: { amount: 10, unit: 'workingDays' },
    totalCap: null,
    mustApplyBeforeDeadline: true,
    citation: { article: '第十九条第一款第（三）项', text: '需要延长办理时限的，向诉求人说明理由并提请审核批准；延期次数和时长由平台设定', platformSet: true },
  },

  // 第二十四条 gives a right to evaluate but no scale; three levels are ours, 基本满意 counted as
  // satisfied as in pingli.
  rating: {
    options: [
      { value: 'satisfied', label: '满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'basically-satisfied', label: '基本满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'dissatisfied', label: '不满意', countsAsSatisfied: false, dissatisfied: true },
    ],
    citation: { article: '第二十四条', text: '办结后回访诉求人，听取对办理过程和结果的评价；评价档次由平台设定', platformSet: true },
    unitMayDispute: false,
  },

  // No rework article; one rework on dissatisfaction is our default.
  rework: {
    maxCount: 1,
    deadline: {
      amount: 5,
      unit: 'workingDays',
      citation: { article: '第十六条第（三）项', text: '重办时限参照五个工作日（平台设定）', platformSet: true },
    },
    lastRatingFinal: true,
    citation: { article: '第二十四条', text: '回访核实办理情况；不满意重办由平台设定', platformSet: true },
  },

  // 第十二条: 一键转接 to 110 with 受理反馈闭环、对接事项跟踪督办 — the ticket stays open for follow-up.
  emergencyHandOff: {
    lines: [{ line: '110', label: '110报警服务台' }, { line: '119', label: '119火警' }, { line: '120', label: '120急救' }, { line: '122', label: '122交通事故报警' }],
    after: 'keepOpen',
    citation: { article: '第十二条', text: '属于110报警服务台受理范围内的诉求，以一键转接方式及时转交，对接事项跟踪督办' },
  },

  // No article of this regulation names termination grounds: the operator terminates with an explanation only.
  termination: { grounds: [] },

  // The regulation names no improper acts of requesters: nothing to record.
  malicious: { grounds: [] },

  clockPauses: [],

  // The regulation gives the platform the 督办 task (第六条) but lists no triggers. Ours follow
  // 第二十五条 (高频诉求人、群诉事项) and 第三十六条 (不办理、逾期、弄虚作假).
  supervision: {
    triggers: ['refused-to-accept', 'overdue', 'false-report', 'repeated-requester', 'many-requesters'],
    levels: ['一般督办', '重点督办', '挂牌督办'],
    escalation: {
      label: '政务督查',
      citation: { article: '第五条第一款', text: '市人民政府负责统筹协调、综合督查全市接诉即办工作' },
    },
    repeatedRequester: { count: 3, withinDays: 30 },
    manyRequesters: { count: 5, withinDays: 7 },
    citation: { article: '第六条', text: '接诉即办工作管理部门承担诉求事项的督办；督办情形由平台设定', platformSet: true },
  },

  reminders: {
    dueSoonAt: [0.5, 0.8],
    warningWindow: { amount: 1, unit: 'workingDays' },
  },

  withdrawal: {
    allowedUntil: 'dispatched',
    citation: { article: '第二十四条', text: '诉求人对办理进度享有知情权；承办单位签收前可以撤回诉求（平台设定）', platformSet: true },
  },

  assessment: {
    figures: ['response', 'resolution', 'satisfaction'],
    citation: { article: '第三十三条第二款', text: '以响应率、解决率、满意率为主要指标进行考评' },
  },
};
