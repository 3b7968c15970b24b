import { Picker, View } from '@tarojs/components';
import './index.scss';

interface Props {
  id: string;
  /** YYYY-MM-DD, or '' for none yet. */
  value: string;
  onChange(value: string): void;
  /** Said when nothing is chosen, and read out by screen readers. */
  label: string;
  start?: string;
  end?: string;
}

/**
 * A day chosen from a calendar instead of typed: the browser's date input on h5, the native date
 * picker on weapp. The value is always YYYY-MM-DD.
 */
export default function DateField({ id, value, onChange, label, start, end }: Props) {
  if (process.env.TARO_ENV === 'h5') {
    return (
      <View id={id} className="date-field">
        <input className="date-field__input" type="date" value={value} min={start} max={end} aria-label={label} onChange={(e) => onChange(e.currentTarget.value)} />
      </View>
    );
  }
  return (
    <Picker mode="date" value={value} start={start} end={end} onChange={(e) => onChange(String(e.detail.value))}>
      <View id={id} className={`date-field${value ? '' : ' date-field--empty'}`}>{value || label}</View>
    </Picker>
  );
}
