import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';

/** Whether a hop's address may be believed when it says who it forwarded for. */
export type Trust = (addr: string, hop: number) => boolean;

const NOBODY: Trust = () => false;

/**
 * TRUST_PROXY as a trust function: a comma-separated list of addresses, CIDR ranges and the names
 * `loopback`, `linklocal`, `uniquelocal` (proxy-addr's syntax). Empty or unset: no proxy is
 * trusted and `X-Forwarded-*` headers are ignored. A malformed entry throws at start-up.
 */
export function trustFrom(value: string | undefined): Trust {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return NOBODY;
  return proxyaddr.compile(list);
}

/**
 * The client's address: the socket's peer, or — when the peer is a trusted proxy — the nearest
 * address in `X-Forwarded-For` that is not itself a trusted proxy. Rate limits key on this.
 */
export function clientAddress(req: http.IncomingMessage, trust: Trust): string {
  if (!req.socket.remoteAddress) return '';
  return proxyaddr(req, trust);
}

/** Whether the request reached us over TLS: our own socket, or a trusted proxy that says `X-Forwarded-Proto: https`. */
export function isSecure(req: http.IncomingMessage, trust: Trust): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const peer = req.socket.remoteAddress;
  if (!peer || !trust(peer, 0)) return false;
  const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  return proto === 'https';
}
