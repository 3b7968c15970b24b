import { Image, View, Text } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { adminApi, errorMessage } from '../../../api/client';
import type { CalendarInfo, DirectoryUser, ParsedNoticeView, InviteView, KbRecord, PolicyView, ProfileInfo, ProfilePreview, SceneRecord, UnitRecord } from '../../../api/types';
import type { PolicyProfile } from '@shared/profiles/schema';
import { overridableNumbers } from '@shared/profiles/summary';
import { TEMPLATE_KINDS, type ReplyTemplate, type TemplateKind } from '@shared/contracts/templates';
import { forgetOperatorTemplates } from '../../components/actions/templatePicker';
import OperatorShell, { forgetCalendarWarning } from '../../components/shell';
import ChipGroup from '../../../components/chip-group';
import DateField from '../../../components/date-field';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button, Input, Switch, TextArea } from '../../../ui';
import { formatTime } from '../../../util/format';
import { opGo, toast } from '../../../util/nav';
import { REQUEST_TYPE_LABELS } from '../../../labels';
import { spanText } from '../../labels';
import { pressable } from '../../../ui/pressable';
import { loadPolicy } from '../../policy';
import './index.scss';

type Tab = 'units' | 'staff' | 'scenes' | 'kb' | 'templates' | 'calendar' | 'profile';
const TABS: { id: Tab; label: string }[] = [
  { id: 'units', label: '承办单位' },
  { id: 'staff', label: '人员邀请' },
  { id: 'scenes', label: '二维码' },
  { id: 'kb', label: '知识库' },
  { id: 'templates', label: '回复模板' },
  { id: 'calendar', label: '节假日' },
  { id: 'profile', label: '政策配置' },
];

/** "a, b，c、d" → ["a","b","c","d"] */
type ProfileOverride = { path: string; value: number };
/** admin.profile sends the whole parsed profile (`current: profile` in admin.ts); PolicyView names only what the page lists. */
const fullProfile = (v: PolicyView): PolicyProfile => v as unknown as PolicyProfile;

const list = (s: string) => s.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);

/** 管理: units, staff invites, QR scenes and posters, the knowledge base, the holiday calendar, the profile in force. */
export default function Admin() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [tab, setTab] = useState<Tab>('units');
  const [units, setUnits] = useState<UnitRecord[]>([]);
  const [error, setError] = useState('');

  const loadUnits = useCallback(() => adminApi.units().then(setUnits, (e) => setError(errorMessage(e))), []);
  useLoad((params) => {
    if (params.tab && TABS.some((t) => t.id === params.tab)) setTab(params.tab as Tab);
  });
  useEffect(() => {
    if (ready) void loadUnits();
  }, [ready, loadUnits]);

  const props = { units, onError: setError, reloadUnits: loadUnits };
  return (
    <OperatorShell id="page-op-admin" active="admin" title="平台管理">
      <View className="op-tabs" id="admin-tabs">
        {TABS.map((t) => (
          <View key={t.id} id={`admin-tab-${t.id}`} className={`op-tab${tab === t.id ? ' op-tab--active' : ''}`} {...pressable(() => { setTab(t.id); setError(''); })}>
            {t.label}
          </View>
        ))}
      </View>
      {error && <View className="form-error" id="form-error">{error}</View>}
      {ready && tab === 'units' && <UnitsAdmin {...props} />}
      {ready && tab === 'staff' && <StaffAdmin {...props} />}
      {ready && tab === 'scenes' && <ScenesAdmin {...props} />}
      {ready && tab === 'kb' && <KbAdmin {...props} />}
      {ready && tab === 'templates' && <TemplatesAdmin {...props} />}
      {ready && tab === 'calendar' && <CalendarAdmin {...props} />}
      {ready && tab === 'profile' && <ProfileAdmin {...props} />}
    </OperatorShell>
  );
}

interface SectionProps {
  units: UnitRecord[];
  onError(message: string): void;
  reloadUnits(): Promise<unknown>;
}

function Field({ label, children, hint }: { label: string; hint?: string; children: JSX.Element }) {
  return (
    <View className="field">
      <View className="field__label">{label}</View>
      {children}
      {hint && <View className="field__hint">{hint}</View>}
    </View>
  );
}

const EMPTY_UNIT = { id: '', name: '', categories: '', areas: '', active: true };

function UnitsAdmin({ units, onError, reloadUnits }: SectionProps) {
  const [form, setForm] = useState(EMPTY_UNIT);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await adminApi.putUnit({ id: form.id.trim(), name: form.name.trim(), categories: list(form.categories), areas: list(form.areas), active: form.active });
      toast('已保存', 'success');
      setForm(EMPTY_UNIT);
      setEditing(false);
      onError('');
      await reloadUnits();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="op-grid">
      <View className="section" id="admin-units">
        <View className="section__title">承办单位（职责类别和属地用于派单推荐）</View>
        {units.map((u) => (
          <View key={u.id} className={`admin-row${u.active ? '' : ' admin-row--off'}`} id={`admin-unit-${u.id}`}>
            <View className="admin-row__body">
              <View className="admin-row__title">{u.name}{u.active ? '' : '（停用）'}</View>
              <View className="muted">类别：{u.categories.join('、') || '无'}</View>
              <View className="muted">属地：{u.areas.join('、') || '全市'}</View>
            </View>
            <Button id={`admin-unit-${u.id}-edit`} size="small" onClick={() => { setForm({ id: u.id, name: u.name, categories: u.categories.join('、'), areas: u.areas.join('、'), active: u.active }); setEditing(true); }}>
              编辑
            </Button>
          </View>
        ))}
      </View>
      <View className="section" id="unit-form">
        <View className="section__title">{editing ? '编辑单位' : '新增单位'}</View>
        <Field label="单位编号" hint="字母、数字、-，如 u-gongan">
          <Input id="unit-id" value={form.id} disabled={editing} placeholder="u-xxx" onChange={(v) => setForm({ ...form, id: v })} />
        </Field>
        <Field label="单位名称">
          <Input id="unit-name" value={form.name} placeholder="如：市公安局" onChange={(v) => setForm({ ...form, name: v })} />
        </Field>
        <Field label="职责类别" hint="用顿号或逗号分隔">
          <Input id="unit-categories" value={form.categories} placeholder="市容环境、占道经营" onChange={(v) => setForm({ ...form, categories: v })} />
        </Field>
        <Field label="属地（街道、网格）" hint="不填表示全市">
          <Input id="unit-areas" value={form.areas} placeholder="东区街道、西区街道" onChange={(v) => setForm({ ...form, areas: v })} />
        </Field>
        <View className="row field">
          <Text className="field__label">启用</Text>
          <Switch id="unit-active" label="启用" checked={form.active} onChange={(v) => setForm({ ...form, active: v })} />
        </View>
        <View className="row">
          <Button id="unit-save" type="primary" size="small" loading={busy} disabled={!form.id.trim() || !form.name.trim()} onClick={() => void save()}>保存</Button>
          {editing && <Button id="unit-new" size="small" onClick={() => { setForm(EMPTY_UNIT); setEditing(false); }}>新增单位</Button>}
        </View>
      </View>
    </View>
  );
}

const INVITE_ROLES = [
  { role: 'staff', label: '承办单位工作人员' },
  { role: 'operator', label: '平台管理员' },
  { role: 'grid', label: '网格员' },
] as const;
type InviteRole = (typeof INVITE_ROLES)[number]['role'];

/** 人员邀请: a one-time code for a unit's staff member, an operator or a grid worker. */
function StaffAdmin({ units, onError }: SectionProps) {
  const [role, setRole] = useState<InviteRole>('staff');
  const [unitId, setUnitId] = useState('');
  const [days, setDays] = useState('7');
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [users, setUsers] = useState<DirectoryUser[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!unitId || role !== 'staff') return setUsers([]);
    adminApi.users(unitId).then(setUsers, (e) => onError(errorMessage(e)));
  }, [unitId, role, onError]);
  const create = async () => {
    setBusy(true);
    try {
      const n = Math.min(30, Math.max(1, Number(days) || 7));
      setInvite(await adminApi.invite(role, role === 'staff' ? unitId : undefined, n));
      onError('');
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const whom = (i: InviteView) => (i.role === 'staff' ? `${units.find((u) => u.id === i.unitId)?.name ?? ''}工作人员` : INVITE_ROLES.find((r) => r.role === i.role)?.label ?? '');
  const inviteShare = (i: InviteView): platform.ShareContent => ({
    title: `${whom(i)}邀请码`,
    text: `【码上反映】${whom(i)}邀请码：${i.code}（${formatTime(i.expiresAt)}前有效，仅可使用一次）。在小程序中打开“绑定单位”输入邀请码，或在电脑浏览器登录页选择“邀请码注册”${i.link ? '，也可直接打开链接' : ''}。`,
    ...(i.link ? { url: i.link } : {}),
  });
  // weapp: 分享 (and the page's share menu) sends a card that opens the bind page with the code.
  useShareAppMessage(() =>
    invite
      ? { title: `${whom(invite)}邀请码：${invite.code}`, path: `/packageStaff/pages/bind/index?code=${invite.code}` }
      : { title: '码上反映', path: '/pages/home/index' },
  );
  return (
    <View className="section" id="admin-staff">
      <View className="section__title">邀请人员</View>
      <View className="muted">生成一次性邀请码发给对方：在小程序中打开“绑定单位”输入，或在电脑浏览器登录页选择“邀请码注册”设置账号和密码。</View>
      <View className="chip-group admin-gap" id="invite-roles">
        {INVITE_ROLES.map((r) => (
          <View key={r.role} id={`invite-role-${r.role}`} className={`chip${role === r.role ? ' chip--active' : ''}`} aria-pressed={role === r.role} onClick={() => { setRole(r.role); setInvite(null); }}>
            {r.label}
          </View>
        ))}
      </View>
      {role === 'staff' && (
        <View className="chip-group admin-gap">
          {units.filter((u) => u.active).map((u) => (
            <View key={u.id} id={`invite-unit-${u.id}`} className={`chip${unitId === u.id ? ' chip--active' : ''}`} aria-pressed={unitId === u.id} onClick={() => { setUnitId(u.id); setInvite(null); }}>
              {u.name}
            </View>
          ))}
        </View>
      )}
      <View className="row admin-gap">
        <Text>有效期</Text>
        <Input id="invite-days" className="admin-short" type="number" value={days} onChange={setDays} />
        <Text>天</Text>
        <Button id="invite-create" type="primary" size="small" loading={busy} disabled={role === 'staff' && !unitId} onClick={() => void create()}>生成邀请码</Button>
      </View>
      {invite && (
        <View className="admin-invite" id="invite-result">
          <View className="muted">{whom(invite)}的邀请码</View>
          <View className="admin-invite__code" id="invite-code">{invite.code}</View>
          <View className="muted">有效期至 {formatTime(invite.expiresAt)}，仅可使用一次</View>
          {/* Sent on by chat: the code, what to do with it and the link, in one message. */}
          <View className="row admin-invite__actions">
            <Button
              id="invite-copy"
              className="tap-target"
              size="small"
              onClick={() =>
                void Taro.setClipboardData({ data: platform.shareMessage(inviteShare(invite)) }).then(
                  () => toast('已复制，可粘贴到聊天中发送'),
                  () => toast('复制失败，请长按邀请码手动复制'),
                )
              }
            >
              复制
            </Button>
            {platform.IS_WEAPP ? (
              // The chat card opens the bind page with the code filled in (useShareAppMessage above).
              <Button id="invite-share" className="tap-target" size="small" openType="share">分享</Button>
            ) : (
              <Button
                id="invite-share"
                className="tap-target"
                size="small"
                onClick={() =>
                  void platform.shareOrCopy(inviteShare(invite)).then(
                    (r) => r === 'copied' && toast('已复制邀请信息和链接，可粘贴到聊天中发送'),
                    () => toast('分享失败，请点“复制”后粘贴发送'),
                  )
                }
              >
                分享
              </Button>
            )}
          </View>
          {invite.link && <View className="muted admin-invite__link" id="invite-link">{invite.link}</View>}
          {invite.qr && (
            <View className="admin-invite__qr-box">
              <Image
                id="invite-qr"
                className="admin-invite__qr"
                src={invite.qr}
                mode="aspectFit"
                nativeProps={{ alt: `邀请码 ${invite.code} 的二维码，扫码打开“加入承办单位”` }}
              />
              <View className="muted">当面出示给对方，用{invite.link ? '手机相机或微信' : '微信'}扫码即可打开“加入承办单位”并填好邀请码</View>
            </View>
          )}
        </View>
      )}
      {role === 'staff' && unitId && (
        <View className="admin-gap" id="staff-users">
          <View className="field__label">该单位已有人员</View>
          {users.length === 0 && <View className="muted">暂无</View>}
          {users.map((u) => <View key={u.id} className="muted" id={`staff-user-${u.id}`}>{u.name}</View>)}
        </View>
      )}
      <Button id="admin-open-accounts" size="small" fill="none" onClick={() => void opGo('accounts')}>查看账号、会话和登录日志</Button>
    </View>
  );
}

const EMPTY_SCENE = { id: '', place: '', area: '', grid: '', category: '' };

function ScenesAdmin({ onError }: SectionProps) {
  const [scenes, setScenes] = useState<SceneRecord[]>([]);
  const [form, setForm] = useState(EMPTY_SCENE);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => adminApi.scenes().then(setScenes, (e) => onError(errorMessage(e))), [onError]);
  useEffect(() => {
    void load();
  }, [load]);
  const save = async () => {
    setBusy(true);
    try {
      const s = { id: form.id.trim(), place: form.place.trim(), ...(form.area.trim() ? { area: form.area.trim() } : {}), ...(form.grid.trim() ? { grid: form.grid.trim() } : {}), ...(form.category.trim() ? { category: form.category.trim() } : {}) };
      await adminApi.putScene(s);
      toast('已保存', 'success');
      setForm(EMPTY_SCENE);
      onError('');
      await load();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="op-grid">
      <View className="section" id="admin-scenes">
        <View className="section__title">二维码场景（地点、网格）</View>
        {scenes.map((s) => (
          <View key={s.id} className="admin-row" id={`admin-scene-${s.id}`}>
            <View className="admin-row__body">
              <View className="admin-row__title">{s.place}</View>
              <View className="muted">{[s.id, s.area, s.grid, s.category].filter(Boolean).join(' · ')}</View>
            </View>
            <Button id={`admin-scene-${s.id}-edit`} size="small" onClick={() => setForm({ id: s.id, place: s.place, area: s.area ?? '', grid: s.grid ?? '', category: s.category ?? '' })}>编辑</Button>
            <Button id={`admin-scene-${s.id}-poster`} size="small" type="primary" onClick={() => void opGo('poster', { scene: s.id })}>海报</Button>
          </View>
        ))}
      </View>
      <View className="section" id="scene-form">
        <View className="section__title">新增或修改场景</View>
        <Field label="场景值" hint="二维码携带的编号：字母、数字、_、-，最多32位">
          <Input id="scene-id" value={form.id} placeholder="park-binhe" onChange={(v) => setForm({ ...form, id: v })} />
        </Field>
        <Field label="地点名称（印在海报上）">
          <Input id="scene-place" value={form.place} placeholder="滨河公园南门" onChange={(v) => setForm({ ...form, place: v })} />
        </Field>
        <Field label="所属街道">
          <Input id="scene-area" value={form.area} placeholder="东区街道" onChange={(v) => setForm({ ...form, area: v })} />
        </Field>
        <Field label="网格">
          <Input id="scene-grid" value={form.grid} placeholder="东区第三网格" onChange={(v) => setForm({ ...form, grid: v })} />
        </Field>
        <Field label="默认类别">
          <Input id="scene-category" value={form.category} placeholder="市容环境" onChange={(v) => setForm({ ...form, category: v })} />
        </Field>
        <Button id="scene-save" type="primary" size="small" loading={busy} disabled={!form.id.trim() || !form.place.trim()} onClick={() => void save()}>保存</Button>
      </View>
    </View>
  );
}

const EMPTY_KB = { id: '', title: '', answer: '', keywords: '', category: '', unitId: '', reviewDate: '' };

function KbAdmin({ units, onError }: SectionProps) {
  const [articles, setArticles] = useState<KbRecord[]>([]);
  const [unitFilter, setUnitFilter] = useState('');
  const [form, setForm] = useState(EMPTY_KB);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => adminApi.kb().then(setArticles, (e) => onError(errorMessage(e))), [onError]);
  useEffect(() => {
    void load();
  }, [load]);
  const unitName = (id?: string) => (id ? units.find((u) => u.id === id)?.name ?? id : '平台');
  const save = async () => {
    setBusy(true);
    try {
      await adminApi.putKb({
        ...(form.id ? { id: form.id } : {}),
        title: form.title.trim(),
        answer: form.answer.trim(),
        keywords: list(form.keywords),
        ...(form.category.trim() ? { category: form.category.trim() } : {}),
        ...(form.unitId ? { unitId: form.unitId } : {}),
        ...(form.reviewDate ? { reviewDate: form.reviewDate } : {}),
      });
      toast('已保存', 'success');
      setForm(EMPTY_KB);
      onError('');
      await load();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await adminApi.deleteKb(id);
      toast('已删除', 'success');
      await load();
    } catch (e) {
      onError(errorMessage(e));
    }
  };
  const shown = articles.filter((a) => !unitFilter || (unitFilter === 'platform' ? !a.unitId : a.unitId === unitFilter));
  return (
    <View className="op-grid">
      <View className="section" id="admin-kb">
        <View className="section__title">知识库（由各单位维护）</View>
        <View className="chip-group">
          <View id="kb-filter-all" className={`chip${unitFilter === '' ? ' chip--active' : ''}`} onClick={() => setUnitFilter('')}>全部</View>
          <View id="kb-filter-platform" className={`chip${unitFilter === 'platform' ? ' chip--active' : ''}`} onClick={() => setUnitFilter('platform')}>平台</View>
          {units.map((u) => (
            <View key={u.id} id={`kb-filter-${u.id}`} className={`chip${unitFilter === u.id ? ' chip--active' : ''}`} onClick={() => setUnitFilter(u.id)}>{u.name}</View>
          ))}
        </View>
        {shown.map((a) => (
          <View key={a.id} className="admin-row" id={`admin-kb-${a.id}`}>
            <View className="admin-row__body">
              <View className="admin-row__title">{a.title}</View>
              <View className="muted admin-kb__answer">{a.answer}</View>
              <View className="muted">维护单位：{unitName(a.unitId)}{a.category ? ` · ${a.category}` : ''}{a.updatedAt ? ` · 更新于 ${formatTime(a.updatedAt)}` : ''}</View>
              <View className="muted" id={`admin-kb-${a.id}-upkeep`}>{a.reviewBy !== undefined ? `复核日期 ${formatTime(a.reviewBy).slice(0, 10)}` : ''}{a.uses !== undefined ? ` · 已用于答复 ${a.uses} 次` : ''}{a.pending ? ' · 有待审核的修改' : ''}</View>
            </View>
            <Button id={`admin-kb-${a.id}-edit`} size="small" onClick={() => setForm({ id: a.id, title: a.title, answer: a.answer, keywords: a.keywords.join('、'), category: a.category ?? '', unitId: a.unitId ?? '', reviewDate: a.reviewBy !== undefined ? formatTime(a.reviewBy).slice(0, 10) : '' })}>编辑</Button>
            <Button id={`admin-kb-${a.id}-delete`} size="small" type="danger" onClick={() => void remove(a.id)}>删除</Button>
          </View>
        ))}
        {shown.length === 0 && <View className="op-empty">暂无条目</View>}
      </View>
      <View className="section" id="kb-form">
        <View className="section__title">{form.id ? '编辑条目' : '新增条目'}</View>
        <Field label="问题">
          <Input id="kb-title" value={form.title} placeholder="如：社保卡丢失了怎么补办？" onChange={(v) => setForm({ ...form, title: v })} />
        </Field>
        <Field label="答复">
          <TextArea id="kb-answer" value={form.answer} autoSize placeholder="标准答复" onChange={(v) => setForm({ ...form, answer: v })} />
        </Field>
        <Field label="关键词" hint="用顿号或逗号分隔，用于搜索">
          <Input id="kb-keywords" value={form.keywords} placeholder="社保卡、补办" onChange={(v) => setForm({ ...form, keywords: v })} />
        </Field>
        <Field label="类别">
          <Input id="kb-category" value={form.category} placeholder="社会保障" onChange={(v) => setForm({ ...form, category: v })} />
        </Field>
        <Field label="复核日期" hint="过了这一天条目列为过期；不填则为180天后">
          <DateField id="kb-review-date" value={form.reviewDate} label="复核日期" onChange={(v) => setForm({ ...form, reviewDate: v })} />
        </Field>
        <View className="field">
          <View className="field__label">维护单位</View>
          <View className="chip-group">
            <View id="kb-unit-none" className={`chip${form.unitId === '' ? ' chip--active' : ''}`} onClick={() => setForm({ ...form, unitId: '' })}>平台</View>
            {units.filter((u) => u.active).map((u) => (
              <View key={u.id} id={`kb-unit-${u.id}`} className={`chip${form.unitId === u.id ? ' chip--active' : ''}`} onClick={() => setForm({ ...form, unitId: u.id })}>{u.name}</View>
            ))}
          </View>
        </View>
        <View className="row">
          <Button id="kb-save" type="primary" size="small" loading={busy} disabled={!form.title.trim() || !form.answer.trim()} onClick={() => void save()}>保存</Button>
          {form.id && <Button id="kb-new" size="small" onClick={() => setForm(EMPTY_KB)}>新增条目</Button>}
        </View>
      </View>
    </View>
  );
}

/** "2027-02-05~2027-02-11" for a run of consecutive days, "2027-02-14" for a single one. */
const KIND_ORDER = Object.keys(TEMPLATE_KINDS) as TemplateKind[];
const FOR_LABEL = { operator: '平台', unit: '承办单位', both: '平台和承办单位' } as const;

/** 回复模板: reply and refusal texts operators and units pick in their forms (issue 14 §6). */
function TemplatesAdmin({ onError }: SectionProps) {
  const [items, setItems] = useState<ReplyTemplate[]>([]);
  const [kind, setKind] = useState<TemplateKind>('answer');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => adminApi.templates().then(setItems, (e) => onError(errorMessage(e))), [onError]);
  useEffect(() => {
    void load();
  }, [load]);
  const reset = () => {
    setEditing(undefined);
    setTitle('');
    setText('');
  };
  const save = async () => {
    if (!title.trim() || text.trim().length < 2) return onError('请填写模板名称和内容');
    setBusy(true);
    try {
      await adminApi.putTemplate({ ...(editing ? { id: editing } : {}), kind, title: title.trim(), text: text.trim() });
      forgetOperatorTemplates();
      toast(editing ? '模板已更新' : '模板已添加', 'success');
      reset();
      onError('');
      await load();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await adminApi.deleteTemplate(id);
      forgetOperatorTemplates();
      await load();
    } catch (e) {
      onError(errorMessage(e));
    }
  };
  return (
    <View className="op-grid">
      <View className="section" id="admin-templates">
        <View className="section__title">模板（{items.length}）</View>
        {KIND_ORDER.map((k) => {
          const mine = items.filter((t) => t.kind === k);
          if (!mine.length) return null;
          return (
            <View key={k} id={`templates-of-${k}`}>
              <View className="field__label admin-gap">{TEMPLATE_KINDS[k].label}（{FOR_LABEL[TEMPLATE_KINDS[k].for]}使用）</View>
              {mine.map((t) => (
                <View key={t.id} className="admin-row" id={`template-row-${t.id}`}>
                  <View className="admin-row__body">
                    <View className="admin-row__title">{t.title}</View>
                    <View className="muted admin-kb__answer">{t.text}</View>
                  </View>
                  <Button size="small" onClick={() => { setEditing(t.id); setKind(t.kind); setTitle(t.title); setText(t.text); }}>编辑</Button>
                  <Button size="small" type="danger" onClick={() => void remove(t.id)}>删除</Button>
                </View>
              ))}
            </View>
          );
        })}
        {items.length === 0 && <View className="muted" id="templates-none">还没有模板。</View>}
      </View>
      <View className="section" id="template-form">
        <View className="section__title">{editing ? '编辑模板' : '新增模板'}</View>
        <Field label="用途">
          <ChipGroup idPrefix="template-kind" options={KIND_ORDER.map((k) => ({ value: k, label: TEMPLATE_KINDS[k].label }))} value={kind} onChange={setKind} />
        </Field>
        <Field label="名称">
          <Input id="template-title" value={title} maxLength={40} placeholder="如：已进入诉讼程序" onChange={setTitle} />
        </Field>
        <Field label="内容" hint="选用后可在表单中修改再发送">
          <TextArea id="template-text" value={text} maxLength={2000} autoSize placeholder="模板内容" onChange={setText} />
        </Field>
        <View className="row">
          <Button id="template-save" type="primary" size="small" loading={busy} onClick={() => void save()}>保存模板</Button>
          {editing && <Button size="small" onClick={reset}>取消编辑</Button>}
        </View>
      </View>
    </View>
  );
}

export function dayRuns(days: string[]): string[] {
  const out: string[] = [];
  let start = '';
  let prev = -1;
  for (const d of [...days].sort()) {
    const t = Date.parse(`${d}T00:00:00Z`);
    if (start && t === prev + 86_400_000) {
      out[out.length - 1] = `${start}~${d}`;
    } else {
      start = d;
      out.push(d);
    }
    prev = t;
  }
  return out;
}

/**
 * 节假日: the operator pastes the State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知),
 * sees the year the server read from it (admin.parseNotice writes nothing), and confirms it
 * (admin.importNotice). A notice that cannot be read fully, or a partial year, is refused.
 */
function CalendarAdmin({ onError }: SectionProps) {
  const [info, setInfo] = useState<CalendarInfo | null>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<ParsedNoticeView | null>(null);
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => adminApi.calendar().then(setInfo, (e) => onError(errorMessage(e))), [onError]);
  useEffect(() => {
    void load();
  }, [load]);
  const parse = async () => {
    setBusy(true);
    setResult('');
    try {
      setPreview(await adminApi.parseNotice(text));
      onError('');
    } catch (e) {
      setPreview(null);
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await adminApi.importNotice(text, preview.year);
      forgetCalendarWarning();
      setResult(`已导入 ${r.year} 年：法定节假日 ${r.holidays} 天，调休上班 ${r.makeUpWorkdays} 天${r.recomputed ? `；${r.recomputed} 件工单的暂定期限已重新计算` : ''}`);
      setPreview(null);
      setText('');
      onError('');
      await load();
      await loadPolicy(true);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="op-grid">
      <View className="section" id="admin-calendar">
        <View className="section__title">工作日日历</View>
        <View className="muted">期限按工作日计算：法定节假日不计，调休上班日计入。内置年份以外的年度须在此导入国务院办公厅公布的安排；未导入前，落在该年度的期限暂按周末计算并标为“暂定”，导入后自动重新计算。</View>
        {info?.warning && (
          <View className="form-error" id="calendar-warning">
            {info.warning.message}
          </View>
        )}
        <View className="admin-gap" id="calendar-built-in">内置：{info?.builtIn.join('、') ?? '…'}</View>
        <View id="calendar-loaded">
          已导入：{info?.loaded.length ? info.loaded.map((y) => `${y.year}年（节假日${y.holidays}天，调休上班${y.makeUpWorkdays}天）`).join('；') : '无'}
        </View>
      </View>
      <View className="section" id="calendar-form">
        <View className="section__title">导入新年度</View>
        <Field label="通知全文" hint="粘贴国务院办公厅关于某年部分节假日安排的通知（标题、各项安排），识别后请核对再确认导入">
          <TextArea
            id="calendar-notice"
            value={text}
            autoSize
            maxLength={20000}
            placeholder="国务院办公厅关于2027年部分节假日安排的通知……"
            onChange={(v) => {
              setText(v);
              setPreview(null);
            }}
          />
        </Field>
        <Button id="calendar-parse" size="small" loading={busy && !preview} disabled={!text.trim()} onClick={() => void parse()}>识别</Button>
        {preview && (
          <View className="admin-gap" id="calendar-preview">
            <View className="section__title" id="calendar-preview-year">{preview.year}年：法定节假日 {preview.holidays.length} 天，调休上班 {preview.makeUpWorkdays.length} 天</View>
            {preview.replaces && <View className="form-error" id="calendar-preview-replaces">{preview.year}年的安排已存在，确认后将被替换。</View>}
            {preview.festivals.map((f, i) => (
              <View key={f.names.join()} id={`calendar-preview-${i}`} className="admin-row">
                <Text>{f.names.join('、')}：放假 {dayRuns(f.holidays).join('、') || '无'}</Text>
                {f.makeUpWorkdays.length > 0 && <Text>；调休上班 {dayRuns(f.makeUpWorkdays).join('、')}</Text>}
              </View>
            ))}
            {preview.outsideYear.length > 0 && (
              <View className="muted" id="calendar-preview-outside">
                不在{preview.year}年内、未导入的日期：{preview.outsideYear.join('、')}
              </View>
            )}
            <Button id="calendar-confirm" type="primary" size="small" loading={busy} onClick={() => void confirm()}>确认导入{preview.year}年</Button>
          </View>
        )}
        {result && <View className="notice" id="calendar-result">{result}</View>}
      </View>
    </View>
  );
}

function ProfileAdmin({ onError }: SectionProps) {
  const [info, setInfo] = useState<ProfileInfo | null>(null);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  /** The preview being confirmed: a switch of regulation, or overrides of the profile in force. */
  const [pending, setPending] = useState<{ profileId: string; overrides: ProfileOverride[]; preview: ProfilePreview } | null>(null);
  const load = useCallback(async () => {
    try {
      const p = await loadPolicy(true);
      setInfo(p);
      setChosen(p.current.id);
      setValues(Object.fromEntries(overridableNumbers(fullProfile(p.current)).map((n) => [n.path, String(n.value)])));
    } catch (e) {
      onError(errorMessage(e));
    }
  }, [onError]);
  useEffect(() => {
    void load();
  }, [load]);
  const preview = async (profileId: string, overrides: ProfileOverride[]) => {
    setBusy(true);
    setDone('');
    try {
      const r = await adminApi.previewProfile(profileId, overrides);
      setPending({ profileId, overrides, preview: r });
      onError('');
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const previewOverrides = () => {
    if (!info) return;
    const numbers = overridableNumbers(fullProfile(info.current));
    const bad = numbers.find((n) => !/^\d+(\.\d+)?$/.test((values[n.path] ?? '').trim()));
    if (bad) return onError(`${bad.label}须为数字`);
    // Existing overrides stay; each edited number replaces or adds its own.
    const edited = numbers.filter((n) => Number(values[n.path]) !== n.value).map((n) => ({ path: n.path, value: Number(values[n.path]) }));
    if (!edited.length) return onError('没有修改任何数值');
    const kept = info.overrides.filter((o) => !edited.some((e) => e.path === o.path)).map((o) => ({ path: o.path, value: o.value as number }));
    void preview(info.current.id, [...kept, ...edited]);
  };
  const apply = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const r = await adminApi.setProfile(pending.profileId, pending.overrides);
      setDone(pending.preview.switching ? `已切换为《${r.regulation}》，适用于此后提交的诉求` : '平台设定的数值已调整，适用于此后提交的诉求');
      setPending(null);
      onError('');
      await load();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const p = info?.current;
  return (
    <View className="op-grid">
      <View className="section" id="admin-profile">
        <View className="section__title">现行政策</View>
        {p && (
          <View id="profile-current">
            <View className="admin-row__title" id="profile-regulation">《{p.regulation}》</View>
            <View className="muted">{p.place} · {p.platformName} · {p.year}年</View>
            <View className="admin-numbers" id="profile-numbers">
              <View className="field__label admin-gap">办理时限</View>
              {Object.entries(p.handling.deadlines).map(([type, byUrgency]) => (
                <View key={type} className="op-kv" id={`profile-deadline-${type}`}>
                  <Text className="op-kv__k">{REQUEST_TYPE_LABELS[type as keyof typeof REQUEST_TYPE_LABELS] ?? type}</Text>
                  <Text>
                    一般 {spanText(byUrgency.normal)}（{byUrgency.normal?.citation.article}）；紧急 {spanText(byUrgency.urgent)}；突发 {spanText(byUrgency.emergency)}
                  </Text>
                </View>
              ))}
              <View className="op-kv"><Text className="op-kv__k">受理</Text><Text>{spanText(p.intake.acceptWithin)}{p.intake.acceptWithin ? `（${p.intake.acceptWithin.citation.article}）` : ''}</Text></View>
              <View className="op-kv"><Text className="op-kv__k">签收</Text><Text>{spanText(p.handling.signWithin)}{p.handling.signWithin ? `（${p.handling.signWithin.citation.article}）` : ''}</Text></View>
              <View className="op-kv"><Text className="op-kv__k">申请退回</Text><Text>{spanText(p.handling.returnWithin)}{p.handling.returnWithin ? `（${p.handling.returnWithin.citation.article}）` : ''}</Text></View>
              <View className="op-kv" id="profile-extension">
                <Text className="op-kv__k">延期</Text>
                <Text>{p.extension.allowed ? `最多${p.extension.maxCount ?? '不限'}次，每次${p.extension.length === 'original' ? '与原时限相同' : spanText(p.extension.length)}（${p.extension.citation.article}）` : '不允许'}</Text>
              </View>
              <View className="op-kv"><Text className="op-kv__k">重办</Text><Text>最多{p.rework.maxCount}次，{spanText(p.rework.deadline)}（{p.rework.citation.article}）</Text></View>
              <View className="op-kv"><Text className="op-kv__k">评价</Text><Text>{p.rating.options.map((o) => o.label).join(' / ')}（{p.rating.citation.article}）</Text></View>
              <View className="op-kv"><Text className="op-kv__k">督办</Text><Text>{p.supervision.levels.join(' → ')}；{p.supervision.escalation.label}</Text></View>
              <View className="op-kv"><Text className="op-kv__k">考核</Text><Text>{p.assessment.figures.map((f) => ({ response: '响应率', resolution: '解决率', satisfaction: '满意率', onTime: '按时办结率' })[f]).join('、')}（{p.assessment.citation.article}）</Text></View>
              <View className="op-kv"><Text className="op-kv__k">不予受理</Text><Text>{p.intake.nonAcceptanceGrounds.length}种情形</Text></View>
              <View className="op-kv" id="profile-termination"><Text className="op-kv__k">终止办理</Text><Text>{fullProfile(p).termination.grounds.length ? fullProfile(p).termination.grounds.map((g) => `${g.label}（${g.citation.article}${g.by.includes('platform') ? '' : '，承办单位申请'}）`).join('；') : '条例未列明情形'}</Text></View>
            </View>
            {info && info.overrides.length > 0 && (
              <View className="muted" id="profile-overrides">平台调整：{info.overrides.map((o) => `${o.path}=${JSON.stringify(o.value)}`).join('；')}</View>
            )}
          </View>
        )}
      </View>
      <View className="section" id="profile-form">
        <View className="section__title">选择适用的政策</View>
        {(info?.available ?? []).map((a) => (
          <View key={a.id} id={`profile-option-${a.id}`} className={`admin-option${chosen === a.id ? ' admin-option--chosen' : ''}`} onClick={() => { setChosen(a.id); setPending(null); }}>
            <View className="admin-row__title">{a.place}</View>
            <View className="muted">《{a.regulation}》</View>
          </View>
        ))}
        <View className="field__hint">切换只适用于此后提交的诉求；已提交的诉求仍按提交时的政策办理，时限、再次办理次数等规则都不变。</View>
        <Button id="profile-apply" type="primary" size="small" loading={busy && !pending} disabled={!p || chosen === p.id || busy} onClick={() => void preview(chosen, [])}>预览切换的变化</Button>
        {done && <View className="notice" id="profile-done">{done}</View>}
      </View>
      {p && (
        <View className="section" id="profile-overrides-form">
          <View className="section__title">平台设定的数值</View>
          <View className="field__hint">条例交由平台设定的数值可以调整；条例规定的数值和条文依据不能修改。</View>
          {overridableNumbers(fullProfile(p)).map((n) => (
            <View key={n.path} className="admin-row" id={`override-${n.path.replace(/\./g, '-')}`}>
              <View className="admin-row__body">
                <View>{n.label}</View>
                <View className="muted">{n.article ? `依据${n.article}（平台设定）` : '平台设定'}</View>
              </View>
              <Input className="admin-short" id={`override-input-${n.path.replace(/\./g, '-')}`} type="digit" value={values[n.path] ?? ''} onChange={(v) => { setValues((x) => ({ ...x, [n.path]: v })); setPending(null); }} />
              <Text>{n.unit ?? ''}</Text>
            </View>
          ))}
          <Button id="overrides-preview" size="small" disabled={busy} onClick={previewOverrides}>预览调整的变化</Button>
        </View>
      )}
      {pending && (
        <View className="section" id="profile-confirm">
          <View className="section__title">{pending.preview.switching ? `切换为《${pending.preview.regulation}》将改变：` : '调整后将改变：'}</View>
          {pending.preview.changes.length === 0 ? (
            <View className="muted" id="profile-no-change">规则没有变化。</View>
          ) : (
            <View id="profile-changes">
              {pending.preview.changes.map((c) => (
                <View key={c.key} className="op-kv" id={`profile-change-${c.key.replace(/\./g, '-')}`}>
                  <Text className="op-kv__k">{c.label}</Text>
                  <Text>{c.from ?? '无'} → {c.to ?? '无'}</Text>
                </View>
              ))}
            </View>
          )}
          {pending.preview.switching && info && info.overrides.length > 0 && <View className="muted">现有的平台调整不带到新条例，新条例按其默认数值执行。</View>}
          <View className="field__hint">只适用于此后提交的诉求；已提交的诉求仍按原规则办理。</View>
          <View className="row">
            <Button id="profile-confirm-apply" type="primary" size="small" loading={busy} onClick={() => void apply()}>确认{pending.preview.switching ? '切换' : '调整'}</Button>
            <Button id="profile-confirm-cancel" size="small" disabled={busy} onClick={() => setPending(null)}>取消</Button>
          </View>
        </View>
      )}
    </View>
  );
}
