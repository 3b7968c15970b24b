import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { appCsp, inlineScriptHashes } from './headers';
import { compressOnce, compressible, negotiate, MIN_COMPRESS_BYTES, type Encoding } from './compress';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.svg': 'image/svg+xml', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.aac': 'audio/aac', '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.amr': 'audio/amr', '.pdf': 'application/pdf',
};

/** A content hash in the file name (webpack's `[name].[contenthash:8].js`): the bytes never change under that name. */
export const HASHED = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_SHORT = 'public, max-age=3600';
export const CACHE_HTML = 'no-cache';

export function cacheControlFor(file: string): string {
  if (path.extname(file) === '.html') return CACHE_HTML;
  return HASHED.test(path.basename(file)) ? CACHE_IMMUTABLE : CACHE_SHORT;
}

interface Entry {
  mtimeMs: number;
  size: number;
  etag: string;
  type: string;
  raw: Buffer;
  /** HTML only: the app CSP with the hashes of this page's inline scripts. */
  csp?: string;
  encoded: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer>>>;
}

/**
 * The built H5 app from memory: each file read once (again when its mtime changes), text files
 * compressed once with brotli 11 and gzip 9 off the event loop, ETag/304, long-lived caching for
 * content-hashed names and `no-cache` for index.html. Unknown paths fall back to index.html (the
 * app's router owns them).
 */
export class StaticFiles {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly root: string) {}

  /** Compresses every text file ahead of the first visitor; failures only mean it happens on demand. */
  warm(): Promise<void> {
    const walk = (dir: string): string[] => {
      try {
        return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
      } catch {
        return [];
      }
    };
    return Promise.all(
      walk(this.root).map(async (file) => {
        const e = this.entry(file);
        if (e && compressible(e.type) && e.size >= MIN_COMPRESS_BYTES) await Promise.all([this.encoded(e, 'br'), this.encoded(e, 'gzip')]);
      }),
    ).then(() => undefined, () => undefined);
  }

  private entry(file: string): Entry | null {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const raw = fs.readFileSync(file);
    const e: Entry = { mtimeMs: st.mtimeMs, size: raw.length, etag: `W/"${raw.length.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`, type: MIME[path.extname(file)] ?? 'application/octet-stream', raw, encoded: {} };
    if (path.extname(file) === '.html') e.csp = appCsp(inlineScriptHashes(raw.toString('utf8')));
    this.cache.set(file, e);
    return e;
  }

  private encoded(e: Entry, enc: Exclude<Encoding, 'identity'>): Promise<Buffer> {
    return (e.encoded[enc] ??= compressOnce(e.raw, enc));
  }

  /** Resolves the request path to a file under the root; null means "refuse" (it escaped the root). */
  resolve(pathname: string): string | null {
    const rel = path.normalize(pathname).replace(/^([/\\])+/, '');
    const file = path.join(this.root, rel);
    if (file !== this.root && !file.startsWith(this.root + path.sep)) return null;
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? file : path.join(this.root, 'index.html');
  }

  /** Serves `file`; false when it does not exist (the H5 app is not built). */
  async serve(file: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const e = this.entry(file);
    if (!e) return false;
    const headers: Record<string, string> = { 'content-type': e.type, 'cache-control': cacheControlFor(file), etag: e.etag, vary: 'accept-encoding', ...(e.csp ? { 'content-security-policy': e.csp } : {}) };
    if (req.headers['if-none-match'] === e.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const enc = compressible(e.type) && e.size >= MIN_COMPRESS_BYTES ? negotiate(req.headers['accept-encoding']) : 'identity';
    const body = enc === 'identity' ? e.raw : await this.encoded(e, enc);
    if (enc !== 'identity') headers['content-encoding'] = enc;
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
