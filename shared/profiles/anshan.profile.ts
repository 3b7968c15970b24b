import type { PolicyProfileInput } from './schema';

/**
 * 鞍山市群众诉求办理条例 (2019), seed 001. Platform: 8890.
 *
 * 第二条 names eight request kinds; they map onto the product's five:
 * 查询、咨询 → consultation; 求助 → help; 投诉 → complaint; 举报 → report;
 * 意见、建议 → suggestion; 情况反映 → complaint (a problem the requester wants handled).
 *
 * 第二十二条 gives one handling deadline for every kind: 5 working days from receipt, unless a law
 * sets another. Urgent and emergency deadlines are our shorter defaults (platform-set).
 */

const fiveDays = { article: '第二十二条第一款', text: '承办单位应当自接到转交诉求事项之日起五个工作日内办结' };
const urgentSet = { article: '第二十二条第一款', text: '五个工作日内办结；紧急件时限由平台设定', platformSet: true };
const emergencySet = { article: '第二十条第（三）项', text: '涉及自然灾害、事故灾难、公共卫生、社会安全等事项，及时通报应急等部门处置；紧急件时限由平台设定', platformSet: true };

export const anshanProfile: PolicyProfileInput = {
  id: 'anshan',
  regulation: '鞍山市群众诉求办理条例',
  place: '鞍山市',
  platformName: '8890政务便民服务平台',
  year: 2019,

  requestTypes: ['consultation', 'help', 'complaint', 'report', 'suggestion'],

  intake: {
    acceptWithin: {
      amount: 3,
      unit: 'workingDays',
      citation: { article: '第二十条第（二）项', text: '不能当场答复或者处理的，应当在三个工作日内确定是否受理' },
    },
    transferWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第二十条第（二）项', text: '受理的事项，应当自受理之日起二个工作日内转承办单位' },
    },
    // 第二十条第（四）项 (信访 matters) is not a refusal: they are transferred to the government and
    // the 信访 department. 第二十条第（六）项 speaks of 实名举报, not of official corruption.
    nonAcceptanceGrounds: [
      {
        code: 'out-of-jurisdiction',
        label: '不涉及本市行政区域内社会治理和公共服务的事项',
        citation: { article: '第二条第一款', text: '群众诉求指对涉及本市行政区域内的社会治理和公共服务等提出的诉求' },
      },
      // 第二十条第（三）项 (emergencies) is no refusal ground: such a matter is passed on to the
      // emergency departments and recorded (`handOffEmergency`, emergencyHandOff below).
      {
        code: 'litigation-or-petition',
        label: '涉及行政复议、诉讼、仲裁的事项',
        citation: { article: '第二十条第（五）项', text: '涉及行政复议、诉讼、仲裁的事项，应当及时告知诉求人相关办理途径' },
      },
      {
        code: 'real-name-report-12388',
        label: '涉及实名举报的事项，请通过纪委12388网站等途径举报',
        citation: { article: '第二十条第（六）项', text: '涉及实名举报的事项，告知诉求人按规定通过纪委12388网站等途径举报' },
      },
      {
        code: 'unlawful',
        label: '不具有合法性和可执行性的诉求',
        citation: { article: '第十二条', text: '诉求事项应当客观理性、具体明确，具有合法性和可执行性' },
      },
    ],
    confidentiality: {
      explanation: '您的投诉、举报信息将予以保密，不会透露或者转交给被投诉、被举报的单位或者个人（办理所必需的信息除外）。',
      citation: { article: '第二十六条', text: '对投诉、举报信息予以保密，不得透露或者转交给被举报、被投诉的单位或者个人' },
    },
  },

  handling: {
    signWithin: {
      amount: 24,
      unit: 'hours',
      citation: { article: '第二十一条', text: '承办单位应当按期限办理并反馈；签收时限由平台设定', platformSet: true },
    },
    returnWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第二十四条', text: '涉及多个单位或者职责不清的，及时沟通并报上级协调；申请退回时限由平台设定', platformSet: true },
    },
    returnNeedsProof: false,
    coordination: { citation: { article: '第二十四条', text: '对复杂疑难或者涉及多个承办单位的诉求，及时与有关机关、单位沟通；不能解决的，报上级行政机关协调' }, fallback: null },
    contact: { revealToUnit: true, recordBeforeReply: false, citation: { article: '第十八条', text: '办理单包括诉求人姓名、现住所、联系方式等信息；答复前联系诉求人的记录由平台设定，不作强制', platformSet: true } },
    deadlines: {
      consultation: {
        normal: { amount: 5, unit: 'workingDays', citation: fiveDays },
        urgent: { amount: 3, unit: 'workingDays', citation: urgentSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      help: {
        normal: { amount: 5, unit: 'workingDays', citation: fiveDays },
        urgent: { amount: 3, unit: 'workingDays', citation: urgentSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      complaint: {
        normal: { amount: 5, unit: 'workingDays', citation: fiveDays },
        urgent: { amount: 3, unit: 'workingDays', citation: urgentSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      report: {
        normal: { amount: 5, unit: 'workingDays', citation: fiveDays },
        urgent: { amount: 3, unit: 'workingDays', citation: urgentSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      suggestion: {
        normal: { amount: 5, unit: 'workingDays', citation: fiveDays },
        urgent: { amount: 3, unit: 'workingDays', citation: urgentSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
    },
    emergencyResponse: {
      amount: 2,
      unit: 'hours',
      citation: { article: '第二十条第（三）项', text: '突发事项应当及时通报应急等部门处置；响应时限由平台设定', platformSet: true },
    },
    // 第七条 leaves water/power/gas/heating hotlines to their own rules; nothing special here.
    utilities: null,
    complaintNeedsCaseNumber: false,
  },

  // 第二十二条第二款: apply within the 5 working days; "申请延期一般不超过两个月": all extensions
  // together reach at most two calendar months past the original deadline (totalCap, counted from
  // the deadline before the first extension). The regulation sets no count; one application may use
  // the whole two months, and a unit may ask for fewer days.
  extension: {
    allowed: true,
    maxCount: null,
    length: { amount: 2, unit: 'calendarMonths' },
    totalCap: { amount: 2, unit: 'calendarMonths' },
    mustApplyBeforeDeadline: true,
    citation: { article: '第二十二条第二款', text: '无法在五个工作日内办结的，应当在五个工作日内申请延期并告知诉求人；申请延期一般不超过两个月' },
  },

  // 第二十三条: star ratings by quality and satisfaction; the five-star scale is ours.
  // 1–2 stars are dissatisfied (reason required, rework opens); 3 stars is neither: it does not
  // open rework but is not counted as satisfied; 4–5 stars count as satisfied.
  rating: {
    options: [
      { value: '1', label: '一星', countsAsSatisfied: false, dissatisfied: true },
      { value: '2', label: '二星', countsAsSatisfied: false, dissatisfied: true },
      { value: '3', label: '三星', countsAsSatisfied: false, dissatisfied: false },
      { value: '4', label: '四星', countsAsSatisfied: true, dissatisfied: false },
      { value: '5', label: '五星', countsAsSatisfied: true, dissatisfied: false },
    ],
    citation: { article: '第二十三条第二款', text: '根据办理质量和满意度分星级评价；五星制及满意档次由平台设定', platformSet: true },
    // 第二十三条第三款: the unit disputes the rating, the centre re-rates and that result stands.
    // The text sets no time limit for the dispute; any rated round may be disputed once.
    unitMayDispute: true,
    disputeCitation: { article: '第二十三条第三款', text: '承办单位对诉求人评价有异议的，由鞍山市群众工作服务中心复评，报鞍山市群众工作委员会办公室审核，最后确定评价结果' },
  },

  // The regulation has no rework article; one rework after a low rating is our default.
  rework: {
    maxCount: 1,
    deadline: {
      amount: 5,
      unit: 'workingDays',
      citation: { article: '第二十二条第一款', text: '重办时限参照五个工作日办结时限（平台设定）', platformSet: true },
    },
    lastRatingFinal: true,
    citation: { article: '第二十三条第一款', text: '审核承办结果，回访并请诉求人评价；不满意重办由平台设定', platformSet: true },
  },

  // 第二十条第（三）项: 通报应急等部门处置 — the matter is passed on and recorded, not refused, and the
  // ticket stays open so the platform follows what the departments did (the lines are ours).
  emergencyHandOff: {
    lines: [{ line: '110', label: '110报警服务台' }, { line: '119', label: '119火警' }, { line: '120', label: '120急救' }, { line: '122', label: '122交通事故报警' }],
    after: 'keepOpen',
    citation: { article: '第二十条第（三）项', text: '涉及自然灾害、事故灾难、公共卫生、社会安全等事项，应当及时通报应急等部门处置' },
  },

  // No article of this regulation names termination grounds: the operator terminates with an explanation only.
  termination: { grounds: [] },

  // 第四十条 names the acts and their legal consequences; 第二十三条第四款 the credit file. Nothing about refusing intake.
  malicious: {
    grounds: [
      { code: 'abuse-resources', label: '无正当理由反复使用诉求渠道、长时间占用热线', citation: { article: '第四十条第（一）项', text: '无正当理由反复使用群众诉求渠道、长时间占用群众诉求热线的' } },
      { code: 'fabrication-harassment', label: '歪曲捏造事实，骚扰、侮辱、威胁办理人员，或者诽谤、诬告、陷害他人', citation: { article: '第四十条第（二）项', text: '歪曲捏造事实，骚扰、侮辱、威胁群众诉求办理人员，或者诽谤、诬告、陷害他人的' } },
      { code: 'disorder', label: '以不正当手段扰乱诉求办理工作秩序', citation: { article: '第四十条第（三）项', text: '不依法表达诉求，采取不正当手段以及非法行为，扰乱群众诉求办理工作秩序的' } },
    ],
    consequence: { article: '第四十条', text: '构成违反治安管理行为的，依法给予处罚；构成犯罪的，依法追究刑事责任' },
    creditFile: { article: '第二十三条第四款', text: '鞍山市群众工作服务中心应当建立诉求人诚信档案制度' },
  },

  clockPauses: [
    {
      code: 'recusal',
      label: '回避决定期间',
      maxSpan: { amount: 3, unit: 'workingDays' },
      citation: { article: '第二十七条第二款、第三款', text: '申请回避的，应当在三个工作日内决定并书面答复；回避决定期间不计算在受理、办理期限内' },
    },
  ],

  supervision: {
    // 第二十五条: (一) overdue; (二) 多次、集中反映 → repeated + many requesters; (三) 推诿 → refused
    // to accept, 弄虚作假 → false report; (五) decided by a superior → leader instruction.
    // (四) "群众不满意留言较多" has no trigger code in the schema.
    triggers: ['overdue', 'repeated-requester', 'many-requesters', 'refused-to-accept', 'false-report', 'leader-instruction'],
    levels: ['一般督办', '重点督办', '挂牌督办'],
    escalation: {
      label: '市政府常务会议或者鞍山市群众工作委员会研究解决',
      citation: { article: '第二十四条第一款', text: '经群众工作委员会办公室协调仍不能解决的，报市政府常务会议或者群众工作委员会研究解决' },
    },
    repeatedRequester: { count: 3, withinDays: 30 },
    manyRequesters: { count: 5, withinDays: 7 },
    citation: { article: '第二十五条', text: '超时未办结、多次集中反映未解决、推诿敷衍弄虚作假等情形，逐级报上级行政机关或者主管部门督办' },
  },

  reminders: {
    dueSoonAt: [0.5, 0.8],
    warningWindow: { amount: 1, unit: 'workingDays' },
  },

  withdrawal: {
    allowedUntil: 'dispatched',
    citation: { article: '第十条第一款', text: '诉求人有权获知受理、承办情况；承办单位签收前可以撤回诉求（平台设定）', platformSet: true },
  },

  // 第三十五条 leaves the assessment method to the 群众工作委员会办公室.
  assessment: {
    figures: ['response', 'resolution', 'satisfaction'],
    citation: { article: '第三十五条', text: '群众工作委员会办公室制定考核办法；考核指标由平台设定', platformSet: true },
  },
};
