/** Random ids for client request ids and local keys: [a-z0-9], 20 characters. */
export function newId(): string {
  const bytes = new Uint8Array(12);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const rand = Array.from(bytes, (b) => (b % 36).toString(36)).join('');
  return `${Date.now().toString(36)}${rand}`.slice(0, 20);
}
