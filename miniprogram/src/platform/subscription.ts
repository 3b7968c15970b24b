/** Subscription messages: asking for consent to the notices a ticket will send. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

/**
 * Asks for consent to the given template keys (ids by key come from the profile); returns the keys accepted.
 * 背景: requestSubscribeMessage works only inside a tap handler, and fails silently (errCode 20004,
 * "main switch off") when the user turned subscriptions off; one-time templates need one tap per message.
 * The browser has no subscriptions: h5 reports every key as accepted and the local runtime's
 * outbox shows the notices.
 * 复现路径: call it from useEffect → "requestSubscribeMessage:fail can only be invoked by user TAP gesture".
 * Call it first thing in the tap handler, before any other await.
 */
export async function requestSubscribe<K extends string>(templateIds: Partial<Record<K, string>>, keys: K[]): Promise<K[]> {
  if (!IS_WEAPP) return keys;
  const wanted = keys.filter((k) => templateIds[k]);
  if (wanted.length === 0) return [];
  const ids = wanted.map((k) => templateIds[k]!);
  const res = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
  return wanted.filter((k) => res[templateIds[k]!] === 'accept');
}
