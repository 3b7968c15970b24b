/** The staff action forms (miniprogram/src/packageStaff/actionInput.ts) under pingli's and linyi's rules. */
import { buildStaffCommand, emptyActionForm, extensionsLeft, maxExtension, parseSpan, REPLY_MIN_CHARS, replyGaps, type ActionContext } from '../../miniprogram/src/packageStaff/actionInput';
import type { StaffRules } from '../../miniprogram/src/api/types';
import { commandSchemas } from '../../shared/contracts/commands';

const citation = { article: '第十三条', text: '延期以2次为限', platformSet: false };
const pingli: StaffRules = {
  extension: { allowed: true, maxCount: 2, length: 'original', totalCap: null, mustApplyBeforeDeadline: true, notFor: [], citation },
  returnWithin: { amount: 2, unit: 'workingDays', citation: { article: '第十条第（二）项', text: '2个工作日内申请退回', platformSet: false } },
  returnNeedsProof: false,
  contact: { revealToUnit: true, recordBeforeReply: false, citation },
  terminationGrounds: [],
  complaintNeedsCaseNumber: true,
  replyMinChars: 10,
  appeal: {
    citation: { article: '第三十一条', text: '承办单位对统计结果有疑问可提出申诉', platformSet: false },
    grounds: [
      { code: 'rating-unrelated', label: '评价与办理无关', metrics: ['satisfaction'] },
      { code: 'other', label: '其他', metrics: ['onTime'] },
    ],
  },
};
const linyi: StaffRules = { ...pingli, extension: { ...pingli.extension, length: { amount: 10, unit: 'workingDays' } }, returnNeedsProof: true, complaintNeedsCaseNumber: false };

const ctx = (over: Partial<ActionContext> = {}): ActionContext => ({
  ticketId: 't1',
  version: 4,
  type: 'complaint',
  rules: pingli,
  extensionsUsed: 0,
  originalSpan: { amount: 5, unit: 'workingDays' },
  attachments: [],
  ...over,
});
const photo = { fileId: 'local:abc.jpg', kind: 'image' as const };
const form = (over: Partial<ReturnType<typeof emptyActionForm>> = {}) => ({ ...emptyActionForm('刘洋'), ...over });
const fields = (r: ReturnType<typeof buildStaffCommand>) => r.issues.map((i) => i.field);

/** Every command the forms build passes the shared contract. */
function valid(r: ReturnType<typeof buildStaffCommand>) {
  expect(r.issues).toEqual([]);
  const schema = commandSchemas[r.command!.type as keyof typeof commandSchemas];
  expect(schema.safeParse(r.command).success).toBe(true);
  return r.command!;
}

test('sign: the note is optional; the ticket version goes along', () => {
  expect(valid(buildStaffCommand('sign', form(), ctx()))).toEqual({ type: 'sign', ticketId: 't1', expectedVersion: 4 });
  expect(valid(buildStaffCommand('sign', form({ note: ' 已安排 ' }), ctx())).note).toBe('已安排');
});

test('contact: a method and what was said', () => {
  expect(fields(buildStaffCommand('contact', form(), ctx()))).toEqual(['note']);
  expect(valid(buildStaffCommand('contact', form({ method: 'visit', note: '已上门' }), ctx()))).toMatchObject({ method: 'visit', note: '已上门' });
});

test('pingli 10(2): a return needs a reason; proof is optional', () => {
  expect(fields(buildStaffCommand('requestReturn', form(), ctx()))).toEqual(['reason']);
  expect(valid(buildStaffCommand('requestReturn', form({ reason: '不属于本单位职责' }), ctx()))).toMatchObject({ reason: '不属于本单位职责', attachments: [] });
});

test('linyi 16: a return needs proof attachments', () => {
  expect(fields(buildStaffCommand('requestReturn', form({ reason: '不属于' }), ctx({ rules: linyi })))).toEqual(['attachments']);
  expect(valid(buildStaffCommand('requestReturn', form({ reason: '不属于', basis: '职责清单' }), ctx({ rules: linyi, attachments: [photo] })))).toMatchObject({ basis: '职责清单', attachments: [photo] });
});

test('linyi 19: a termination proposal needs a ground of the profile, a reason and proof', () => {
  const ground = { code: 'unlawful-explained', label: '已解释说明仍不满意', article: '第十九条', text: '提供证明材料并经审核后终止办理', by: ['unit' as const], proofRequired: true, precondition: '已解释说明' };
  const rules = { ...linyi, terminationGrounds: [ground] };
  expect(fields(buildStaffCommand('proposeTermination', form(), ctx({ rules })))).toEqual(['groundCode', 'reason']);
  expect(fields(buildStaffCommand('proposeTermination', form({ groundCode: 'unlawful-explained', reason: '已两次解释' }), ctx({ rules })))).toEqual(['attachments']);
  expect(fields(buildStaffCommand('proposeTermination', form({ groundCode: 'uncooperative', reason: '已两次解释' }), ctx({ rules, attachments: [photo] })))).toEqual(['groundCode']);
  expect(valid(buildStaffCommand('proposeTermination', form({ groundCode: 'unlawful-explained', reason: '已两次解释' }), ctx({ rules, attachments: [photo] })))).toMatchObject({ groundCode: 'unlawful-explained', reason: '已两次解释', attachments: [photo] });
});

test('anshan 23: a dispute of the rating needs a reason; proof goes with it when attached', () => {
  expect(fields(buildStaffCommand('disputeRating', form(), ctx()))).toEqual(['reason']);
  expect(valid(buildStaffCommand('disputeRating', form({ reason: '评价与事实不符' }), ctx({ attachments: [photo] })))).toMatchObject({ type: 'disputeRating', reason: '评价与事实不符', attachments: [photo] });
});

test('pingli 31: an appeal of the figures needs a ground of the profile, the rates it names and a reason; proof is optional', () => {
  expect(fields(buildStaffCommand('appealCounting', form(), ctx()))).toEqual(['groundCode', 'metrics', 'reason']);
  expect(fields(buildStaffCommand('appealCounting', form({ groundCode: 'not-duty', metrics: ['satisfaction'], reason: '不属于本单位' }), ctx()))).toEqual(['groundCode']);
  expect(fields(buildStaffCommand('appealCounting', form({ groundCode: 'other', metrics: ['onTime'], reason: '  ' }), ctx()))).toEqual(['reason']);
  expect(valid(buildStaffCommand('appealCounting', form({ groundCode: 'rating-unrelated', metrics: ['satisfaction'], reason: '不满意针对收费政策' }), ctx()))).toMatchObject({
    type: 'appealCounting', groundCode: 'rating-unrelated', metrics: ['satisfaction'], reason: '不满意针对收费政策', attachments: [],
  });
  expect(fields(buildStaffCommand('appealCounting', form({ groundCode: 'other', metrics: ['onTime'], reason: '停电' }), ctx({ rules: { ...pingli, appeal: null } })))).toEqual(['groundCode']);
});

test('pingli 13: at most 2 extensions, each as long as the original deadline', () => {
  expect(maxExtension(pingli, { amount: 5, unit: 'workingDays' })).toEqual({ amount: 5, unit: 'workingDays' });
  expect(extensionsLeft(pingli, 1)).toBe(1);
  const asMax = valid(buildStaffCommand('requestExtension', form({ reason: '需要协调' }), ctx()));
  expect(asMax.span).toBeUndefined();
  expect(valid(buildStaffCommand('requestExtension', form({ reason: '需要协调', extensionMode: 'custom', extensionAmount: '3' }), ctx())).span).toEqual({ amount: 3, unit: 'workingDays' });
  expect(fields(buildStaffCommand('requestExtension', form({ reason: '需要协调', extensionMode: 'custom', extensionAmount: '6' }), ctx()))).toEqual(['span']);
  expect(fields(buildStaffCommand('requestExtension', form({ reason: '需要协调', extensionMode: 'custom', extensionAmount: '1.5' }), ctx()))).toEqual(['span']);
  expect(fields(buildStaffCommand('requestExtension', form({ reason: '需要协调' }), ctx({ extensionsUsed: 2 })))).toEqual(['extension']);
});

test('a profile with a fixed extension length (linyi: 10 working days) and one without a count limit', () => {
  expect(valid(buildStaffCommand('requestExtension', form({ reason: '原因', extensionMode: 'custom', extensionAmount: '10' }), ctx({ rules: linyi }))).span).toEqual({ amount: 10, unit: 'workingDays' });
  expect(extensionsLeft({ ...linyi, extension: { ...linyi.extension, maxCount: null } }, 7)).toBeNull();
  expect(fields(buildStaffCommand('requestExtension', form({ reason: '原因' }), ctx({ rules: { ...linyi, extension: { ...linyi.extension, allowed: false } } })))).toEqual(['extension']);
});

test('assisting unit: feedback text and files', () => {
  expect(fields(buildStaffCommand('assistFeedback', form(), ctx()))).toEqual(['note']);
  expect(valid(buildStaffCommand('assistFeedback', form({ note: '已清理' }), ctx({ attachments: [photo] })))).toMatchObject({ note: '已清理', attachments: [photo] });
});

test('pingli 15: a complaint reply needs a case number and date, or the reason for not filing', () => {
  const base = { result: '已处理', handler: '刘洋' };
  expect(fields(buildStaffCommand('reply', form(base), ctx()))).toEqual(['caseNumber', 'caseDate']);
  expect(fields(buildStaffCommand('reply', form({ ...base, caseNumber: 'CG-1', caseDate: '2026-02-30' }), ctx()))).toEqual(['caseDate']);
  expect(valid(buildStaffCommand('reply', form({ ...base, caseNumber: 'CG-1', caseDate: '2026-11-20', legalBasis: '条例第十四条' }), ctx()))).toMatchObject({ caseNumber: 'CG-1', caseDate: '2026-11-20', legalBasis: '条例第十四条' });
  expect(fields(buildStaffCommand('reply', form({ ...base, caseMode: 'notFiled' }), ctx()))).toEqual(['noCaseReason']);
  expect(valid(buildStaffCommand('reply', form({ ...base, caseMode: 'notFiled', noCaseReason: '不属于立案范围' }), ctx()))).toMatchObject({ noCaseReason: '不属于立案范围' });
});

test('a reply to a consultation, or under a profile without the case rule, needs no case number', () => {
  const base = { result: '已答复', handler: '刘洋' };
  expect(valid(buildStaffCommand('reply', form(base), ctx({ type: 'consultation' }))).caseNumber).toBeUndefined();
  expect(valid(buildStaffCommand('reply', form(base), ctx({ rules: linyi }))).caseNumber).toBeUndefined();
  expect(fields(buildStaffCommand('reply', form({ handler: '' }), ctx({ type: 'help' })))).toEqual(['result', 'handler']);
});

test('spans read back from the deadline text', () => {
  expect(parseSpan('5个工作日')).toEqual({ amount: 5, unit: 'workingDays' });
  expect(parseSpan('5个工作日+延期5个工作日')).toEqual({ amount: 5, unit: 'workingDays' });
  expect(parseSpan('24小时')).toEqual({ amount: 24, unit: 'hours' });
  expect(parseSpan('60日')).toEqual({ amount: 60, unit: 'calendarDays' });
  expect(parseSpan(undefined)).toBeNull();
});

describe('replyGaps: what a reply lacks before it is sent (issue 16)', () => {
  const fedBack = [{ role: 'lead', unitId: 'u-a' }, { role: 'assist', unitId: 'u-b', feedback: [{}] }];
  it('nothing when the requester was contacted, every assisting unit fed back and the result says something', () => {
    expect(replyGaps('已安排清运并增加清运频次', 1, fedBack)).toEqual([]);
  });
  it('names each gap: no contact, a silent assisting unit, a result under 10 characters', () => {
    const gaps = replyGaps('已处理', 0, [...fedBack, { role: 'assist', unitId: 'u-c', feedback: [] }]);
    expect(gaps.map((g) => g.text)).toEqual(['尚未记录与诉求人的联系（办理中应及时联系诉求人）', '还有1个协办单位尚未反馈', `办理结果不足${REPLY_MIN_CHARS}个字，请写明办理过程和结果`]);
  });
  it('marks what the server refuses as blocking (no 仍要提交): a short result, and no contact where the profile requires one', () => {
    const gaps = replyGaps('已处理', 0, [...fedBack, { role: 'assist', unitId: 'u-c', feedback: [] }], { minChars: 20, contactRequired: true });
    expect(gaps).toEqual([
      { text: '尚未记录与诉求人的联系（办理中应及时联系诉求人）', blocking: true },
      { text: '还有1个协办单位尚未反馈', blocking: false },
      { text: '办理结果不足20个字，请写明办理过程和结果', blocking: true },
    ]);
    expect(replyGaps('已安排清运并增加清运频次', 1, [{ role: 'assist', unitId: 'u-c', feedback: [] }]).every((g) => !g.blocking)).toBe(true);
  });
});
