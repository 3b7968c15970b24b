import { shownDeadline } from '../../miniprogram/src/packageStaff/deadline';
import type { Deadline } from '../../shared/contracts/ticket';

const now = Date.UTC(2026, 2, 2, 2, 0); // 2026-03-02 10:00 in Shanghai

function deadline(over: Partial<Deadline>): Deadline {
  return {
    kind: 'sign',
    owner: 'u-city',
    startedAt: now,
    dueAt: now + 24 * 3_600_000,
    span: '1个工作日',
    citation: { article: '第二十一条', text: '签收时限由平台设定', platformSet: false },
    regulation: '鞍山市12345政务服务便民热线管理办法',
    status: 'active',
    ...over,
  } as Deadline;
}

describe('the deadline a unit is shown reads as the server words it', () => {
  it('a number the regulation leaves to the platform says 平台设定, not 依据', () => {
    const d = deadline({ citation: { article: '第二十一条', text: '签收时限由平台设定', platformSet: true } });
    const shown = shownDeadline({ deadline: null, ticket: { deadlines: [d] } } as never, 'u-city');
    expect(shown!.basis).toBe('平台设定：1个工作日内签收（相关条文：《鞍山市12345政务服务便民热线管理办法》第二十一条）');
  });

  it('a deadline computed without next year\'s holidays carries 暂定', () => {
    const d = deadline({ kind: 'handle', span: '5个工作日', citation: { article: '第二十二条', text: '五个工作日内办结', platformSet: false }, dueAt: Date.UTC(2027, 0, 5, 2), provisional: true } as Partial<Deadline>);
    const shown = shownDeadline({ deadline: null, ticket: { deadlines: [d] } } as never, 'u-city');
    expect(shown!.basis).toBe('依据《鞍山市12345政务服务便民热线管理办法》第二十二条，5个工作日内办结（暂定：2027年节假日安排尚未导入，暂按周末计算，导入后重新计算）');
  });

  it('当日 reads 当日转交, not 当日内转交', () => {
    const d = deadline({ kind: 'transfer', span: '当日', citation: { article: '第十三条', text: '当日转交', platformSet: false } });
    const shown = shownDeadline({ deadline: null, ticket: { deadlines: [d] } } as never, 'u-city');
    expect(shown!.basis).toBe('依据《鞍山市12345政务服务便民热线管理办法》第十三条，当日转交承办单位');
  });
});
