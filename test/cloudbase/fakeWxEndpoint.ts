/**
 * A fake of the CloudBase API endpoint on 127.0.0.1 for the REAL wx-server-sdk (and the
 * @cloudbase/node-sdk 2.x inside it). The SDK is pointed at it the way a function instance is
 * configured: `TCB_CONTEXT_CNFG={"URL": ...}` is the endpoint the platform injects, the
 * TENCENTCLOUD_* variables are the instance's credentials and region, `TENCENTCLOUD_RUNENV=SCF`
 * says "inside a function" (so the SDK does not probe Tencent's metadata service).
 *
 * `cloud.openapi.<api>(data)` arrives as a multipart POST with `action=wx.openApi`, `apiName` and
 * `requestData`: a protobuf `CommApiData { apiType = 1; OpenApiData openapiData = 2 { repeated
 * KeyValuePair pairs = 1 { string key = 1; bytes value = 2 } } }` whose values are JSON. The answer
 * is a protobuf `CommOpenApiResp { bytes respData = 1; string contentType = 2 }`. The codec below is
 * written from that wire format on purpose, not borrowed from the SDK, so the fake checks what the
 * SDK really sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenApiCall {
  api: string;
  /** The request's fields, JSON-parsed, in the snake_case the SDK converts them to. */
  data: Record<string, unknown>;
}

export interface OpenApiAnswer {
  contentType: string;
  body: Buffer;
}

export type OpenApiHandler = (call: OpenApiCall) => OpenApiAnswer | Promise<OpenApiAnswer>;

export const json = (v: unknown): OpenApiAnswer => ({ contentType: 'application/json; charset=UTF-8', body: Buffer.from(JSON.stringify(v)) });

// --- protobuf (only the wire types these messages use) ---

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, pos];
    shift += 7;
  }
}

/** Field number → raw values (varints as numbers, length-delimited as buffers). */
function fields(buf: Buffer): Map<number, Array<number | Buffer>> {
  const out = new Map<number, Array<number | Buffer>>();
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const type = tag & 7;
    let value: number | Buffer;
    if (type === 0) [value, pos] = readVarint(buf, pos);
    else if (type === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else throw new Error(`unexpected protobuf wire type ${type}`);
    out.set(no, [...(out.get(no) ?? []), value]);
  }
  return out;
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

function lengthDelimited(no: number, value: Buffer): Buffer {
  return Buffer.concat([varint(no * 8 + 2), varint(value.length), value]);
}

export function decodeCommApiData(buf: Buffer): Record<string, unknown> {
  const top = fields(buf);
  const openapiData = top.get(2)?.[0];
  const data: Record<string, unknown> = {};
  if (!Buffer.isBuffer(openapiData)) return data;
  for (const pair of fields(openapiData).get(1) ?? []) {
    const kv = fields(pair as Buffer);
    const key = (kv.get(1)?.[0] as Buffer | undefined)?.toString('utf8') ?? '';
    const value = (kv.get(2)?.[0] as Buffer | undefined)?.toString('utf8') ?? '';
    data[key] = JSON.parse(value);
  }
  return data;
}

export function encodeCommOpenApiResp(a: OpenApiAnswer): Buffer {
  return Buffer.concat([lengthDelimited(1, a.body), lengthDelimited(2, Buffer.from(a.contentType))]);
}

// --- multipart/form-data, kept as bytes (requestData is binary) ---

export function multipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (name) parts.set(name, part.subarray(headerEnd + 4));
    start = next;
  }
  return parts;
}

export interface FakeWxEndpoint {
  url: string;
  calls: OpenApiCall[];
  /** Requests that were not wx.openApi (action names), to catch anything unexpected. */
  others: string[];
  handler: OpenApiHandler;
  close(): Promise<void>;
}

/** Starts the fake; `handler` answers each openapi call (replace `endpoint.handler` per test). */
export async function startFakeWxEndpoint(handler: OpenApiHandler): Promise<FakeWxEndpoint> {
  const endpoint: FakeWxEndpoint = { url: '', calls: [], others: [], handler, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const form = multipart(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
          const action = form.get('action')?.toString('utf8') ?? '';
          if (action !== 'wx.openApi') {
            endpoint.others.push(action);
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code: 'INVALID_ACTION', message: `fake: ${action}` }));
            return;
          }
          const call: OpenApiCall = { api: form.get('apiName')?.toString('utf8') ?? '', data: decodeCommApiData(form.get('requestData') ?? Buffer.alloc(0)) };
          endpoint.calls.push(call);
          const answer = await endpoint.handler(call);
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(encodeCommOpenApiResp(answer));
        } catch (e) {
          res.writeHead(500).end(String(e));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  endpoint.url = `http://127.0.0.1:${port}/admin`;
  endpoint.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return endpoint;
}

/** The variables a CloudBase function instance has, pointing the SDK at `url`. Returns a restore function. */
export function functionInstanceEnv(url: string, extra: Record<string, string> = {}): () => void {
  const vars: Record<string, string> = {
    TENCENTCLOUD_RUNENV: 'SCF',
    TCB_ENV: 'fake-env-1a2b',
    SCF_NAMESPACE: 'fake-env-1a2b',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'fake-secret-id',
    TENCENTCLOUD_SECRETKEY: 'fake-secret-key',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: url }),
    ...extra,
  };
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
