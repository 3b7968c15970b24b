/**
 * shared/policy personalDataIn: what a typical case may not say (linyi 23, hohhot 32, pingli 33),
 * and ordinary case wording it lets through.
 */
import { personalDataIn } from '../../shared/policy';

describe('personalDataIn', () => {
  it.each([
    ['居民（电话13800001234）反映', '电话号码'],
    ['联系电话 138 0000 1234', '电话号码'],
    ['联系电话138-0000-1234', '电话号码'],
    ['已告知138****1234', '电话号码'],
    ['座机0412-5551234', '电话号码'],
    ['身份证号210302198807151234', '身份证号码'],
    ['身份证21030219880715123X', '身份证号码'],
    ['幸福路12号门口', '详细地址'],
    ['3号楼2单元501室', '详细地址'],
    ['五栋楼下', '详细地址'],
    ['王先生多次反映', '姓名'],
    ['李阿姨反映', '姓名'],
  ])('%s → %s', (text, kind) => {
    expect(personalDataIn(text)).toContain(kind);
  });

  it('finds the ticket’s own requester in any masked form, and their address', () => {
    const known = { name: '韩立新', phone: '13912345678', address: '铁东区胜利南路' };
    expect(personalDataIn('韩立新反映垃圾堆放', known)).toEqual(['姓名']);
    expect(personalDataIn('韩**反映垃圾堆放', known)).toEqual(['姓名']);
    expect(personalDataIn('回访尾号12345678的来电人', known)).toEqual(['电话号码']);
    expect(personalDataIn('铁东区胜利南路垃圾堆放', known)).toEqual(['详细地址']);
  });

  it('lets ordinary case wording through', () => {
    for (const text of [
      '居民反映某小区门口垃圾堆放多日无人清运，气味较大，影响出行。',
      '地铁2号线站口共享单车乱停放，影响300户居民出行。',
      '独居老人家中停水三天，2026年3月经协调恢复供水。',
      '承办单位当日安排清运，并将清运频次调整为每日两次，满意度回访为满意。',
    ]) expect({ text, found: personalDataIn(text) }).toEqual({ text, found: [] });
  });
});
