import { View, Text } from '@tarojs/components';
import { LIMITS } from '@shared/contracts/limits';
import type { RequestType } from '@shared/profiles/schema';
import type { PublicProfile, SceneInfo } from '../../api/types';
import { issueFor, type FormIssues, type TicketForm } from '../../form/submitInput';
import { REQUEST_TYPES, REQUEST_TYPE_LABELS } from '../../labels';
import * as platform from '../../platform';
import { Button, Input, Switch, TextArea } from '../../ui';
import ChipGroup from '../chip-group';
import './index.scss';

interface Props {
  value: TicketForm;
  onChange(patch: Partial<TicketForm>): void;
  profile: PublicProfile | null;
  issues: FormIssues;
  /** grid: a grid worker's field report, with 代为反映. */
  mode: 'resident' | 'grid';
  scene?: SceneInfo | null;
  disabled?: boolean;
  onError?(message: string): void;
}

const GRID_URGENCIES = [
  { value: 'normal', label: '一般' },
  { value: 'urgent', label: '紧急' },
  { value: 'emergency', label: '突发' },
] as const;

function FieldError({ issues, field }: { issues: FormIssues; field: string }) {
  const msg = issueFor(issues, field);
  return msg ? <View className="error-text" id={`error-${field}`}>{msg}</View> : null;
}

/** The request's fields: type, category, text, location, contact, 保密 (and 代为反映 for grid workers). */
export default function TicketFormFields({ value, onChange, profile, issues, mode, scene, disabled, onError }: Props) {
  const types: RequestType[] = profile?.requestTypes?.length ? profile.requestTypes : REQUEST_TYPES;
  const categories = profile?.categories ?? [];
  const contactRequired = mode === 'grid' && value.onBehalf;

  const locate = async () => {
    try {
      const loc = await platform.pickLocation();
      onChange({ lat: loc.lat, lng: loc.lng, ...(loc.address ? { address: loc.address } : {}) });
    } catch (e) {
      if (!platform.isCancel(e)) onError?.((e as Error).message || '无法获取位置，请手动填写地址');
    }
  };

  return (
    <View className="ticket-form">
      {scene && (
        <View className="notice" id="scene-banner">
          扫码位置：{scene.place}
          {scene.grid ? ` · 网格 ${scene.grid}` : ''}
          {scene.category ? ` · ${scene.category}` : ''}
        </View>
      )}

      <View className="section">
        <View className="field" id="field-type">
          <View className="field__label field__label--required">反映类型</View>
          <ChipGroup idPrefix="type" options={types.map((t) => ({ value: t, label: REQUEST_TYPE_LABELS[t] }))} value={value.type} disabled={disabled} onChange={(t) => onChange({ type: t })} />
          <FieldError issues={issues} field="type" />
        </View>

        <View className="field" id="field-category">
          <View className="field__label field__label--required">问题类别</View>
          {categories.length > 0 && (
            <ChipGroup
              className="ticket-form__categories"
              idPrefix="category"
              options={categories.map((c, i) => ({ value: c, label: c, id: `category-${i}` }))}
              value={value.category}
              disabled={disabled}
              onChange={(c) => onChange({ category: c })}
            />
          )}
          <Input
            id="field-category-input"
            className="ticket-form__category-input"
            placeholder={categories.length ? '或者直接填写类别' : '例如：市容环境、道路交通'}
            value={value.category}
            maxLength={LIMITS.category}
            disabled={disabled}
            onChange={(v) => onChange({ category: v })}
          />
          <FieldError issues={issues} field="category" />
        </View>

        <View className="field">
          <View className="field__label field__label--required">反映内容</View>
          <TextArea
            id="field-content"
            viewId="field-content-box"
            placeholder="请描述问题：什么时间、什么地点、发生了什么（至少5个字）"
            value={value.content}
            maxLength={LIMITS.content}
            showCount
            autoSize
            disabled={disabled}
            onChange={(v) => onChange({ content: v })}
          />
          {/* The field keeps at most LIMITS.content characters: a longer paste is cut, and says so. */}
          {value.content.length >= LIMITS.content && (
            <View className="field__hint field__hint--warn" id="content-at-limit">已达到{LIMITS.content}字上限，超出的部分没有保留，请精简后再补充</View>
          )}
          <FieldError issues={issues} field="content" />
        </View>

        <View className="field">
          <View className="field__label">问题地点</View>
          <View className="row ticket-form__address">
            <Input
              id="field-address"
              className="ticket-form__address-input"
              placeholder="街道、小区、门牌号或附近标志"
              value={value.address}
              maxLength={LIMITS.address}
              disabled={disabled}
              onChange={(v) => onChange({ address: v })}
            />
            <Button id="pick-location" className="tap-target" size="small" disabled={disabled} onClick={() => void locate()}>定位</Button>
          </View>
          {typeof value.lat === 'number' && (
            <View className="field__hint" id="location-coords">已记录位置：{value.lat.toFixed(5)}, {value.lng?.toFixed(5)}</View>
          )}
          {(value.grid || value.area) && (
            <View className="field__hint" id="location-grid">{[value.area, value.grid && `网格 ${value.grid}`].filter(Boolean).join(' · ')}</View>
          )}
          <FieldError issues={issues} field="address" />
          <FieldError issues={issues} field="location" />
        </View>
      </View>

      <View className="section">
        {mode === 'grid' && (
          <View className="field row ticket-form__switch">
            <Text className="field__label">代群众反映</Text>
            <Switch id="field-on-behalf" label="代群众反映" checked={value.onBehalf} disabled={disabled} onChange={(v) => onChange({ onBehalf: v })} />
            <View className="field__hint">代为反映时须填写群众的姓名和电话</View>
          </View>
        )}
        <View className="field">
          <View className={`field__label${contactRequired ? ' field__label--required' : ''}`}>{mode === 'grid' && value.onBehalf ? '群众姓名' : '联系人'}</View>
          <Input
            id="field-contact-name"
            placeholder="姓名"
            value={value.contactName}
            maxLength={LIMITS.name}
            disabled={disabled}
            onChange={(v) => onChange({ contactName: v })}
          />
          <FieldError issues={issues} field="contactName" />
        </View>
        <View className="field">
          <View className={`field__label${contactRequired ? ' field__label--required' : ''}`}>{mode === 'grid' && value.onBehalf ? '群众电话' : '联系电话'}</View>
          <Input
            id="field-contact-phone"
            type="tel"
            placeholder="手机号或固定电话"
            value={value.contactPhone}
            maxLength={13}
            disabled={disabled}
            onChange={(v) => onChange({ contactPhone: v.trim() })}
          />
          <View className="field__hint">留下电话，承办单位可以联系您；也可凭电话后四位查询进度</View>
          <FieldError issues={issues} field="contactPhone" />
          <FieldError issues={issues} field="contact" />
        </View>
        {mode === 'grid' ? (
          <View className="field" id="field-urgency">
            <View className="field__label">紧急程度</View>
            <ChipGroup idPrefix="urgency" options={GRID_URGENCIES} value={value.urgency ?? 'normal'} disabled={disabled} onChange={(u) => onChange({ urgency: u })} />
            <View className="field__hint">现场发现可能危及安全的情况请选“紧急”或“突发”，平台将按紧急时限转办。</View>
          </View>
        ) : (
          <View className="field" id="field-urgent">
            <View className="row ticket-form__switch">
              <Text className="field__label">情况紧急</Text>
              <Switch id="field-urgent-hint" label="情况紧急" checked={value.urgency === 'urgent'} disabled={disabled} onChange={(v) => onChange({ urgency: v ? 'urgent' : 'normal' })} />
            </View>
            <View className="notice ticket-form__emergency" id="emergency-lines">
              遇火灾请拨打<Text className="ticket-form__line">119</Text>，治安警情请拨打<Text className="ticket-form__line">110</Text>，急病、受伤请拨打<Text className="ticket-form__line">120</Text>，交通事故请拨打<Text className="ticket-form__line">122</Text>。需要立即出警、救援的，请直接拨打上述电话。
            </View>
            {value.urgency === 'urgent' && <View className="field__hint" id="urgent-hint-explained">已标记紧急：平台核实后确定紧急程度和办理时限。</View>}
          </View>
        )}
        <View className="field">
          <View className="row ticket-form__switch">
            <Text className="field__label">申请保密</Text>
            <Switch id="field-confidential" label="申请保密" checked={value.confidential} disabled={disabled} onChange={(v) => onChange({ confidential: v })} />
          </View>
          <View className={`field__hint${value.confidential ? ' ticket-form__confidential--on' : ''}`} id="confidential-explanation">
            {profile?.confidentiality?.explanation ?? '申请保密后，承办单位看不到您的姓名和电话。'}
            {profile?.confidentiality?.citation ? `（${profile.confidentiality.citation.article}）` : ''}
          </View>
        </View>
      </View>
    </View>
  );
}
