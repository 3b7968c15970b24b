/**
 * Uploads and files, through the local HTTP server (in this process, on loopback):
 *  - the type is read from the bytes, never from the name or a hint;
 *  - oversize files and bodies are refused with a structured error;
 *  - over-long media are refused, whoever says how long they are;
 *  - file ids and URLs that try to leave the files directory (`../`, encoded, doubled, via
 *    media.url / media.register / attachments / GET /files/…) are refused, even with a valid
 *    signature;
 *  - someone else's file cannot be attached or registered, and a file URL follows the visibility
 *    of the ticket the file belongs to;
 *  - the text limits of the contracts hold on the HTTP API, not only in the UI.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiResult } from '../../shared/contracts/api';
import { LIMITS } from '../../shared/contracts/common';
import { api, createRig, dispatched, EXE_BYTES, login, PNG_1X1, request, SECRET, serveRig, type HttpReply, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

const started = Date.now();
/** Inputs refused with their code, and the accepted controls beside them (counted apart). */
let refused = 0;
let controls = 0;
afterAll(() => recordFigure('uploads', { refused, controls, ms: Date.now() - started }));

const MB = 1024 * 1024;
let rig: Rig;
let srv: { base: string; close(): Promise<void> };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  rig = await createRig();
  srv = await serveRig(rig);
  for (const u of ['demo-resident', 'demo-resident2', 'demo-staff-cg', 'demo-staff-zj', 'demo-operator']) tokens[u] = await login(srv.base, u);
});
afterAll(async () => {
  await srv.close();
  await rig.close();
});

type Stored = { fileId: string; kind: string; size: number; durationSec?: number };
const upload = (who: string, bytes: Buffer, query = 'name=x.png') => request<ApiResult<Stored>>(srv.base, 'POST', `/api/upload?${query}`, bytes, { authorization: `Bearer ${tokens[who]}` });
const call = <T = unknown>(who: string, fn: string, event: unknown) => api<T>(srv.base, fn, event, tokens[who]);
const codeOf = (r: ApiResult<unknown>) => (r.ok ? 'ok' : r.code);

/** A WAV (8 kHz, 8-bit, mono: 8000 bytes a second) of `seconds` of silence; its header says how long it is. */
function wav(seconds: number): Buffer {
  const data = 8000 * seconds;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24); // sample rate
  h.writeUInt32LE(8000, 28); // byte rate
  h.writeUInt16LE(1, 32); // block align
  h.writeUInt16LE(8, 34); // bits
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data, 40);
  return Buffer.concat([h, Buffer.alloc(data, 0x80)]);
}
const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'ascii'), Buffer.alloc(320, 0x3c)]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42', 'ascii'), Buffer.alloc(64)]);

describe('the type comes from the bytes', () => {
  const BYTES: Record<string, Buffer> = {
    exe: EXE_BYTES,
    html: Buffer.from('<html><script>alert(1)</script></html>'),
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    sh: Buffer.from('#!/bin/sh\nrm -rf /\n'),
    zip: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
    elf: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
    empty: Buffer.alloc(0),
  };
  it.each([
    ['a Windows executable named .png', 'exe', 'name=photo.png'],
    ['an executable with the hint kind=image', 'exe', 'name=photo.jpg&kind=image'],
    ['an HTML page named .jpg', 'html', 'name=x.jpg'],
    ['an SVG with a script named .png', 'svg', 'name=x.png'],
    ['a shell script named .mp3', 'sh', 'name=a.mp3'],
    ['a ZIP named .mp4', 'zip', 'name=v.mp4'],
    ['an ELF binary named .amr', 'elf', 'name=a.amr'],
    ['an empty body', 'empty', 'name=x.png'],
  ])('%s → file-type-not-allowed', async (_name, bytes, query) => {
    const before = rig.count('files');
    const r = await upload('demo-resident', BYTES[bytes]!, query);
    expect(codeOf(r.body)).toBe('file-type-not-allowed');
    expect(rig.count('files')).toBe(before);
    refused++;
  });

  it('a real PNG named .exe is stored as an image; served back as image/png with nosniff', async () => {
    const r = await upload('demo-resident', PNG_1X1, 'name=evil.exe');
    expect(r.body).toMatchObject({ ok: true, data: { kind: 'image' } });
    const stored = (r.body as { data: Stored }).data;
    expect(stored.fileId).toMatch(/\.png$/);
    const link = await call<{ url: string }>('demo-resident', 'media', { action: 'url', fileId: stored.fileId });
    if (!link.ok) throw new Error(link.message);
    const got = await request(srv.base, 'GET', link.data.url);
    expect([got.status, got.headers['content-type'], got.headers['x-content-type-options']]).toEqual([200, 'image/png', 'nosniff']);
    controls++;
  });
});

describe('oversize', () => {
  it('an image over 10 MB → file-too-large (Chinese message), nothing stored', async () => {
    const big = Buffer.alloc(10 * MB + 1);
    PNG_1X1.copy(big);
    const before = rig.count('files');
    const r = await upload('demo-resident', big);
    expect(r.body).toMatchObject({ ok: false, code: 'file-too-large' });
    expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
    expect(rig.count('files')).toBe(before);
    refused++;
  });

  /** The reply to an oversize body, or the network error instead of one. */
  async function replyOrError(p: Promise<HttpReply<ApiResult<unknown>>>): Promise<unknown> {
    try {
      return (await p).body;
    } catch (e) {
      return `no reply: ${(e as Error).message}`;
    }
  }

  it('an upload body over the 50 MB limit gets a structured refusal, not a dropped connection', async () => {
    const huge = Buffer.alloc(51 * MB);
    MP4.copy(huge);
    expect(await replyOrError(upload('demo-resident', huge, 'name=v.mp4'))).toMatchObject({ ok: false, code: 'file-too-large' });
    // And the server is still there.
    expect((await request(srv.base, 'GET', '/healthz')).status).toBe(200);
    refused++;
  });

  it('a function call body over 1 MB gets a structured refusal, not a dropped connection', async () => {
    const body = JSON.stringify({ action: 'kbSearch', text: 'x'.repeat(2 * MB) });
    expect(await replyOrError(request(srv.base, 'POST', '/api/resident', body, { authorization: `Bearer ${tokens['demo-resident']}` }))).toMatchObject({ ok: false, code: expect.stringMatching(/^(file-too-large|invalid-input)$/) });
    refused++;
  });
});

describe('over-long media', () => {
  const MEDIA = { AMR, MP4 };
  it.each([
    ['audio (AMR) said to be 61 s', 'AMR', 'name=a.amr&durationSec=61', 'media-too-long'],
    ['video (MP4) said to be 3600 s', 'MP4', 'name=v.mp4&durationSec=3600', 'media-too-long'],
    ['a duration that is not a number', 'AMR', 'name=a.amr&durationSec=abc', 'invalid-input'],
    ['a negative duration', 'AMR', 'name=a.amr&durationSec=-5', 'invalid-input'],
    ['an infinite duration', 'AMR', 'name=a.amr&durationSec=Infinity', 'invalid-input'],
    ['audio said to be exactly 60 s (the limit)', 'AMR', 'name=a.amr&durationSec=60', 'ok'],
  ] as const)('%s (%s) → %s', async (_name, media, query, code) => {
    expect(codeOf((await upload('demo-resident', MEDIA[media], query)).body)).toBe(code);
    if (code === 'ok') controls++;
    else refused++;
  });

  it('a WAV whose own header says 120 s is refused even when the client claims 5 s', async () => {
    const r = await upload('demo-resident', wav(120), 'name=a.wav&durationSec=5');
    expect(codeOf(r.body)).toBe('media-too-long');
    refused++;
  });

  it('media.register cannot stretch a stored medium past the limit (refused, or the recorded duration stays)', async () => {
    const stored = await rig.upload('demo-resident', AMR, { durationSec: 10 });
    const r = await call<{ durationSec?: number }>('demo-resident', 'media', { action: 'register', fileId: stored.fileId, durationSec: 120 });
    if (r.ok) expect(r.data.durationSec ?? 0).toBeLessThanOrEqual(LIMITS.mediaSeconds);
    else expect(r.code).toBe('media-too-long');
    // Attached to a submission, the file carries the duration the server recorded, not the claim.
    const sub = await call<{ ticket: { attachments: { durationSec?: number }[] } }>('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ attachments: [{ fileId: stored.fileId, kind: 'audio', durationSec: 5 }] }) });
    if (!sub.ok) throw new Error(sub.message);
    expect(sub.data.ticket.attachments[0]?.durationSec).toBe(10);
    refused++;
  });
});

describe('paths that try to leave the files directory', () => {
  let realId: string;
  beforeAll(async () => {
    // Something worth stealing next to the files directory.
    fs.writeFileSync(path.join(rig.dir, 'secret.txt'), 'TOP-SECRET-DO-NOT-SERVE');
    realId = (await rig.upload('demo-resident', PNG_1X1)).fileId;
  });

  const TRAVERSALS = [
    'local:../../etc/passwd',
    'local:../mashang.db',
    'local:202603/../../secret.txt',
    'local:202603/../../../../etc/passwd',
    'local:..%2f..%2fetc%2fpasswd',
    'local:%2e%2e/%2e%2e/etc/passwd',
    'local:....//....//etc/passwd',
    'local:/etc/passwd',
    'local:202603/..\\..\\secret.txt',
    'local:202603/x.png/../../../secret.txt',
    'cloud://../../etc/passwd',
    'local:202603/\u0000.png',
  ];

  it.each(TRAVERSALS)('media.url / media.register / an attachment with %j → refused, nothing written', async (fileId) => {
    const before = rig.writes();
    for (const [fn, event] of [
      ['media', { action: 'url', fileId }],
      ['media', { action: 'register', fileId }],
      ['resident', { action: 'submit', input: rig.submitInput({ attachments: [{ fileId, kind: 'image' }] }) }],
    ] as const) {
      const r = await call('demo-resident', fn, event);
      expect({ fn, code: codeOf(r) }).toEqual({ fn, code: expect.stringMatching(/^(invalid-input|not-found|file-not-owned)$/) });
      expect(JSON.stringify(r)).not.toMatch(/TOP-SECRET|root:|SQLite format/);
    }
    expect(rig.writes()).toEqual(before);
    refused++;
  });

  const sign = (rel: string, exp: number) => createHmac('sha256', SECRET).update(`${rel}\n${exp}`).digest('base64url');

  it.each([
    '/files/..%2f..%2fetc%2fpasswd',
    '/files/..%2fsecret.txt',
    '/files/%2e%2e%2fsecret.txt',
    '/files/202603%2f..%2f..%2fsecret.txt',
    '/files/..%252fsecret.txt',
    '/files/%2e%2e/%2e%2e/secret.txt',
    '/files/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
  ])('GET %s → refused, never the file', async (url) => {
    const r = await request(srv.base, 'GET', url);
    expect(r.status).not.toBe(200);
    expect(r.raw.toString('latin1')).not.toMatch(/TOP-SECRET|root:x:|SQLite format/);
    refused++;
  });

  it('a traversal with a valid signature (a leaked secret) is still refused', async () => {
    const exp = rig.clock.now() + 60_000;
    for (const rel of ['../secret.txt', '202603/../../secret.txt', '../mashang.db']) {
      const r = await request(srv.base, 'GET', `/files/${encodeURIComponent(rel)}?exp=${exp}&sig=${sign(rel, exp)}`);
      expect(r.status).toBe(403);
      expect(r.raw.toString('latin1')).not.toMatch(/TOP-SECRET|SQLite format/);
    }
    // Control: the same signing gives a working URL for a real file.
    const rel = realId.slice('local:'.length);
    expect((await request(srv.base, 'GET', `/files/${rel}?exp=${exp}&sig=${sign(rel, exp)}`)).status).toBe(200);
    refused += 3;
    controls++;
  });

  it('malformed percent-encoding is a client error (4xx), not a 500', async () => {
    for (const url of ['/files/%E0%A4%A', '/files/%', '/%E0%A4%A']) {
      const r = await request<ApiResult<unknown>>(srv.base, 'GET', url);
      expect({ url, status: r.status < 500 }).toEqual({ url, status: true });
    }
    refused++;
  });
});

describe('someone else’s file', () => {
  let theirs: string;
  beforeAll(async () => {
    theirs = (await rig.upload('demo-resident2', PNG_1X1)).fileId;
  });

  it('cannot be attached to a submission, a reply, a return or an assist feedback: file-not-owned, nothing written', async () => {
    const before = rig.writes();
    expect(codeOf(await call('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ attachments: [{ fileId: theirs, kind: 'image' }] }) }))).toBe('file-not-owned');
    expect(rig.writes()).toEqual(before);
    const t = await dispatched(rig, { lead: 'u-chengguan', assist: ['u-zhujian'] });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const mid = rig.writes();
    for (const command of [
      { type: 'reply', ticketId: t.id, result: '已处理，经现场核实已办结', handler: '刘洋', attachments: [{ fileId: theirs, kind: 'image' }] },
      { type: 'requestReturn', ticketId: t.id, reason: '不属于职责', attachments: [{ fileId: theirs, kind: 'image' }] },
    ]) {
      expect(codeOf(await call('demo-staff-cg', 'staff', { action: 'command', command }))).toBe('file-not-owned');
    }
    expect(codeOf(await call('demo-staff-zj', 'staff', { action: 'command', command: { type: 'assistFeedback', ticketId: t.id, note: '意见', attachments: [{ fileId: theirs, kind: 'image' }] } }))).toBe('file-not-owned');
    expect(rig.writes()).toEqual(mid);
    refused += 4;
  });

  it('cannot be registered, and its URL is not given to another resident', async () => {
    expect(codeOf(await call('demo-resident', 'media', { action: 'register', fileId: theirs }))).toBe('file-not-owned');
    expect(codeOf(await call('demo-resident', 'media', { action: 'url', fileId: theirs }))).toBe('file-not-owned');
    refused += 2;
  });

  it('a declared kind that differs from the bytes is refused', async () => {
    const mine = (await rig.upload('demo-resident', PNG_1X1)).fileId;
    expect(codeOf(await call('demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ attachments: [{ fileId: mine, kind: 'video' }] }) }))).toBe('file-type-not-allowed');
    refused++;
  });

  /**
   * media.url for a file of a ticket. The contract has no ticket id yet; if a fix adds one
   * (`{ fileId, ticketId }`), it is used, otherwise the call falls back to `{ fileId }`.
   */
  async function fileUrl(who: string, fileId: string, ticketId: string) {
    const withTicket = await call(who, 'media', { action: 'url', fileId, ticketId });
    if (!withTicket.ok && withTicket.code === 'invalid-input') return call(who, 'media', { action: 'url', fileId });
    return withTicket;
  }

  it('staff get the URL of a file only if it belongs to a ticket their unit sees', async () => {
    // A resident's private upload, attached to nothing: no staff member has any business with it.
    expect(codeOf(await call('demo-staff-zj', 'media', { action: 'url', fileId: theirs }))).toMatch(/^(file-not-owned|not-found)$/);
    // The photo of a confidential ticket at another unit.
    const photo = await rig.upload('demo-resident', PNG_1X1);
    const t = await dispatched(rig, { lead: 'u-chengguan', submit: { attachments: [photo], confidential: true } });
    expect(codeOf(await call('demo-staff-zj', 'media', { action: 'url', fileId: photo.fileId }))).toMatch(/^(file-not-owned|not-found)$/);
    expect(codeOf(await fileUrl('demo-staff-zj', photo.fileId, t.id))).toMatch(/^(file-not-owned|not-found)$/);
    // The unit it is assigned to does get it (control).
    expect(codeOf(await fileUrl('demo-staff-cg', photo.fileId, t.id))).toBe('ok');
    refused += 3;
    controls++;
  });

  it('the requester can open the photos the unit attached to the reply on their own ticket', async () => {
    const t = await dispatched(rig, { lead: 'u-chengguan' });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    const proof = await rig.upload('demo-staff-cg', PNG_1X1);
    await rig.command('demo-staff-cg', 'staff', { type: 'contact', ticketId: t.id, method: 'phone', note: '已电话联系诉求人' });
    await rig.command('demo-staff-cg', 'staff', { type: 'reply', ticketId: t.id, result: '已清运，见照片，经现场核实已办结', handler: '刘洋', attachments: [proof] });
    const detail = await call<{ timeline: { attachments?: { fileId: string }[] }[] }>('demo-resident', 'resident', { action: 'get', ticketId: t.id });
    if (!detail.ok) throw new Error(detail.message);
    // The timeline shows the photo to the requester…
    expect(detail.data.timeline.flatMap((e) => e.attachments ?? []).map((f) => f.fileId)).toContain(proof.fileId);
    // …so the requester must be able to open it; another resident must not.
    expect(codeOf(await fileUrl('demo-resident', proof.fileId, t.id))).toBe('ok');
    expect(codeOf(await fileUrl('demo-resident2', proof.fileId, t.id))).toMatch(/^(file-not-owned|not-found)$/);
    refused++;
    controls++;
  });
});

describe('text limits hold on the HTTP API', () => {
  const over = (n: number) => '字'.repeat(n + 1);
  const at = (n: number) => '字'.repeat(n);
  let handling: string;
  beforeAll(async () => {
    const t = await dispatched(rig, { lead: 'u-chengguan' });
    await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: t.id });
    handling = t.id;
  });

  it.each([
    [`content over ${LIMITS.content}`, { content: over(LIMITS.content) }],
    [`a title over ${LIMITS.title}`, { title: over(LIMITS.title) }],
    [`a category over ${LIMITS.category}`, { category: over(LIMITS.category) }],
    [`a contact name over ${LIMITS.name}`, { contact: { name: over(LIMITS.name), phone: '13800001234' } }],
    [`an address over ${LIMITS.address}`, { location: { address: over(LIMITS.address) } }],
    ['content too short', { content: '字字' }],
    ['content of spaces only', { content: ' '.repeat(50) }],
    ['content with a control character', { content: `正常的诉求内容\u0007响铃` }],
    ['12 attachments', { attachments: Array.from({ length: LIMITS.attachmentsPerTicket + 1 }, (_, i) => ({ fileId: `local:202603/f${i}.png`, kind: 'image' })) }],
    ['10 images', { attachments: Array.from({ length: LIMITS.imagesPerTicket + 1 }, (_, i) => ({ fileId: `local:202603/f${i}.png`, kind: 'image' })) }],
    ['two videos', { attachments: [0, 1].map((i) => ({ fileId: `local:202603/v${i}.mp4`, kind: 'video' })) }],
  ])('submit with %s → invalid-input, nothing written', async (_name, o) => {
    const before = rig.writes();
    const r = await call('demo-resident', 'resident', { action: 'submit', input: rig.submitInput(o) });
    expect(codeOf(r)).toBe('invalid-input');
    expect((r as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
    expect(rig.writes()).toEqual(before);
    refused++;
  });

  it('content of exactly the limit is accepted (the limit is not lower than promised)', async () => {
    expect(codeOf(await call('demo-resident2', 'resident', { action: 'submit', input: rig.submitInput({ content: at(LIMITS.content), title: at(LIMITS.title) }) }))).toBe('ok');
    controls++;
  });

  it.each([
    ['contact note', 'staff', 'demo-staff-cg', () => ({ type: 'contact', ticketId: handling, method: 'phone', note: over(LIMITS.note) })],
    ['return reason', 'staff', 'demo-staff-cg', () => ({ type: 'requestReturn', ticketId: handling, reason: over(LIMITS.reason) })],
    ['extension reason', 'staff', 'demo-staff-cg', () => ({ type: 'requestExtension', ticketId: handling, reason: over(LIMITS.reason) })],
    ['reply result', 'staff', 'demo-staff-cg', () => ({ type: 'reply', ticketId: handling, result: over(LIMITS.content), handler: '刘洋' })],
    ['reply handler', 'staff', 'demo-staff-cg', () => ({ type: 'reply', ticketId: handling, result: '已处理，经现场核实已办结', handler: over(LIMITS.name) })],
    ['terminate reason', 'operator', 'demo-operator', () => ({ type: 'terminate', ticketId: handling, reason: over(LIMITS.reason) })],
    ['supervise note', 'operator', 'demo-operator', () => ({ type: 'supervise', ticketId: handling, level: 1, method: 'system', note: over(LIMITS.note) })],
  ] as const)('%s over the limit → invalid-input, the ticket unchanged', async (_name, fn, who, command) => {
    const before = (await rig.ticket(handling)).version;
    expect(codeOf(await call(who, fn, { action: 'command', command: command() }))).toBe('invalid-input');
    expect((await rig.ticket(handling)).version).toBe(before);
    refused++;
  });
});
