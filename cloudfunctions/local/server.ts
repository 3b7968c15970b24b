import http from 'node:http';
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
import { clientAddress, isSecure, trustFrom } from './ops/proxy';
import { setSecurityHeaders } from './ops/headers';
import { StaticFiles } from './ops/static';
import { compressSync, negotiate, MIN_COMPRESS_BYTES } from './ops/compress';
import { requestId, silentLogger, type Logger } from './ops/log';
import { RuntimeMetrics, routeOf } from './ops/metrics';
import type { Draining } from './ops/shutdown';

const JSON_LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 50 * 1024 * 1024 + 1;

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

/**
 * The first file part of a multipart/form-data body (RFC 7578), as wx.uploadFile sends it: one part
 * per upload. The type is still decided by the bytes (adapters/local/fileType.ts), not the part's headers.
 */
export function multipartFile(body: Buffer, contentType: string): Buffer {
  const boundary = contentType.match(/boundary=(?:"([^"]+)"|([^;\s]+))/i);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw new DomainError('invalid-input', '上传内容格式不正确');
  const delimiter = Buffer.from(`--${b}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headersEnd = body.indexOf('\r\n\r\n', at);
    if (headersEnd < 0) break;
    const headers = body.subarray(at, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${b}`), headersEnd + 4);
    if (next < 0) break;
    if (/filename=/i.test(headers)) return body.subarray(headersEnd + 4, next);
    at = next + 2;
  }
  throw new DomainError('invalid-input', '上传内容中没有文件');
}

/** A percent-decoded path; malformed encoding is the client's error, not a 500. */
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new DomainError('invalid-input', '地址格式不正确');
  }
}

/** A JSON answer, gzip- or brotli-compressed when it is large enough and the client accepts it. */
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  let payload: Buffer = Buffer.from(JSON.stringify(body), 'utf8');
  const all: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers };
  const enc = payload.length >= MIN_COMPRESS_BYTES ? negotiate(res.req?.headers['accept-encoding']) : 'identity';
  if (enc !== 'identity') {
    payload = compressSync(payload, enc);
    all['content-encoding'] = enc;
    all.vary = 'accept-encoding';
  }
  all['content-length'] = String(payload.length);
  res.writeHead(status, all);
  res.end(payload);
}

function bearer(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** What the process around the server supplies: where request logs go, the metrics registry. */
export interface ServerOps {
  logger?: Logger;
  metrics?: RuntimeMetrics;
}

export type LocalServer = http.Server & { draining: Draining; metrics: RuntimeMetrics; statics: StaticFiles };

/** The whole local runtime over HTTP: functions, uploads, files, the H5 app, /metrics, and dev hooks for tests. */
export function createServer(deps: LocalDeps, config: LocalConfig, ops: ServerOps = {}): LocalServer {
  const trust = trustFrom(config.trustProxy);
  const metricsAllowed = trustFrom(config.metricsAllow ?? 'loopback');
  const logger = ops.logger ?? silentLogger;
  const metrics = ops.metrics ?? new RuntimeMetrics({ db: deps.db });
  const statics = new StaticFiles(config.h5Dir);
  const draining: Draining = { closing: false, inFlight: 0, responses: new Set() };
  const signer = new TokenSigner(config.secret);
  const signToken = (userId: string, sessionId?: string, expiresAt?: number) => signer.sign(userId, deps.clock.now(), sessionId, expiresAt);
  const caller = (req: http.IncomingMessage): Promise<Caller> => callerFromToken(signer, deps.directory, bearer(req), deps.clock.now());

  const server = http.createServer(async (req, res) => {
    const t0 = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://local');
    const peer = req.socket.remoteAddress ?? '';
    const ip = clientAddress(req, trust);
    const reqId = requestId(req, peer !== '' && trust(peer, 0));
    res.setHeader('x-request-id', reqId);
    setSecurityHeaders(res, { secure: isSecure(req, trust), file: url.pathname.startsWith('/files/') });
    if (draining.closing) res.setHeader('connection', 'close');
    draining.inFlight++;
    draining.responses.add(res);
    metrics.inFlight.inc();
    res.once('close', () => {
      draining.inFlight--;
      draining.responses.delete(res);
      metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observe(routeOf(url.pathname), req.method ?? '', status, seconds);
      logger.log('info', 'request', { reqId, method: req.method, path: url.pathname, status, ms: Math.round(seconds * 10_000) / 10, ip, ...(peer !== ip ? { peer } : {}) });
    });
    try {
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        const who = await caller(req);
        if (!who.user || who.user.deletedAt !== undefined) throw new DomainError('unauthenticated');
        const raw = await readBody(req, UPLOAD_LIMIT);
        // wx.uploadFile (the weapp against this server) can only send multipart/form-data; h5 sends the bytes.
        const bytes = String(req.headers['content-type'] ?? '').startsWith('multipart/form-data') ? multipartFile(raw, String(req.headers['content-type'])) : raw;
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
      if (url.pathname === '/metrics') {
        // Only for the monitoring host (METRICS_ALLOW, default loopback): never through the public proxy.
        if (!metricsAllowed(ip, 0)) return send(res, 403, { ok: false, code: 'forbidden', message: '禁止访问' });
        const text = await metrics.text();
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        return res.end(text);
      }
      const file = statics.resolve(decodePath(url.pathname));
      if (!file) return send(res, 403, { ok: false, code: 'forbidden', message: '禁止访问' });
      if (!(await statics.serve(file, req, res))) {
        res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<h1>H5 尚未构建</h1><p>请运行 <code>npm run build:h5</code> 后刷新。</p>');
      }
    } catch (e) {
      const f = failure(e);
      if (!f.ok && f.code === 'internal') logger.log('error', 'internal error', { reqId, path: url.pathname, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if (res.headersSent) return res.destroy();
      return send(res, f.ok ? 200 : f.code === 'internal' ? 500 : 200, f);
    }
  });
  return Object.assign(server, { draining, metrics, statics });
}
