/** "13812345678" → "138****5678"; anything shorter than 7 characters shows nothing. */
export function maskPhone(phone: string | undefined): string | undefined {
  if (!phone) return phone;
  if (phone.length < 7) return '****';
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** "张三丰" → "张**". */
export function maskName(name: string | undefined): string | undefined {
  if (!name) return name;
  return `${name.slice(0, 1)}${'*'.repeat(Math.max(1, name.length - 1))}`;
}

/** What a unit reads instead of a requester it may not see. */
export const CONFIDENTIAL_CONTACT = '通过平台联系';
