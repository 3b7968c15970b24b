import type { PolicyProfileInput } from './schema';

/**
 * 平利县12345便民服务平台管理办法(试行) (2018), seed 003.
 *
 * 第十条第（二）项 defines "日" as working days for the rest of the document ("指工作日，下同"),
 * so every "N 日" below (12, 18, 22) is N working days.
 * 第十二条第（三）项: a stricter statutory deadline elsewhere prevails (not a number here).
 * 第十条第（一）项 "立即联系诉求人" sets no number: a contact right after signing; it closes the 2-hour
 * response window of 突发类 matters (22).
 * 第十三条 excludes 突发类 matters from extension and allows a longer, specially approved cycle
 * ("确因情况特殊…书面申请") that the schema cannot express.
 */

const consultation = { article: '第十二条第（一）项', text: '咨询类事项，自收到工单之日起2个工作日内办结' };
const others = { article: '第十二条第（二）项', text: '投诉举报、求助和建议类事项，自收到工单之日起5个工作日内办结' };
const othersUrgent = { article: '第十二条第（二）项', text: '投诉举报、求助和建议类事项5个工作日内办结；紧急件时限由平台设定', platformSet: true };
const emergency = { article: '第二十二条第二款', text: '突发类事项，自收到工单后2小时内处理，并在2个工作日内办结' };

export const pingliProfile: PolicyProfileInput = {
  id: 'pingli',
  regulation: '平利县12345便民服务平台管理办法(试行)',
  place: '平利县',
  platformName: '平利县12345便民服务平台',
  year: 2018,

  requestTypes: ['consultation', 'help', 'complaint', 'report', 'suggestion'],

  intake: {
    acceptWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第八条', text: '平台对受理的事项进行分类处理；受理时限由平台设定', platformSet: true },
    },
    transferWithin: {
      amount: 1,
      unit: 'calendarDays',
      citation: { article: '第八条', text: '不能即时答复的事项转派至承办单位办理；转派时限由平台设定', platformSet: true },
    },
    nonAcceptanceGrounds: [
      {
        code: 'out-of-jurisdiction',
        label: '非县行政职权管辖范围内的事项',
        citation: { article: '第七条第一款第（一）项', text: '非县行政职权管辖范围内的事项不予受理' },
      },
      {
        code: 'emergency-line',
        label: '110、119、120、122、96333等紧急服务专线处理的事项',
        citation: { article: '第七条第一款第（二）项', text: '110、119、120、122、96333等紧急服务专线处理的事项不予受理' },
      },
      {
        code: 'other-organs',
        label: '属于党委、人大、政协、法院、检察院、军队、武警职责范围的事项',
        citation: { article: '第七条第一款第（三）项', text: '属于党委、人大、政协、法院、检察院、军队、武警职责范围的事项不予受理' },
      },
      {
        code: 'litigation-or-petition',
        label: '已经或应当通过法律诉讼、仲裁、行政复议等法定途径或正常信访渠道解决的事项',
        citation: { article: '第七条第一款第（四）项', text: '已经或应当通过诉讼、仲裁、行政复议等法定途径或信访渠道解决的事项不予受理' },
      },
      {
        code: 'secrets-or-privacy',
        label: '涉及国家机密、商业秘密、个人隐私的事项',
        citation: { article: '第七条第一款第（五）项', text: '涉及国家机密、商业秘密、个人隐私的事项不予受理' },
      },
      {
        code: 'official-corruption',
        label: '党员干部贪污腐败、行贿受贿等违纪事项',
        citation: { article: '第七条第一款第（六）项', text: '党员干部贪污腐败、行贿受贿等违纪事项不予受理' },
      },
      {
        code: 'duplicate-no-new-facts',
        label: '正在办理过程中或已依法办理完毕，诉求人未提供新情况、新理由的事项',
        citation: { article: '第七条第一款第（七）项', text: '正在办理或已办结、未提供新情况新理由的事项不予受理' },
      },
      {
        code: 'unlawful',
        label: '违反法律法规、社会公序良俗以及恶意攻击、骚扰或无实质诉求内容的事项',
        citation: { article: '第七条第一款第（八）项', text: '违反法律法规、公序良俗以及恶意攻击、骚扰或无实质诉求内容的事项不予受理' },
      },
      {
        code: 'incomplete',
        label: '反映诉求内容不齐全，无法处理的事项',
        citation: { article: '第七条第一款第（九）项', text: '诉求内容不齐全、无法处理的事项不予受理' },
      },
      {
        code: 'no-real-name-self-interest',
        label: '维护自身权益的诉求件未提供实名和联系方式，导致无法核实的事项',
        citation: { article: '第七条第一款第（十）项', text: '维护自身权益的诉求未提供实名和联系方式、无法核实的不予受理' },
      },
      {
        code: 'other-unsuitable',
        label: '其他不宜受理的事项',
        citation: { article: '第七条第一款第（十一）项', text: '其他不宜受理的事项不予受理' },
      },
    ],
    confidentiality: {
      explanation: '平台和承办单位严格遵守保密纪律，不会向外泄露您的信息和其他不宜公开的内容。',
      citation: { article: '第三十三条', text: '不得向外泄露诉求人信息、经办人员信息和其他不宜公开的相关内容' },
    },
  },

  handling: {
    signWithin: {
      amount: 24,
      unit: 'hours',
      citation: { article: '第十条第（一）项', text: '承办单位应在24小时内接收平台转办事项，并立即联系诉求人' },
    },
    returnWithin: {
      amount: 2,
      unit: 'workingDays',
      citation: { article: '第十条第（二）项', text: '不属于本单位职责的，应当自收到事项之日起2个工作日内申请退回，并说明理由和依据' },
    },
    returnNeedsProof: false,
    coordination: { citation: { article: '第九条', text: '职责不清晰、区域不明确、职能交叉或缺失的疑难复杂事项，通过会议协调等方式确定承办单位' }, fallback: null },
    contact: { revealToUnit: true, recordBeforeReply: true, citation: { article: '第十条第（一）项', text: '属本单位职责的，应当立即联系诉求人，详细了解诉求内容' } },
    deadlines: {
      consultation: {
        normal: { amount: 2, unit: 'workingDays', citation: consultation },
        // Already short; a platform-set 1 day would fall below the 2-day emergency window (22).
        urgent: { amount: 2, unit: 'workingDays', citation: consultation },
        emergency: { amount: 2, unit: 'workingDays', citation: emergency },
      },
      help: {
        normal: { amount: 5, unit: 'workingDays', citation: others },
        urgent: { amount: 3, unit: 'workingDays', citation: othersUrgent },
        emergency: { amount: 2, unit: 'workingDays', citation: emergency },
      },
      complaint: {
        normal: { amount: 5, unit: 'workingDays', citation: others },
        urgent: { amount: 3, unit: 'workingDays', citation: othersUrgent },
        emergency: { amount: 2, unit: 'workingDays', citation: emergency },
      },
      report: {
        normal: { amount: 5, unit: 'workingDays', citation: others },
        urgent: { amount: 3, unit: 'workingDays', citation: othersUrgent },
        emergency: { amount: 2, unit: 'workingDays', citation: emergency },
      },
      suggestion: {
        normal: { amount: 5, unit: 'workingDays', citation: others },
        urgent: { amount: 3, unit: 'workingDays', citation: othersUrgent },
        emergency: { amount: 2, unit: 'workingDays', citation: emergency },
      },
    },
    emergencyResponse: {
      amount: 2,
      unit: 'hours',
      citation: { article: '第二十二条第二款', text: '突发类事项，应当自收到工单后2小时内处理' },
    },
    // 第二十二条第一款第（一）项: region-wide water/power/gas/network problems are 突发类事项.
    // 第二十二条第二款 applies: handled (a response) within 2 hours, finished within 2 working days.
    utilities: {
      rule: {
        amount: 2,
        unit: 'workingDays',
        citation: { article: '第二十二条第二款', text: '涉及区域性水、电、气、网等问题的突发类事项（第二十二条第一款第（一）项），2个工作日内办结' },
      },
      response: {
        amount: 2,
        unit: 'hours',
        citation: { article: '第二十二条第二款', text: '突发类事项，应当自收到工单后2小时内处理' },
      },
      // 22(1)(1) counts them as 突发类: the 2-hour window is an emergency response.
      emergency: true,
      note: '区域性水、电、气、网问题按突发类事项办理：2小时内处理，2个工作日内办结',
    },
    complaintNeedsCaseNumber: true,
  },

  extension: {
    allowed: true,
    maxCount: 2,
    length: 'original',
    totalCap: null,
    mustApplyBeforeDeadline: true,
    // 第十三条 "除突发类事项外": emergencies and region-wide outages (22) cannot be extended.
    notFor: ['emergency', 'utilities'],
    citation: { article: '第十三条', text: '办理期限届满前提出延期申请，延期以2次为限，每次延期的时限和办理期限相同，经县便民中心审核（第十四条）' },
  },

  // 第十七条 names the three levels; only 不满意 sends the matter back (第十八条). Counting
  // 基本满意 as satisfied in the satisfaction rate is our reading: 第三十条 names 群众满意度 without
  // defining it.
  rating: {
    options: [
      { value: 'satisfied', label: '满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'basically-satisfied', label: '基本满意', countsAsSatisfied: true, dissatisfied: false },
      { value: 'dissatisfied', label: '不满意', countsAsSatisfied: false, dissatisfied: true },
    ],
    citation: { article: '第十七条第二款', text: '满意度评价结果为：满意、基本满意、不满意' },
    unitMayDispute: false,
  },

  rework: {
    maxCount: 1,
    deadline: {
      amount: 5,
      unit: 'workingDays',
      citation: { article: '第十八条', text: '首次评价为不满意的事项发回重办，重办期限为5个工作日' },
    },
    lastRatingFinal: true,
    // 第十八条 "首次评价为不满意的事项，发回承办单位重办": mandatory, nobody has to ask for it.
    onDissatisfied: 'rework',
    citation: { article: '第十八条至第二十条', text: '首次评价不满意的发回重办1次；重办事项以第二次满意度评价为准，仍不满意的回访征询原因' },
  },

  // 第七条第一款第（二）项: matters of the emergency lines (with 96333) are not the platform's; the
  // ticket closes once passed on.
  emergencyHandOff: {
    lines: [{ line: '110', label: '110报警服务台' }, { line: '119', label: '119火警' }, { line: '120', label: '120急救' }, { line: '122', label: '122交通事故报警' }, { line: '96333', label: '96333电梯应急处置' }],
    after: 'close',
    citation: { article: '第七条第一款第（二）项', text: '110、119、120、122、96333等紧急服务专线处理的事项不予受理，转紧急服务专线' },
  },

  // No article of this regulation names termination grounds: the operator terminates with an explanation only.
  termination: { grounds: [] },

  // 第三十四条: false matters, malicious attacks, harassment, tying up the lines; handed to the police where unlawful.
  malicious: {
    grounds: [
      { code: 'false-matter', label: '故意提供虚假事项', citation: { article: '第三十四条', text: '诉求人不得故意提供虚假事项' } },
      { code: 'harassment', label: '恶意攻击、骚扰、占用话务资源', citation: { article: '第三十四条', text: '诉求人不得恶意攻击、骚扰、占用话务资源' } },
    ],
    consequence: { article: '第三十四条', text: '违反治安管理法律法规的，交由公安机关处理；涉嫌犯罪的，依法移送司法机关处理' },
  },

  clockPauses: [],

  supervision: {
    // 第二十四条: (一) leader instruction; (二) 集中投诉举报 → many requesters; (六) overdue;
    // (七) dissatisfied after rework. 第二十五条第（二）项 adds 办理结果不实 → false report.
    // (三) cross-region/department, (四) risk of mass incidents and (五) decided-but-unresolved have
    // no trigger code in the schema; operators raise them by hand.
    triggers: ['leader-instruction', 'many-requesters', 'overdue', 'dissatisfied-after-rework', 'false-report'],
    // 第二十五条 lists the methods ("均具有同等行政效力"); kept in the article's order.
    levels: ['电话督办', '催办通知', '督办通知书', '督办协调会'],
    escalation: {
      label: '报送县监委依纪依法处理',
      citation: { article: '第二十八条', text: '不积极履行办理责任、连续6个月以上没有整治效果导致反复投诉举报的，报送县监委依纪依法处理' },
      afterMonths: 6,
    },
    methodsEqual: true,
    repeatedRequester: { count: 3, withinDays: 30 },
    manyRequesters: { count: 5, withinDays: 7 },
    citation: { article: '第二十四条', text: '县领导批示、集中投诉举报、无正当理由逾期、重办后仍不满意等事项，县便民中心进行督办' },
  },

  reminders: {
    dueSoonAt: [0.5, 0.8],
    warningWindow: { amount: 1, unit: 'workingDays' },
  },

  withdrawal: {
    allowedUntil: 'dispatched',
    citation: { article: '第十条第（一）项', text: '承办单位接收转办事项前，诉求人可以撤回诉求（平台设定）', platformSet: true },
  },

  assessment: {
    figures: ['onTime', 'satisfaction'],
    citation: { article: '第三十条', text: '对按时办结率、群众满意度和知识库信息维护等进行考核' },
    // 第三十一条 names no grounds: these are the usual ones, 'other' takes the unit's own words.
    appeal: {
      citation: { article: '第三十一条', text: '承办单位对平台数据的归集、统计、考核结果等有疑问可提出申诉，县便民中心应当进行调查核实并及时反馈' },
      grounds: [
        { code: 'not-duty', label: '不属于本单位职责', metrics: ['response', 'resolution', 'satisfaction', 'onTime'] },
        { code: 'requester-unreachable', label: '诉求人无法联系', metrics: ['response', 'satisfaction'] },
        { code: 'rating-unrelated', label: '评价与办理无关', metrics: ['satisfaction'] },
        { code: 'other', label: '其他', metrics: ['onTime', 'satisfaction'] },
      ],
    },
  },
};
