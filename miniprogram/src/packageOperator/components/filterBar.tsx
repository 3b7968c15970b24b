import { Button as TaroButton, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { pressable } from '../keyboard';
import { keyboardButton } from '../../ui/pressable';
import { CHANNEL_LABELS, URGENCY_LABELS, type TicketFilters } from '../workbench';

/** One box for what a caller reads out: a ticket number, a phone (or its last four digits), or words. */
export function parseQuery(q: string): Pick<TicketFilters, 'number' | 'phone' | 'text'> {
  const s = q.trim();
  if (!s) return {};
  if (/^\d{4}$|^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/.test(s)) return { phone: s };
  if (/^[A-Za-z]{1,4}\d{6,20}$/.test(s)) return { number: s.toUpperCase() };
  return { text: s };
}

const dateOf = (ms: number | undefined) => {
  if (ms === undefined) return '';
  const d = new Date(ms + 8 * 3_600_000);
  return d.toISOString().slice(0, 10);
};
/** "2026-03-02" → its midnight in Asia/Shanghai, or undefined. */
const instantOf = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00+08:00`) : undefined);

/**
 * The search and filters above the operator's queue. `onApply` receives the filters; the page
 * puts them into its URL, so the search can be shared and survives a reload.
 */
export default function FilterBar({ value, onApply }: { value: TicketFilters; onApply(f: TicketFilters): void }) {
  const [q, setQ] = useState(value.number ?? value.phone ?? value.text ?? '');
  const [f, setF] = useState<TicketFilters>(value);
  const [from, setFrom] = useState(dateOf(value.from));
  const [to, setTo] = useState(dateOf(value.to === undefined ? undefined : value.to - 86_400_000));
  const set = (patch: Partial<TicketFilters>) => setF((old) => ({ ...old, ...patch }));
  const toggle = <K extends keyof TicketFilters>(k: K, v: TicketFilters[K]) => set({ [k]: f[k] === v ? undefined : v } as Partial<TicketFilters>);
  const apply = () => {
    const { number: _n, phone: _p, text: _t, ...rest } = f;
    const toInstant = instantOf(to);
    const out: TicketFilters = { ...rest, ...parseQuery(q), from: instantOf(from), to: toInstant === undefined ? undefined : toInstant + 86_400_000 };
    for (const k of Object.keys(out) as (keyof TicketFilters)[]) if (out[k] === undefined || out[k] === '') delete out[k];
    onApply(out);
  };
  const chip = (active: boolean) => `chip wb-chip${active ? ' chip--active' : ''}`;
  const clear = () => {
    setQ('');
    setF({});
    setFrom('');
    setTo('');
    onApply({});
  };
  return (
    <View className="wb-filters" id="queue-filters">
      <View className="row wb-filters__main">
        <Input id="filter-q" className="wb-input wb-filters__q" value={q} placeholder="工单号、来电号码（或后四位）、关键词" onInput={(e) => setQ(e.detail.value)} onConfirm={apply} />
        <TaroButton id="filter-apply" className="wb-btn wb-btn--primary" {...keyboardButton(apply)} onClick={apply}>搜索</TaroButton>
        <TaroButton id="filter-clear" className="wb-btn" {...keyboardButton(clear)} onClick={clear}>
          清除
        </TaroButton>
      </View>
      <View className="row wb-filters__more">
        <Input id="filter-category" className="wb-input wb-filters__small" value={f.category ?? ''} placeholder="类别" onInput={(e) => set({ category: e.detail.value || undefined })} onConfirm={apply} />
        <Input id="filter-area" className="wb-input wb-filters__small" value={f.area ?? ''} placeholder="区域" onInput={(e) => set({ area: e.detail.value || undefined })} onConfirm={apply} />
        <Input id="filter-from" className="wb-input wb-filters__small" value={from} placeholder="起 2026-03-01" onInput={(e) => setFrom(e.detail.value)} onConfirm={apply} />
        <Input id="filter-to" className="wb-input wb-filters__small" value={to} placeholder="止 2026-03-31" onInput={(e) => setTo(e.detail.value)} onConfirm={apply} />
        {(Object.keys(URGENCY_LABELS) as (keyof typeof URGENCY_LABELS)[]).map((u) => (
          <View key={u} id={`filter-urgency-${u}`} className={chip(f.urgency === u)} {...pressable(() => toggle('urgency', u))}>{URGENCY_LABELS[u]}</View>
        ))}
        <View id="filter-utilities" className={chip(!!f.utilities)} {...pressable(() => set({ utilities: f.utilities ? undefined : true }))}>水电气暖</View>
        <View id="filter-due-overdue" className={chip(f.due === 'overdue')} {...pressable(() => toggle('due', 'overdue'))}>已超期</View>
        <View id="filter-due-atRisk" className={chip(f.due === 'atRisk')} {...pressable(() => toggle('due', 'atRisk'))}>临近期限</View>
        {(Object.keys(CHANNEL_LABELS) as (keyof typeof CHANNEL_LABELS)[]).map((c) => (
          <View key={c} id={`filter-channel-${c}`} className={chip(f.channel === c)} {...pressable(() => toggle('channel', c))}>{CHANNEL_LABELS[c]}</View>
        ))}
        <Text className="muted">（回车搜索）</Text>
      </View>
    </View>
  );
}
