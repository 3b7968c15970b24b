/**
 * A fake CloudBase API endpoint on 127.0.0.1 that a bundled function talks to over HTTP, the way
 * it talks to Tencent cloud: @cloudbase/node-sdk's database and storage actions (JSON POSTs) and
 * wx-server-sdk's `wx.openApi` (multipart, see fakeWxEndpoint.ts). Documents live in a
 * FakeCloudDb (its semantics: duplicate ids, `updated` counts, the 100/1000 row limits); the wire
 * requests are translated into its calls. Files live in memory and are served by temporary URLs
 * on the same server (HEAD, GET and byte ranges).
 *
 * Limits, on purpose: a transaction's writes apply at once (no isolation, no rollback), which is
 * enough for a smoke test of one call at a time and not a model of CloudBase transactions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCommApiData, encodeCommOpenApiResp, multipart, type OpenApiCall, type OpenApiHandler } from './fakeWxEndpoint';
import { FakeCloudDb, FakeDbError } from './fakeCloudDb';
import type { CloudQuery, Doc } from '../../cloudfunctions/adapters/cloudbase/db';

/** EJSON (canonical or relaxed) as plain JSON: {"$numberInt":"1"} → 1. */
function plain(v: unknown): unknown {
  if (typeof v === 'string') {
    try {
      return plain(JSON.parse(v));
    } catch {
      return v;
    }
  }
  return unwrap(v);
}

function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['$numberInt', '$numberLong', '$numberDouble']) if (k in o && Object.keys(o).length === 1) return Number(o[k]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A wire filter ({ a: { $lte: 1 }, $or: [...] }) as FakeCloudDb filter objects and commands. */
function toFilter(db: FakeCloudDb, q: unknown): unknown {
  const _ = db.command;
  if (!isObject(q)) return q;
  const parts: unknown[] = [];
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and') parts.push(_.and((v as unknown[]).map((x) => toFilter(db, x) as never)));
    else if (k === '$or') parts.push(_.or((v as unknown[]).map((x) => toFilter(db, x) as never)));
    else fields[k] = toCondition(db, v);
  }
  if (!parts.length) return fields;
  if (Object.keys(fields).length) parts.unshift(fields);
  return parts.length === 1 ? parts[0] : _.and(parts as never);
}

function toCondition(db: FakeCloudDb, v: unknown): unknown {
  const _ = db.command;
  if (!isObject(v) || !Object.keys(v).some((k) => k.startsWith('$'))) return v;
  const ops = Object.entries(v).map(([op, x]) => {
    switch (op) {
      case '$gt':
        return _.gt(x as number);
      case '$gte':
        return _.gte(x as number);
      case '$lt':
        return _.lt(x as number);
      case '$lte':
        return _.lte(x as number);
      case '$ne':
        return _.neq(x);
      case '$in':
        return _.in(x as unknown[]);
      case '$nin':
        return _.nin(x as unknown[]);
      case '$eq':
        return x;
      case '$or':
        return _.or((x as unknown[]).map((c) => toCondition(db, c)) as never);
      case '$and':
        return _.and((x as unknown[]).map((c) => toCondition(db, c)) as never);
      default:
        throw new FakeDbError('INVALID_PARAM', `wire fake: unsupported operator ${op}`);
    }
  });
  return ops.length === 1 ? ops[0] : _.and(ops as never);
}

/** A wire update ({ $set: {...}, $inc: {...} }) as FakeCloudDb update fields. */
function toUpdate(db: FakeCloudDb, data: unknown): Record<string, unknown> {
  const _ = db.command;
  const out: Record<string, unknown> = {};
  if (!isObject(data)) return out;
  for (const [op, fields] of Object.entries(data)) {
    if (!isObject(fields)) continue;
    for (const [path, value] of Object.entries(fields)) {
      if (op === '$set') out[path] = _.set(value);
      else if (op === '$inc') out[path] = _.inc(Number(value));
      else throw new FakeDbError('INVALID_PARAM', `wire fake: unsupported update ${op}`);
    }
  }
  return out;
}

export interface StoredBlob {
  bytes: Buffer;
  contentType: string;
}

export interface WireCloudbase {
  url: string;
  db: FakeCloudDb;
  files: Map<string, StoredBlob>;
  /** Every action received, in order ('database.getDocument', 'wx.openApi:subscribeMessage.send', 'GET /files/…' …). */
  log: string[];
  openapiCalls: OpenApiCall[];
  openapi: OpenApiHandler;
  close(): Promise<void>;
}

export async function startWireCloudbase(openapi: OpenApiHandler): Promise<WireCloudbase> {
  const db = new FakeCloudDb();
  const fake: WireCloudbase = { url: '', db, files: new Map(), log: [], openapiCalls: [], openapi, close: async () => undefined };
  let base = '';

  async function database(action: string, p: Record<string, unknown>): Promise<unknown> {
    const coll = db.collection(String(p.collectionName ?? ''));
    const filter = p.query !== undefined ? toFilter(db, plain(p.query)) : undefined;
    let query: CloudQuery = filter !== undefined ? coll.where(filter as never) : (coll as unknown as CloudQuery);
    switch (action) {
      case 'database.startTransaction':
        return { transactionId: `tx-${fake.log.length}` };
      case 'database.commitTransaction':
      case 'database.abortTransaction':
        return {};
      case 'database.getDocument':
      case 'database.getInTransaction': {
        const order = p.order !== undefined ? plain(p.order) : undefined;
        if (isObject(order)) for (const [f, dir] of Object.entries(order)) query = query.orderBy(f, Number(dir) < 0 ? 'desc' : 'asc');
        if (Array.isArray(order)) for (const o of order as { field: string; direction: string }[]) query = query.orderBy(o.field, o.direction === 'desc' ? 'desc' : 'asc');
        if (typeof p.limit === 'number') query = query.limit(p.limit);
        const { data } = await query.get();
        const list = (Array.isArray(data) ? data : data ? [data] : []) as Doc[];
        if (action === 'database.getInTransaction') return { data: list[0] ? JSON.stringify(list[0]) : null };
        return { data: { list: list.map((d) => JSON.stringify(d)), limit: p.limit ?? 100, offset: 0 } };
      }
      case 'database.calculateDocument':
        return { data: { total: (await query.count()).total } };
      case 'database.insertDocument': {
        const ids: string[] = [];
        for (const d of (p.data as unknown[]) ?? []) ids.push((await coll.add(plain(d) as Doc)).id as string);
        return { data: { insertedIds: ids } };
      }
      case 'database.modifyDocument':
      case 'database.updateDocInTransaction': {
        const data = plain(p.data);
        const hasOps = isObject(data) && Object.keys(data).some((k) => k.startsWith('$'));
        if (!hasOps) {
          // doc(id).set(): the whole document, replaced or created.
          const id = isObject(filter) ? String((filter as Record<string, unknown>)._id) : '';
          await coll.doc(id).set(data as Doc);
          return { data: { updated: 1, upsert_id: null } };
        }
        const { updated } = await query.update(toUpdate(db, data) as Doc);
        return { data: { updated, upsert_id: null } };
      }
      case 'database.removeDocument':
      case 'database.deleteDocInTransaction':
        return { data: { deleted: (await query.remove()).deleted } };
      default:
        throw new FakeDbError('INVALID_ACTION', `wire fake: ${action} is not implemented`);
    }
  }

  function storage(action: string, p: Record<string, unknown>): unknown {
    if (action !== 'storage.batchGetDownloadUrl') throw new FakeDbError('INVALID_ACTION', `wire fake: ${action} is not implemented`);
    const list = (p.file_list as { fileid: string }[]).map(({ fileid }) =>
      fake.files.has(fileid)
        ? { fileID: fileid, tempFileURL: `${base}/files/${Buffer.from(fileid).toString('base64url')}`, code: 'SUCCESS' }
        : { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' },
    );
    return { data: { download_list: list } };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        try {
          if (req.url?.startsWith('/files/')) {
            const id = Buffer.from(req.url.slice('/files/'.length).split('?')[0]!, 'base64url').toString('utf8');
            const file = fake.files.get(id);
            fake.log.push(`${req.method} /files/${id}${req.headers.range ? ` ${req.headers.range}` : ''}`);
            if (!file) return void res.writeHead(404).end();
            const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
            if (range) {
              const start = Number(range[1]);
              const end = Math.min(range[2] ? Number(range[2]) : file.bytes.length - 1, file.bytes.length - 1);
              const part = file.bytes.subarray(start, end + 1);
              res.writeHead(206, { 'content-type': file.contentType, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${file.bytes.length}` });
              return void res.end(req.method === 'HEAD' ? undefined : part);
            }
            res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
            return void res.end(req.method === 'HEAD' ? undefined : file.bytes);
          }
          const type = String(req.headers['content-type'] ?? '');
          if (type.startsWith('multipart/form-data')) {
            const form = multipart(body, type);
            const call: OpenApiCall = { api: form.get('apiName')?.toString('utf8') ?? '', data: decodeCommApiData(form.get('requestData') ?? Buffer.alloc(0)) };
            fake.log.push(`wx.openApi:${call.api}`);
            fake.openapiCalls.push(call);
            const answer = await fake.openapi(call);
            return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(encodeCommOpenApiResp(answer));
          }
          const p = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
          const action = String(p.action ?? '');
          fake.log.push(action);
          const result = action.startsWith('database.') ? await database(action, p) : storage(action, p);
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ requestId: `req-${fake.log.length}`, ...(result as object) }));
        } catch (e) {
          const code = e instanceof FakeDbError ? e.code : 'SYS_ERR';
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ requestId: 'err', code, message: (e as Error).message }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = `${base}/admin`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
