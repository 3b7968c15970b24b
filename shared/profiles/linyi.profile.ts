import type { PolicyProfileInput } from './schema';

/**
 * 临沂市12345政务服务便民热线条例 (2023), seed 004.
 *
 * The regulation sets no deadlines: 第十七条第（二）项 binds units to "热线工作机构规定的时限", and
 * 第十三条 leaves the acceptance rules to a 受理办法 of the city government. Every number below is a
 * platform-set default except the rework count (第二十条 "再次办理").
 */

const handlingSet = { article: '第十七条第（二）项', text: '按照热线工作机构规定的时限及时办理诉求（平台设定）', platformSet: true };
const emergencySet = { article: '第四十一条', text: '发现可能发生突发事件的情况或者风险，即时发出风险预警，有关单位快速处置；紧急件时限由平台设定', platformSet: true };
const intakeSet = { article: '第十三条', text: '诉求受理的具体办法由市人民政府制定（平台设定）', platformSet: true };

export const linyiProfile: PolicyProfileInput = {
  id: 'linyi',
  regulation: '临沂市12345政务服务便民热线条例',
  place: '临沂市',
  platformName: '12345政务服务便民热线（“12345·临沂首发”）',
  year: 2023,

  requestTypes: ['consultation', 'help', 'complaint', 'report', 'suggestion'],

  intake: {
    acceptWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第十四条', text: '不能在线答复的，形成热线工单；受理时限由平台设定', platformSet: true },
    },
    transferWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第十四条', text: '不能在线答复的，形成热线工单并派单给承办单位办理；派单时限由平台设定', platformSet: true },
    },
    // No statutory list (第十三条 delegates). Scope (第二条) and the termination clause (第十九条)
    // give two grounds; the rest are platform-set defaults in line with the other profiles.
    nonAcceptanceGrounds: [
      {
        code: 'out-of-jurisdiction',
        label: '不涉及本市行政区域内的事项',
        citation: { article: '第二条第一款', text: '本条例适用于对涉及本市行政区域内的事项提出的诉求' },
      },
      {
        code: 'unlawful',
        label: '不符合法律、法规、规章、政策规定或者违反社会公序良俗的诉求',
        citation: { article: '第十九条', text: '不符合法律、法规、规章、政策规定以及违反社会公序良俗的诉求，经解释说明并审核后终止办理' },
      },
      {
        code: 'incomplete',
        label: '未提供办理所必需的姓名、联系方式、具体地址等信息，无法办理的诉求',
        citation: { article: '第十二条第一款', text: '需要提供姓名、联系方式、具体地址等信息方可办理的事项，诉求人应当如实提供' },
      },
      { code: 'emergency-line', label: '应当通过110、119、120、122等紧急服务热线处理的紧急事项', citation: intakeSet },
      { code: 'litigation-or-petition', label: '应当通过或者已进入诉讼、仲裁、行政复议、纪检监察、信访等法定途径的事项', citation: intakeSet },
      { code: 'duplicate-no-new-facts', label: '正在办理或者已办结，无新情况、新理由重复提出的同一诉求', citation: intakeSet },
    ],
    confidentiality: {
      explanation: '您的个人隐私、个人信息依法受到保护；要求保密的，承办单位将使用热线保密联络系统与您联系办理。',
      citation: { article: '第十七条第（四）项', text: '因诉求人要求信息保密导致诉求无法准确落实的，承办单位应当使用热线保密联络系统进行办理' },
    },
  },

  handling: {
    signWithin: {
      amount: 24,
      unit: 'hours',
      citation: { article: '第十七条第（一）项', text: '承办单位应当及时联系诉求人；签收时限由平台设定', platformSet: true },
    },
    returnWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第十六条第二款', text: '明确不属于本单位职责的，提供证明材料申请退回工单；申请时限由平台设定', platformSet: true },
    },
    returnNeedsProof: true,
    coordination: { citation: { article: '第十五条第（三）项', text: '因单位职责边界不清导致反复回退、难以确定承办单位的，热线工作机构召集联席会议，明确具体承办单位' }, fallback: null },
    contact: { revealToUnit: true, recordBeforeReply: true, citation: { article: '第十七条第（一）项', text: '承办单位应当及时联系诉求人，听取诉求人意见建议，了解诉求具体情况；要求保密的，使用热线保密联络系统（第十七条第（四）项）' } },
    deadlines: {
      consultation: {
        normal: { amount: 2, unit: 'workingDays', citation: handlingSet },
        urgent: { amount: 1, unit: 'workingDays', citation: handlingSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      help: {
        normal: { amount: 10, unit: 'workingDays', citation: handlingSet },
        urgent: { amount: 3, unit: 'workingDays', citation: handlingSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      complaint: {
        normal: { amount: 10, unit: 'workingDays', citation: handlingSet },
        urgent: { amount: 3, unit: 'workingDays', citation: handlingSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      report: {
        normal: { amount: 10, unit: 'workingDays', citation: handlingSet },
        urgent: { amount: 3, unit: 'workingDays', citation: handlingSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
      suggestion: {
        normal: { amount: 10, unit: 'workingDays', citation: handlingSet },
        urgent: { amount: 3, unit: 'workingDays', citation: handlingSet },
        emergency: { amount: 24, unit: 'hours', citation: emergencySet },
      },
    },
    emergencyResponse: {
      amount: 2,
      unit: 'hours',
      citation: { article: '第四十一条', text: '发现突发事件风险即时发出预警，有关单位快速处置；响应时限由平台设定', platformSet: true },
    },
    // 第二十八条 asks for round-the-clock ("全天候") service; the 24-hour window is ours.
    utilities: {
      rule: {
        amount: 24,
        unit: 'hours',
        citation: { article: '第二十八条', text: '水、电、气、热、网络通信等重点民生领域诉求提供全天候服务；办理时限由平台设定', platformSet: true },
      },
      note: '水、电、气、热、网络通信等诉求全天候受理办理',
    },
    complaintNeedsCaseNumber: false,
  },

  // The regulation has no extension article (第十八条 only asks assisting units to explain delays).
  extension: {
    allowed: true,
    maxCount: 2,
    length: { amount: 10, unit: 'workingDays' },
    totalCap: null,
    mustApplyBeforeDeadline: true,
    citation: { article: '第十八条', text: '不能按期办结的，应当说明理由并提交阶段性工作情况；延期次数和时长由平台设定', platformSet: true },
  },

  rating: {
    options: [
      { value: 'satisfied', label: '满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'dissatisfied', label: '不满意', countsAsSatisfied: false, dissatisfied: true },
    ],
    citation: { article: '第二十条', text: '热线工作机构对办理情况进行回访，诉求人对办理结果满意或者不满意' },
    unitMayDispute: false,
  },

  rework: {
    maxCount: 1,
    deadline: {
      amount: 5,
      unit: 'workingDays',
      citation: { article: '第二十条', text: '将诉求交承办单位再次办理；重办时限由平台设定', platformSet: true },
    },
    lastRatingFinal: true,
    // 第二十条 says "再次办理" without a number: one rework is our default, platform-set.
    citation: { article: '第二十条', text: '应办未办或者诉求人对办理结果不满意且诉求合理的，将诉求交承办单位再次办理；重办次数由平台设定', platformSet: true },
  },

  // 第十三条 leaves intake to the city; the emergency lines' matters close once passed on (platform-set).
  emergencyHandOff: {
    lines: [{ line: '110', label: '110报警服务台' }, { line: '119', label: '119火警' }, { line: '120', label: '120急救' }, { line: '122', label: '122交通事故报警' }],
    after: 'close',
    citation: { article: '第十三条', text: '应当通过110、119、120、122等紧急服务热线处理的事项，转紧急服务热线（平台设定）', platformSet: true },
  },

  // 第十八条、第十九条: the unit terminates only after giving the hotline agency proof, and under 19
  // only after its review; so a unit proposes, with proof, and the operator decides.
  // 第四十六条: 劝阻、教育和批评，并告知法律后果; nothing about refusing intake.
  malicious: {
    grounds: [
      { code: 'fabrication', label: '歪曲捏造事实，诽谤、诬告、陷害他人', citation: { article: '第四十六条第（一）项', text: '歪曲捏造事实，诽谤、诬告、陷害他人或者损害他人合法权益的' } },
      { code: 'illegitimate-gain', label: '利用热线谋取非法或者不正当利益', citation: { article: '第四十六条第（二）项', text: '利用热线谋取非法或者不正当利益的' } },
      { code: 'abuse-resources', label: '无正当理由反复使用或者故意长时间占用热线', citation: { article: '第四十六条第（三）项', text: '无正当理由反复使用或者故意长时间占用热线，干扰热线正常运行的' } },
      { code: 'harassment', label: '骚扰、侮辱、威胁工作人员', citation: { article: '第四十六条第（四）项', text: '骚扰、侮辱、威胁热线工作机构或者承办单位的工作人员以及其他参与诉求办理的工作人员的' } },
      { code: 'other-improper', label: '采取其他不正当手段扰乱热线工作秩序', citation: { article: '第四十六条第（五）项', text: '采取其他不正当手段扰乱热线工作秩序的' } },
    ],
    consequence: { article: '第四十六条', text: '由热线工作机构、承办单位进行劝阻、教育和批评，并告知法律后果；构成违反治安管理行为的，由公安机关依法给予治安管理处罚；构成犯罪的，依法追究刑事责任' },
  },

  termination: {
    grounds: [
      {
        code: 'uncooperative',
        label: '诉求人拒不配合导致无法办理',
        citation: { article: '第十八条', text: '在诉求办理过程中，因诉求人拒不配合导致无法办理的，承办单位应当向市热线工作机构提供证明材料后终止办理' },
        by: ['unit'],
        proofRequired: true,
        precondition: '诉求人拒不配合，诉求无法办理',
      },
      {
        code: 'unlawful-explained',
        label: '不符合法律、法规、规章、政策规定或者违反社会公序良俗，已解释说明仍不满意',
        citation: { article: '第十九条', text: '对不符合法律、法规、规章、政策规定以及违反社会公序良俗等的诉求，承办单位已经明确解释说明但诉求人仍不满意的，应当向市热线工作机构提供证明材料并经审核后终止办理' },
        by: ['unit'],
        proofRequired: true,
        precondition: '承办单位已向诉求人明确解释说明，诉求人仍不满意',
      },
    ],
  },

  clockPauses: [],

  supervision: {
    triggers: ['refused-to-accept', 'overdue', 'repeated-requester', 'many-requesters', 'knowledge-base-stale'],
    // 第三十条第二款 lists the 督办方式 in this order.
    levels: ['电话督办', '热线系统督办', '书面督办', '现场督办'],
    // 第三十一条: media supervision first; 第三十二条: then 政务督查.
    escalation: {
      label: '媒体监督、政务督查',
      citation: { article: '第三十一条、第三十二条', text: '经热线督办仍未解决的，联合新闻媒体进行媒体监督；仍未有效解决的，提交政府督查机构进行政务督查' },
    },
    repeatedRequester: { count: 3, withinDays: 30 },
    manyRequesters: { count: 5, withinDays: 7 },
    citation: { article: '第三十条', text: '拒不接收工单、超时未办结、多次或者多人集中反映未解决、知识库更新不及时的，开展热线督办' },
  },

  reminders: {
    dueSoonAt: [0.5, 0.8],
    warningWindow: { amount: 1, unit: 'workingDays' },
  },

  withdrawal: {
    allowedUntil: 'dispatched',
    citation: { article: '第十条第二款', text: '诉求人有权了解诉求办理情况；承办单位签收前可以撤回诉求（平台设定）', platformSet: true },
  },

  // 第三十五条 leaves the assessment method to the government.
  assessment: {
    figures: ['response', 'resolution', 'satisfaction'],
    citation: { article: '第三十五条', text: '市、县（区）人民政府制定热线工作考核办法；考核指标由平台设定', platformSet: true },
  },
};
