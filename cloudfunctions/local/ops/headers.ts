import { createHash } from 'node:crypto';
import type http from 'node:http';

/**
 * The H5 app's Content-Security-Policy. Everything comes from this origin; styles may be inline
 * (Taro injects component styles at run time); images, audio and video may be `blob:` or `data:`
 * (previews of photos and recordings before upload). No eval, no framing, and no inline script
 * except those whose hashes are listed (index.html's own, see `appCsp`).
 */
export function appCsp(scriptHashes: readonly string[] = []): string {
  return CSP_PARTS.map((p) => (p === "script-src 'self'" ? [p, ...scriptHashes.map((h) => `'${h}'`)].join(' ') : p)).join('; ');
}

const CSP_PARTS = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

export const APP_CSP = appCsp();

/** `sha256-…` of each inline `<script>` in an HTML page (Taro's index.html sets the root font size inline). */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(m[1] ?? '') || !m[2]) continue;
    out.push(`sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}`);
  }
  return out;
}

/** Uploaded files are shown, never run: no scripts, no plugins, a sandboxed origin. */
export const FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/** 180 days; no includeSubDomains: the county's other hosts are not ours to pin. */
export const HSTS = 'max-age=15552000';

/** Headers every response carries; HSTS only when the request came over TLS (directly or via a trusted proxy). */
export function setSecurityHeaders(res: http.ServerResponse, opts: { secure: boolean; file?: boolean }): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(self), microphone=(self), geolocation=(self), payment=()');
  res.setHeader('content-security-policy', opts.file ? FILE_CSP : APP_CSP);
  if (opts.secure) res.setHeader('strict-transport-security', HSTS);
}
