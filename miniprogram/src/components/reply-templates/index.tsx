import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ReplyTemplate, TemplateKind } from '@shared/contracts/templates';
import { pressable } from '../../ui/pressable';

interface Props {
  kind: TemplateKind;
  /** Where the templates come from (admin.templates for operators, staff.templates for units). */
  load(): Promise<ReplyTemplate[]>;
  /** Fills the form's text with the template, which the user then edits. */
  onPick(text: string): void;
}

/** 常用模板: the platform's templates of one kind as chips; a tap puts the text in the form. */
export default function ReplyTemplates({ kind, load, onPick }: Props) {
  const [items, setItems] = useState<ReplyTemplate[]>([]);
  useEffect(() => {
    let live = true;
    load().then((all) => live && setItems(all.filter((t) => t.kind === kind)), () => undefined);
    return () => {
      live = false;
    };
  }, [kind, load]);
  if (!items.length) return null;
  return (
    <View className="reply-templates" id={`templates-${kind}`}>
      <View className="field__hint">常用模板（点选后可修改）</View>
      <View className="chip-group">
        {items.map((t) => (
          <View key={t.id} id={`template-${t.id}`} className="chip" {...pressable(() => onPick(t.text))}>
            {t.title}
          </View>
        ))}
      </View>
    </View>
  );
}
