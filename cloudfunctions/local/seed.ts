import type { DirectoryStore, KbArticle, SceneRecord, UnitRecord, UserRecord } from '../../shared/ports';
import { PROFILE_SETTING, type ProfileSetting } from '../lib/policy';
import { DEFAULT_PROFILE_ID, getProfile } from '../../shared/profiles';

export const DEMO_UNITS: UnitRecord[] = [
  { id: 'u-chengguan', name: '市城市管理局', categories: ['市容环境', '占道经营', '违章建筑', '噪声扰民'], areas: ['东区街道', '西区街道'], active: true },
  { id: 'u-zhujian', name: '市住房和城乡建设局', categories: ['物业管理', '房屋安全', '小区设施'], areas: ['东区街道', '西区街道', '南区街道'], active: true },
  { id: 'u-shichang', name: '市市场监督管理局', categories: ['食品安全', '消费维权', '价格投诉'], areas: [], active: true },
  { id: 'u-shuiwu', name: '市水务集团', categories: ['供水', '排水'], areas: [], active: true },
  { id: 'u-jiaotong', name: '市交通运输局', categories: ['公交出行', '道路设施'], areas: [], active: true },
  { id: 'u-dongqu', name: '东区街道办事处', categories: ['市容环境', '小区设施', '邻里纠纷'], areas: ['东区街道'], active: true },
];

export const DEMO_USERS: UserRecord[] = [
  { id: 'demo-resident', name: '张明（居民）', roles: ['resident'], phone: '13800001234', demo: true },
  { id: 'demo-resident2', name: '李芳（居民）', roles: ['resident'], phone: '13900005678', demo: true },
  { id: 'demo-grid', name: '王强（网格员）', roles: ['grid'], demo: true },
  { id: 'demo-staff-cg', name: '刘洋（城管局）', roles: ['staff'], unitId: 'u-chengguan', demo: true },
  { id: 'demo-staff-zj', name: '陈静（住建局）', roles: ['staff'], unitId: 'u-zhujian', demo: true },
  { id: 'demo-staff-dq', name: '孙磊（东区街道）', roles: ['staff'], unitId: 'u-dongqu', demo: true },
  { id: 'demo-staff-sw', name: '周涛（水务集团）', roles: ['staff'], unitId: 'u-shuiwu', demo: true },
  { id: 'demo-operator', name: '赵敏（12345平台）', roles: ['operator'], demo: true },
];

export const DEMO_SCENES: Omit<SceneRecord, 'createdAt'>[] = [
  { id: 'park-binhe', place: '滨河公园南门', area: '东区街道', category: '市容环境' },
  { id: 'grid-dq-03', place: '东区街道第三网格', area: '东区街道', grid: '东区第三网格' },
  { id: 'bus-renmin', place: '人民路公交站', area: '西区街道', category: '公交出行' },
];

export const DEMO_KB: Omit<KbArticle, 'updatedAt'>[] = [
  { id: 'kb-shebaoka', title: '社保卡丢失了怎么补办？', answer: '携带身份证到任一社保卡服务网点或通过“电子社保卡”小程序申请补办，补卡工本费按规定收取，一般5个工作日内可领取新卡。', keywords: ['社保卡', '补办', '丢失'], category: '社会保障' },
  { id: 'kb-juzhuzheng', title: '居住证怎么办理？', answer: '在居住地连续居住半年以上，且有合法稳定就业、住所或连续就读的，可持身份证、居住证明到居住地派出所申领居住证。', keywords: ['居住证', '办理'], category: '户籍证件' },
  { id: 'kb-tingshui', title: '停水了去哪里查询停水通知？', answer: '计划停水会提前24小时在水务集团公众号和小区公告栏发布；突发停水可拨打水务集团24小时服务热线查询抢修进度。', keywords: ['停水', '供水', '自来水'], category: '供水', unitId: 'u-shuiwu' },
  { id: 'kb-gongjiao', title: '公交卡怎么办理老年优惠？', answer: '年满65周岁的老年人持身份证到公交IC卡服务网点办理老年优待卡，可免费乘坐市内公交。', keywords: ['公交卡', '老年', '优惠'], category: '公交出行', unitId: 'u-jiaotong' },
  { id: 'kb-zaoyin', title: '夜间施工噪声扰民怎么办？', answer: '夜间（22时至次日6时）禁止产生噪声污染的施工作业，抢修抢险和经批准的连续作业除外。可拍摄现场照片视频并提交诉求，城管部门将依法处理。', keywords: ['噪声', '施工', '扰民'], category: '噪声扰民', unitId: 'u-chengguan' },
];

/** Demo data for a fresh data directory, so a newcomer can walk the whole loop at once. */
export async function seedIfEmpty(directory: DirectoryStore, now: number, profileId?: string): Promise<boolean> {
  if ((await directory.listUnits()).length > 0) return false;
  for (const u of DEMO_UNITS) await directory.putUnit(u);
  for (const u of DEMO_USERS) await directory.putUser(u);
  for (const s of DEMO_SCENES) await directory.putScene({ ...s, createdAt: now });
  for (const a of DEMO_KB) await directory.putKb({ ...a, updatedAt: now });
  const id = getProfile(profileId ?? DEFAULT_PROFILE_ID).id;
  await directory.putSetting<ProfileSetting>(PROFILE_SETTING, { profileId: id, overrides: [] });
  return true;
}

/** Production (`npm run serve`): no demo units, users, scenes or articles; only the policy profile of a fresh data directory. */
export async function seedProductionIfEmpty(directory: DirectoryStore, profileId?: string): Promise<boolean> {
  if (await directory.getSetting<ProfileSetting>(PROFILE_SETTING)) return false;
  await directory.putSetting<ProfileSetting>(PROFILE_SETTING, { profileId: getProfile(profileId ?? DEFAULT_PROFILE_ID).id, overrides: [] });
  return true;
}
