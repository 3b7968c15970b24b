import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import type { SuggestedUnit, UnitRecord } from '../../../api/types';
import { Input } from '../../../ui';
import { formatTime } from '../../../util/format';
import './index.scss';

export type DispatchMode = 'single' | 'lead' | 'separate';

export interface UnitChoice {
  /** single: one unit; lead: the lead unit; separate: every unit. */
  units: string[];
  assist: string[];
}

interface Props {
  mode: DispatchMode;
  units: UnitRecord[];
  /** suggestUnits: by past dispatches of the category, then declared categories and areas. */
  suggested: SuggestedUnit[];
  category: string;
  area?: string;
  value: UnitChoice;
  onChange(v: UnitChoice): void;
}

/** Units to dispatch to, the suggested ones first with why; the buttons follow the dispatch mode. */
export default function UnitPicker({ mode, units, suggested, category, area, value, onChange }: Props) {
  const [filter, setFilter] = useState('');
  const byId = new Map(units.filter((u) => u.active).map((u) => [u.id, u]));
  const score = new Map(suggested.map((s) => [s.id, s]));
  const ordered = [
    ...suggested.filter((s) => byId.has(s.id)).map((s) => byId.get(s.id)!),
    ...[...byId.values()].filter((u) => !score.has(u.id)),
  ].filter((u) => !filter || u.name.includes(filter) || u.categories.some((c) => c.includes(filter)) || u.areas.some((a) => a.includes(filter)));

  const toggleMain = (id: string) => {
    if (mode === 'separate') {
      const units = value.units.includes(id) ? value.units.filter((u) => u !== id) : [...value.units, id];
      onChange({ units, assist: [] });
    } else {
      onChange({ units: value.units[0] === id ? [] : [id], assist: value.assist.filter((a) => a !== id) });
    }
  };
  const toggleAssist = (id: string) => {
    const assist = value.assist.includes(id) ? value.assist.filter((a) => a !== id) : [...value.assist, id];
    onChange({ units: value.units.filter((u) => u !== id), assist });
  };

  return (
    <View className="unit-picker" id="unit-picker">
      <Input id="unit-filter" className="unit-picker__filter" placeholder="按单位名称、类别或区域筛选" value={filter} onChange={setFilter} />
      {ordered.map((u) => {
        const s = score.get(u.id);
        const reasons = [
          s?.returnedAt !== undefined ? `已于${formatTime(s.returnedAt)}退回本件` : '',
          s && s.pastDispatches > 0 ? `同类已派${s.pastDispatches}次` : '',
          u.categories.includes(category) ? '职责类别相符' : '',
          area && u.areas.includes(area) ? '属地相符' : '',
        ].filter(Boolean);
        const recommended = !!s && s.score > 0 && s.returnedAt === undefined;
        const main = value.units.includes(u.id);
        const assist = value.assist.includes(u.id);
        return (
          <View key={u.id} id={`unit-${u.id}`} className={`unit-picker__row${main || assist ? ' unit-picker__row--chosen' : ''}`}>
            <View className="unit-picker__body">
              <View>
                <Text className="unit-picker__name">{u.name}</Text>
                {recommended && <Text className="unit-picker__tag" id={`unit-${u.id}-suggested`}>推荐</Text>}
              </View>
              <View className="muted">{reasons.length ? reasons.join(' · ') : u.categories.slice(0, 4).join('、')}</View>
            </View>
            <View className="row">
              <View id={`unit-${u.id}-lead`} className={`chip${main ? ' chip--active' : ''}`} onClick={() => toggleMain(u.id)}>
                {mode === 'lead' ? '主办' : mode === 'separate' ? (main ? '已选' : '选择') : main ? '已选' : '派给'}
              </View>
              {mode === 'lead' && (
                <View id={`unit-${u.id}-assist`} className={`chip${assist ? ' chip--active' : ''}`} onClick={() => toggleAssist(u.id)}>协办</View>
              )}
            </View>
          </View>
        );
      })}
      {ordered.length === 0 && <View className="op-empty">没有符合条件的单位</View>}
    </View>
  );
}
