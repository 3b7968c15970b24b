import type { PolicyProfileInput } from './schema';

/**
 * 白银市民情直通平台诉求办理条例 (2024), seed 000.
 *
 * The regulation fixes the transfer window (受理当日, 第十条) and leaves every handling deadline to
 * the platform (第十条: "承办单位应当在平台规定的期限内…"), so most numbers below are platform-set
 * defaults.
 *
 * "当日" (same day) is 0 calendar days: the end of that Shanghai day (shared/calendar/deadlines.ts),
 * not 24 hours. Reviewed with it: "即时答复…立即答复" (第十条第二款) is the operator's `answer` (an
 * instant reply from the knowledge base), which carries no deadline of its own.
 */

/** 第十条第二款、第三款: 承办单位在平台规定的期限内答复/反馈 — the delegation for every handling deadline. */
const consultationSet = { article: '第十条第二款', text: '咨询类诉求由承办单位在平台规定的期限内答复（平台设定）', platformSet: true };
const otherSet = { article: '第十条第三款', text: '承办单位在平台规定的期限内反馈办理结果（平台设定）', platformSet: true };
const emergencySet = { article: '第二十条', text: '可能发生突发事件或者紧急情况的，及时采取措施并发出风险预警；紧急件时限由平台设定', platformSet: true };

export const baiyinProfile: PolicyProfileInput = {
  id: 'baiyin',
  regulation: '白银市民情直通平台诉求办理条例',
  place: '白银市',
  platformName: '民情直通平台（“码上反映·马上办理”、12345政务服务便民热线、人民网领导留言板）',
  year: 2024,

  requestTypes: ['consultation', 'help', 'complaint', 'report', 'suggestion'],

  intake: {
    // 第十条 requires classification and telling the requester, but sets no time for it.
    acceptWithin: {
      amount: 0,
      unit: 'calendarDays',
      citation: { article: '第十条第一款', text: '平台接到诉求后分类登记并告知受理情况；受理时限由平台设定为当日', platformSet: true },
    },
    // 第十条第二款、第三款: 不能即时答复的咨询和其他类型诉求，在受理当日转交承办单位.
    transferWithin: {
      amount: 0,
      unit: 'calendarDays',
      citation: { article: '第十条第二款、第三款', text: '平台应当在受理当日将诉求转交有权处理的承办单位' },
    },
    nonAcceptanceGrounds: [
      {
        code: 'litigation-or-petition',
        label: '应当进入或者已进入复议、仲裁、诉讼、纪检监察、信访等程序的诉求',
        citation: { article: '第十条第四款', text: '应当进入或者已进入复议、仲裁、诉讼、纪检监察、信访等程序的，告知诉求人依法定程序处理' },
      },
      // The regulation has no non-acceptance list; the two grounds below follow from its scope
      // (第二条) and its termination clause (第十九条第一款).
      {
        code: 'out-of-jurisdiction',
        label: '不属于本市行政区域内民情事项',
        citation: { article: '第二条', text: '本条例适用于涉及本市行政区域内民情事项的诉求' },
      },
      {
        code: 'unlawful',
        label: '不符合法律、法规、政策规定或者违反社会公序良俗的诉求',
        citation: { article: '第十九条第一款', text: '不符合法律、法规、政策规定以及违反社会公序良俗的诉求，向诉求人说明后可以终止办理' },
      },
    ],
    confidentiality: {
      explanation: '承办单位不得泄露您要求保密或者不宜公开的内容。',
      citation: { article: '第十四条第（四）项', text: '承办单位不得泄露诉求人要求保密或者不宜公开的内容' },
    },
  },

  handling: {
    signWithin: {
      amount: 24,
      unit: 'hours',
      citation: { article: '第十四条第（一）项', text: '承办单位应当及时联系诉求人；签收时限由平台设定', platformSet: true },
    },
    // 第十二条第二款: "及时…申请退回" — no number; 2 working days as in pingli 10(2).
    returnWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第十二条第二款', text: '不属于职责范围的诉求，承办单位应当及时说明情况并申请退回；退回时限由平台设定', platformSet: true },
    },
    returnNeedsProof: false,
    coordination: { citation: { article: '第十一条第（三）项、第十三条', text: '情况复杂的诉求，由平台召集相关单位召开联席会议，明确具体承办单位' }, fallback: null },
    contact: { revealToUnit: true, recordBeforeReply: true, citation: { article: '第十四条第（一）项', text: '承办单位应当及时联系诉求人，听取诉求人意见建议，了解诉求具体情况，告知办理程序及期限' } },
    deadlines: {
      consultation: {
        normal: { amount: 2, unit: 'workingDays', citation: consultationSet },
        urgent: { amount: 1, unit: 'workingDays', citation: consultationSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      help: {
        normal: { amount: 10, unit: 'workingDays', citation: otherSet },
        urgent: { amount: 3, unit: 'workingDays', citation: otherSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      complaint: {
        normal: { amount: 10, unit: 'workingDays', citation: otherSet },
        urgent: { amount: 3, unit: 'workingDays', citation: otherSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      report: {
        normal: { amount: 10, unit: 'workingDays', citation: otherSet },
        urgent: { amount: 3, unit: 'workingDays', citation: otherSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      suggestion: {
        normal: { amount: 10, unit: 'workingDays', citation: otherSet },
        urgent: { amount: 3, unit: 'workingDays', citation: otherSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
    },
    emergencyResponse: {
      amount: 2,
      unit: 'hours',
      citation: { article: '第二十条', text: '发现可能发生突发事件或者紧急情况的，应当及时采取措施；响应时限由平台设定', platformSet: true },
    },
    // 第十六条 asks for round-the-clock ("二十四小时") service, not a 24-hour deadline; the
    // 24-hour handling window is our default.
    utilities: {
      rule: {
        amount: 24,
        unit: 'hours',
        citation: { article: '第十六条', text: '水、电、气、热、网络通信等重点民生领域诉求提供二十四小时服务；办理时限由平台设定', platformSet: true },
      },
      note: '水、电、气、热、网络通信等诉求全天候受理办理',
    },
    complaintNeedsCaseNumber: false,
  },

  // 第十五条: a unit that cannot finish in time explains why to the platform and tells the
  // requester the new 办理期限. Count and length are not fixed: platform-set.
  extension: {
    allowed: true,
    maxCount: 2,
    length: { amount: 10, unit: 'workingDays' },
    totalCap: null,
    mustApplyBeforeDeadline: true,
    citation: { article: '第十五条', text: '未能限时办结的，向平台说明原因并告知诉求人办理进度和期限；延期次数和时长由平台设定', platformSet: true },
  },

  rating: {
    options: [
      { value: 'satisfied', label: '满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'dissatisfied', label: '不满意', countsAsSatisfied: false, dissatisfied: true },
    ],
    citation: { article: '第十七条', text: '平台对办理情况进行回访，诉求人对办理结果满意或者不满意' },
    unitMayDispute: false,
  },

  rework: {
    maxCount: 1,
    deadline: {
      amount: 5,
      unit: 'workingDays',
      citation: { article: '第十七条', text: '交承办单位再次办理；重办时限由平台设定', platformSet: true },
    },
    lastRatingFinal: true,
    // 第十七条 says "再次办理" without a number: one rework is our default, platform-set.
    citation: { article: '第十七条', text: '诉求人对办理结果不满意且诉求合理的，交承办单位再次办理或者予以说明；重办次数由平台设定', platformSet: true },
  },

  // The regulation names no emergency lines; passing them on and closing is our default (platform-set).
  emergencyHandOff: {
    lines: [{ line: '110', label: '110报警服务台' }, { line: '119', label: '119火警' }, { line: '120', label: '120急救' }, { line: '122', label: '122交通事故报警' }],
    after: 'close',
    citation: { article: '第二十条', text: '可能发生突发事件或者紧急情况的，及时采取措施；转紧急服务热线（平台设定）', platformSet: true },
  },

  // 第十九条: the platform terminates, after explaining (第一款) or when the requester does not
  // cooperate (第二款). The unit that meets the refusal may propose the latter, with proof.
  // 第二十九条: 劝阻、教育和批评，并告知法律后果; nothing about refusing intake.
  malicious: {
    grounds: [
      { code: 'abuse-resources', label: '无正当理由反复使用、长时间占用平台资源', citation: { article: '第二十九条第（一）项', text: '无正当理由反复使用、长时间占用平台资源的' } },
      { code: 'fabrication', label: '歪曲、捏造事实，诽谤、诬告、陷害他人', citation: { article: '第二十九条第（二）项', text: '歪曲、捏造事实，诽谤、诬告、陷害他人的' } },
      { code: 'illegitimate-gain', label: '利用平台谋取非法或者不正当利益', citation: { article: '第二十九条第（三）项', text: '利用平台谋取非法或者不正当利益的' } },
      { code: 'harassment', label: '对工作人员骚扰、侮辱、威胁', citation: { article: '第二十九条第（四）项', text: '对办理诉求的工作人员采取骚扰、侮辱、威胁等行为的' } },
      { code: 'other-improper', label: '其他不当或者违法诉求行为', citation: { article: '第二十九条第（五）项', text: '其他不当或者违法诉求行为' } },
    ],
    consequence: { article: '第二十九条', text: '由平台或者承办单位的工作人员进行劝阻、教育和批评，并告知法律后果；违反治安管理行为的，依法给予治安管理处罚；构成犯罪的，依法追究刑事责任' },
  },

  termination: {
    grounds: [
      {
        code: 'unlawful',
        label: '不符合法律、法规、政策规定或者违反社会公序良俗',
        citation: { article: '第十九条第一款', text: '对不符合法律、法规、政策规定以及违反社会公序良俗等的诉求，由平台向诉求人说明后，可以终止办理' },
        by: ['platform'],
        proofRequired: false,
        precondition: '平台已向诉求人说明',
      },
      {
        code: 'uncooperative',
        label: '诉求人无正当理由拒不配合导致无法办理',
        citation: { article: '第十九条第二款', text: '在诉求办理过程中，因诉求人无正当理由拒不配合导致无法办理的，平台可以终止办理' },
        by: ['platform', 'unit'],
        proofRequired: true,
        precondition: '诉求人无正当理由拒不配合，诉求无法办理',
      },
    ],
  },

  clockPauses: [],

  supervision: {
    // 第二十三条第（四）项 诉求人多次反映未解决: 不满意 again after the 再次办理 of 第十七条 reaches the board.
    triggers: ['refused-to-accept', 'overdue', 'false-report', 'repeated-requester', 'many-requesters', 'dissatisfied-after-rework'],
    // 第二十二条 lists the 督办方式 in this order.
    levels: ['系统催办', '限期书面反馈', '会议协商', '现场办理'],
    escalation: {
      label: '政务督查',
      citation: { article: '第二十四条', text: '经督办仍未有效解决或者承诺办理但未限时办理的，提交政府督查机构进行政务督查' },
    },
    repeatedRequester: { count: 3, withinDays: 30 },
    manyRequesters: { count: 5, withinDays: 7 },
    citation: { article: '第二十三条', text: '拒不受理、超时未办结、谎报瞒报久拖不决、多次反映或者多人集中反映未解决的，平台应当督办' },
  },

  reminders: {
    dueSoonAt: [0.5, 0.8],
    warningWindow: { amount: 1, unit: 'workingDays' },
  },

  withdrawal: {
    allowedUntil: 'dispatched',
    citation: { article: '第九条第二款', text: '诉求人有权了解诉求办理进度；承办单位签收前可以撤回诉求（平台设定）', platformSet: true },
  },

  assessment: {
    figures: ['response', 'resolution', 'satisfaction'],
    citation: { article: '第二十八条第二款', text: '以响应率、解决率、满意率为主要指标进行考核' },
  },
};
