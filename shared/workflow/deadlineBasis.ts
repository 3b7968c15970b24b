import type { Deadline, DeadlineKind } from '../contracts/ticket';

/**
 * The wording of a deadline's basis, shared by the server and the app (no calendar data is
 * imported here, so the staff package stays small).
 */
const VERB: Record<DeadlineKind, string> = {
  accept: '内作出是否受理的决定',
  transfer: '内转交承办单位',
  sign: '内签收',
  return: '内申请退回',
  handle: '内办结',
  emergencyResponse: '内作出响应',
  rework: '内重新办理',
  response: '内办结或者反馈办理情况',
};

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** "（暂定：2027年节假日安排尚未导入，暂按周末计算，导入后重新计算）" for a provisional deadline. */
export function provisionalNote(d: Pick<Deadline, 'provisional' | 'dueAt'>): string {
  if (!d.provisional) return '';
  const year = new Date(d.dueAt + SHANGHAI_OFFSET_MS).getUTCFullYear();
  return `（暂定：${year}年节假日安排尚未导入，暂按周末计算，导入后重新计算）`;
}

/**
 * "依据《平利县…》第十二条，2个工作日内办结" for a number the article sets; for a number the
 * regulation leaves to the platform, "平台设定：3个工作日内办结（相关条文：《…》第十二条第（二）项）"
 * so it never reads as the article's own number (issue 11 §5). 当日 reads "当日转交…".
 */
export function deadlineBasis(d: Pick<Deadline, 'regulation' | 'citation' | 'span' | 'kind' | 'provisional' | 'dueAt'>): string {
  const what = `${d.span}${d.span === '当日' ? VERB[d.kind].slice(1) : VERB[d.kind]}`;
  if (d.citation.platformSet) return `平台设定：${what}（相关条文：《${d.regulation}》${d.citation.article}）${provisionalNote(d)}`;
  return `依据《${d.regulation}》${d.citation.article}，${what}${provisionalNote(d)}`;
}
