/** mulberry32: a small seeded PRNG, so generated data is the same on every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    /** Picks by weight: [[value, weight], ...]. */
    weighted: <T>(table: readonly (readonly [T, number])[]): T => {
      const total = table.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of table) if ((r -= w) < 0) return v;
      return table[table.length - 1]![0];
    },
    /** Lowercase base-36 characters. */
    chars: (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 36)];
      return s;
    },
  };
}
export type Prng = ReturnType<typeof prng>;

/** Categories and areas of the demo units (cloudfunctions/local/seed.ts). */
export const CATEGORIES = ['市容环境', '占道经营', '违章建筑', '噪声扰民', '物业管理', '房屋安全', '小区设施', '食品安全', '消费维权', '价格投诉', '供水', '排水', '公交出行', '道路设施', '邻里纠纷'] as const;
export const AREAS = ['东区街道', '西区街道', '南区街道', '北区街道', '开发区', '城郊镇'] as const;
/** Share of each request type among submissions (a 12345 line: complaints and help requests dominate). */
export const TYPE_MIX = [['complaint', 40], ['help', 25], ['consultation', 15], ['suggestion', 10], ['report', 10]] as const;

const PLACES = ['小区南门', '菜市场东侧', '人民路与解放路交叉口', '滨河公园', '第三中学门口', '公交站台', '老旧小区3号楼', '夜市街'];
const ISSUES = ['占道经营，早晚高峰行人只能走机动车道', '夜间施工噪声扰民，影响老人孩子休息', '垃圾清运不及时，气味很大', '路灯损坏多日无人维修', '下水道堵塞，雨后积水严重', '物业不作为，电梯经常停运', '商户价格不明码标价', '自来水发黄，多次反映未解决'];

/** A realistic request text (≈60–90 characters), unique by `n`. */
export function requestContent(r: Prng, n: number): string {
  return `${r.pick(AREAS)}${r.pick(PLACES)}${r.pick(ISSUES)}。已持续一段时间，希望有关部门尽快到现场查看处理，谢谢！（编号${n}）`;
}
