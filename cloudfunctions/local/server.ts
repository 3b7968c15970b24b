import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { handle, isFunctionName } from '../lib/router';
import { callerFromToken, TokenSigner, type Caller } from '../lib/identity';
import { failure } from '../lib/respond';
import { runTimer } from '../lib/timer';
import { DomainError } from '../../shared/errors';
import { fileKindSchema } from '../../shared/contracts/common';
import { verifyFileUrl, filePathOf } from '../adapters/local/fileStore';
import type { LocalDeps } from './localDeps';
import type { OutboxSmsSender } from '../adapters/sms/outboxSms';
import type { LocalConfig } from './config';

const JSON_LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 50 * 1024 * 1024 + 1;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.svg': 'image/svg+xml', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.aac': 'audio/aac', '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.amr': 'audio/amr', '.pdf': 'application/pdf',
};

/**
 * The request body, up to `limit` bytes. A longer body is read to its end and dropped, so the
 * client gets the refusal instead of a reset connection; one far past the limit is cut off.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length'] ?? 0) > limit;
    const tooLarge = () => reject(new DomainError('file-too-large', '提交的内容过大'));
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > 2 * limit + 1024 * 1024) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? tooLarge() : resolve(Buffer.concat(chunks))));
    req.on('close', () => (over ? tooLarge() : undefined));
    req.on('error', reject);
  });
}

/** A percent-decoded path; malformed encoding is the client's error, not a 500. */
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new DomainError('invalid-input', '地址格式不正确');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

function bearer(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** The whole local runtime over HTTP: functions, uploads, files, the H5 app, and dev hooks for tests. */
export function createServer(deps: LocalDeps, config: LocalConfig) {
  const signer = new TokenSigner(config.secret);
  const signToken = (userId: string, sessionId?: string, expiresAt?: number) => signer.sign(userId, deps.clock.now(), sessionId, expiresAt);
  const caller = (req: http.IncomingMessage): Promise<Caller> => callerFromToken(signer, deps.directory, bearer(req), deps.clock.now());

  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const ip = req.socket.remoteAddress ?? '';
    try {
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        const who = await caller(req);
        if (!who.user || who.user.deletedAt !== undefined) throw new DomainError('unauthenticated');
        const bytes = await readBody(req, UPLOAD_LIMIT);
        const durationSec = url.searchParams.get('durationSec');
        const hint = fileKindSchema.safeParse(url.searchParams.get('kind'));
        const seconds = durationSec === null ? undefined : Number(durationSec);
        if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) throw new DomainError('invalid-input', '时长不正确');
        const meta = { ...(seconds !== undefined ? { durationSec: seconds } : {}), ...(hint.success ? { kind: hint.data } : {}) };
        const stored = await deps.files.put(who.user.id, url.searchParams.get('name') ?? 'upload', bytes, meta, deps.clock.now());
        return send(res, 200, { ok: true, data: { fileId: stored.fileId, kind: stored.kind, size: stored.size, durationSec: stored.durationSec } });
      }
      if (url.pathname.startsWith('/api/_dev/')) {
        if (!config.devClock) return send(res, 404, { ok: false, code: 'not-found', message: '未找到' });
        const body = JSON.parse((await readBody(req, JSON_LIMIT)).toString('utf8') || '{}') as { advanceMs?: number };
        if (url.pathname === '/api/_dev/clock') deps.clock.offsetMs += Number(body.advanceMs ?? 0);
        if (url.pathname === '/api/_dev/timer') return send(res, 200, { ok: true, data: await runTimer(deps, deps.ids.id('run')) });
        if (url.pathname === '/api/_dev/sms') {
          const outbox = (deps.auth as { outbox?: OutboxSmsSender } | undefined)?.outbox;
          return send(res, 200, { ok: true, data: { text: outbox?.lastTo(url.searchParams.get('phone') ?? '') ?? null } });
        }
        return send(res, 200, { ok: true, data: { now: deps.clock.now(), offsetMs: deps.clock.offsetMs } });
      }
      const fn = url.pathname.match(/^\/api\/([a-z]+)$/)?.[1];
      if (fn !== undefined) {
        if (req.method !== 'POST') return send(res, 405, { ok: false, code: 'invalid-input', message: '请使用POST' });
        if (!isFunctionName(fn)) return send(res, 404, { ok: false, code: 'not-found', message: '没有这个功能' });
        let event: unknown;
        try {
          event = JSON.parse((await readBody(req, JSON_LIMIT)).toString('utf8'));
        } catch (e) {
          if (e instanceof DomainError) throw e;
          throw new DomainError('invalid-input', '请求内容不是有效的JSON');
        }
        const who = await caller(req);
        // The timer runs on the cron (or the dev hook); over HTTP nobody is the platform's clock.
        if (fn === 'timer' && !who.user) throw new DomainError('unauthenticated');
        const result = await handle(fn, event, who, deps, { signToken, ip });
        return send(res, 200, result);
      }
      if (url.pathname.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
        const rel = decodePath(url.pathname.slice('/files/'.length));
        const exp = url.searchParams.get('exp') ?? '';
        const sig = url.searchParams.get('sig') ?? '';
        if (!verifyFileUrl(rel, exp, sig, deps.clock.now(), config.secret)) return send(res, 403, { ok: false, code: 'forbidden', message: '链接已失效' });
        const fileId = `local:${rel}`;
        filePathOf(fileId);
        const stat = await deps.files.stat(fileId);
        if (!stat) return send(res, 404, { ok: false, code: 'not-found', message: '文件不存在' });
        const bytes = await deps.files.read(fileId);
        res.writeHead(200, { 'content-type': stat.mime, 'content-length': String(bytes.length), 'cache-control': 'private, max-age=600', 'x-content-type-options': 'nosniff' });
        return res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
      }
      if (url.pathname === '/healthz') return send(res, 200, { ok: true, data: { now: deps.clock.now() } });
      return serveStatic(config.h5Dir, url.pathname, res);
    } catch (e) {
      const f = failure(e);
      return send(res, f.ok ? 200 : f.code === 'internal' ? 500 : 200, f);
    }
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse) {
  const rel = path.normalize(decodePath(pathname)).replace(/^([/\\])+/, '');
  let file = path.join(root, rel);
  if (!file.startsWith(root)) return send(res, 403, { ok: false, code: 'forbidden', message: '禁止访问' });
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
    return res.end('<h1>H5 尚未构建</h1><p>请运行 <code>npm run build:h5</code> 后刷新。</p>');
  }
  const ext = path.extname(file);
  res.writeHead(200, { 'content-type': MIME[ext] ?? 'application/octet-stream', 'cache-control': ext === '.html' ? 'no-cache' : 'public, max-age=3600' });
  fs.createReadStream(file).pipe(res);
}
