/** Random ids for client request ids and local keys: [a-z0-9], 20 characters. */
declare const crypto: { getRandomValues?: (a: Uint8Array) => Uint8Array } | undefined;

export function newId(): string {
  const bytes = new Uint8Array(12);
  // weapp's JS engine has no Web Crypto; Math.random is enough for ids the server scopes per user.
  if (typeof crypto !== 'undefined' && crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const rand = Array.from(bytes, (b) => (b % 36).toString(36)).join('');
  return `${Date.now().toString(36)}${rand}`.slice(0, 20);
}
