import { DraftQueue, DRAFT_STATUS_LABELS, type DraftDeps, type DraftMedia, type KeyValueStore } from '../../miniprogram/src/drafts/queue';
import type { FileRef } from '../../shared/contracts/common';
import type { SubmitInput } from '../../shared/contracts/commands';

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

const networkError = () => Object.assign(new Error('网络不可用，请检查网络后重试'), { code: 'network' });

function setup(overrides: Partial<DraftDeps> = {}) {
  const store = new MemoryStore();
  let online = true;
  let seq = 0;
  let clock = 1_700_000_000_000;
  const uploads: string[] = [];
  const submits: SubmitInput[] = [];
  const discarded: string[] = [];
  const deps: DraftDeps = {
    store,
    key: 'grid-drafts:v1:u-grid',
    isOnline: () => online,
    upload: async (m: DraftMedia, onProgress) => {
      if (!online) throw networkError();
      uploads.push(m.id);
      onProgress(0.5);
      onProgress(1);
      return { fileId: `local:${m.id}`, kind: m.kind } as FileRef;
    },
    submit: async (input) => {
      if (!online) throw networkError();
      submits.push(input);
      return { id: `t-${submits.length}`, number: `PL2026000${submits.length}` };
    },
    discardMedia: (m) => void discarded.push(m.id),
    now: () => (clock += 1000),
    newId: () => `id${String(++seq).padStart(8, '0')}`,
    ...overrides,
  };
  const queue = new DraftQueue(deps);
  return {
    store, deps, queue, uploads, submits, discarded,
    setOnline: (v: boolean) => (online = v),
    reopen: (more: Partial<DraftDeps> = {}) => new DraftQueue({ ...deps, ...more }),
    advance: (ms: number) => (clock += ms),
  };
}

const media = (id: string, kind: DraftMedia['kind'] = 'image'): DraftMedia => ({
  id, kind, localRef: `idb:${id}`, name: `${id}.jpg`, mime: 'image/jpeg', size: 1000, ...(kind === 'image' ? {} : { durationSec: 12 }),
});

const ready = { type: 'help' as const, category: '市容环境', content: '小区门口路灯不亮已经一周了', address: '城关镇东街12号' };

test('labels: the five states a grid worker sees', () => {
  expect(Object.values(DRAFT_STATUS_LABELS)).toEqual(['草稿', '等待网络', '上传中', '已提交', '失败-重试']);
});

test('every keystroke is on the device: a new queue on the same store sees the draft and its media', () => {
  const { queue, reopen } = setup();
  const d = queue.create();
  queue.update(d.id, { content: '路灯' });
  queue.update(d.id, { content: '路灯不亮' });
  queue.addMedia(d.id, media('m1'));
  const again = reopen().get(d.id)!;
  expect(again.form.content).toBe('路灯不亮');
  expect(again.media.map((m) => m.id)).toEqual(['m1']);
  expect(again.status).toBe('draft');
});

test('a draft that breaks the shared submit schema is not queued', () => {
  const { queue } = setup();
  const d = queue.create({ ...ready, content: '短' });
  const r = queue.enqueue(d.id);
  expect(r.ok).toBe(false);
  expect(!r.ok && r.issues.map((i) => i.path)).toContain('content');
  expect(queue.get(d.id)!.status).toBe('draft');
});

test('on behalf of a resident: name and phone are required', () => {
  const { queue } = setup();
  const d = queue.create({ ...ready, onBehalf: true, contactName: '王大爷' });
  const r = queue.enqueue(d.id);
  expect(!r.ok && r.issues.map((i) => i.message)).toContain('代为反映时须填写群众的姓名和电话');
  queue.update(d.id, { contactPhone: '13800001234' });
  expect(queue.enqueue(d.id)).toEqual({ ok: true });
});

test('offline: the draft waits; back online: files upload, then one submit with the draft’s request id', async () => {
  const { queue, uploads, submits, discarded, setOnline } = setup();
  setOnline(false);
  const d = queue.create(ready);
  queue.addMedia(d.id, media('m1'));
  queue.addMedia(d.id, media('v1', 'video'));
  expect(queue.enqueue(d.id)).toEqual({ ok: true });
  await queue.flush();
  expect(queue.get(d.id)!.status).toBe('waiting');
  expect(uploads).toEqual([]);
  expect(submits).toEqual([]);

  setOnline(true);
  await queue.flush();
  const sent = queue.get(d.id)!;
  expect(sent.status).toBe('submitted');
  expect(sent.ticket).toEqual({ id: 't-1', number: 'PL20260001' });
  expect(uploads).toEqual(['m1', 'v1']);
  expect(submits).toHaveLength(1);
  expect(submits[0]).toMatchObject({
    clientRequestId: d.clientRequestId,
    channel: 'grid',
    category: '市容环境',
    location: { address: '城关镇东街12号' },
    attachments: [{ fileId: 'local:m1', kind: 'image' }, { fileId: 'local:v1', kind: 'video', durationSec: 12 }],
  });
  expect(discarded).toEqual(['m1', 'v1']);
});

test('two flushes at once (online event + page show) submit once', async () => {
  const { queue, submits } = setup();
  const d = queue.create(ready);
  queue.enqueue(d.id);
  await Promise.all([queue.flush(), queue.flush(), queue.flush()]);
  expect(submits).toHaveLength(1);
  expect(queue.get(d.id)!.status).toBe('submitted');
  await queue.flush();
  expect(submits).toHaveLength(1);
});

test('a draft queued during a flush is sent by that flush', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { submits, deps } = setup();
  const slowSubmit = deps.submit;
  const q = new DraftQueue({ ...deps, key: 'other', submit: async (i) => (await gate, slowSubmit(i)) });
  const a = q.create(ready);
  q.enqueue(a.id);
  const running = q.flush();
  const b = q.create({ ...ready, content: '第二件事：井盖松动有响声' });
  q.enqueue(b.id);
  const second = q.flush();
  release();
  await Promise.all([running, second]);
  expect(submits.map((s) => s.content)).toEqual([ready.content, '第二件事：井盖松动有响声']);
  expect(q.list().map((d) => d.status)).toEqual(['submitted', 'submitted']);
});

test('the network drops mid-upload: stored files keep their ids and are not sent again', async () => {
  const { uploads, submits, setOnline, deps } = setup();
  let calls = 0;
  const q = new DraftQueue({
    ...deps,
    key: 'mid',
    upload: async (m, p) => {
      calls += 1;
      if (calls === 2) {
        setOnline(false);
        throw networkError();
      }
      return deps.upload(m, p);
    },
  });
  const d = q.create(ready);
  q.addMedia(d.id, media('m1'));
  q.addMedia(d.id, media('m2'));
  q.enqueue(d.id);
  await q.flush();
  expect(q.get(d.id)!.status).toBe('waiting');
  expect(q.get(d.id)!.media[0].fileRef).toEqual({ fileId: 'local:m1', kind: 'image' });
  expect(q.get(d.id)!.media[1].fileRef).toBeUndefined();

  setOnline(true);
  await q.flush();
  expect(uploads).toEqual(['m1', 'm2']);
  expect(submits).toHaveLength(1);
  expect(q.get(d.id)!.status).toBe('submitted');
});

test('a refusal from the server fails the draft with its Chinese message; retry sends the same request id', async () => {
  let refuse = true;
  const { deps, submits } = setup();
  const q = new DraftQueue({
    ...deps,
    submit: async (input) => {
      if (refuse) throw Object.assign(new Error('提交过于频繁，请稍后再试'), { code: 'rate-limited' });
      return deps.submit(input);
    },
  });
  const d = q.create(ready);
  q.enqueue(d.id);
  await q.flush();
  expect(q.get(d.id)!.status).toBe('failed');
  expect(q.get(d.id)!.error).toEqual({ code: 'rate-limited', message: '提交过于频繁，请稍后再试' });

  refuse = false;
  await q.retry(d.id);
  expect(q.get(d.id)!.status).toBe('submitted');
  expect(submits[0].clientRequestId).toBe(d.clientRequestId);
  expect(q.get(d.id)!.attempts).toBe(2);
});

test('the app dies after the server took the draft: the next start resends the same request id, and the server’s first ticket is kept', async () => {
  const { deps, store } = setup();
  const seen: string[] = [];
  const dying = new DraftQueue({ ...deps, submit: (input) => (seen.push(input.clientRequestId), new Promise(() => {})) });
  const d = dying.create(ready);
  dying.enqueue(d.id);
  void dying.flush();
  await new Promise((r) => setTimeout(r, 0));
  expect(JSON.parse(store.getItem(deps.key)!).drafts[0].status).toBe('uploading');

  const restarted = new DraftQueue({ ...deps, submit: async (input) => (seen.push(input.clientRequestId), { id: 't-first', number: 'PL20260001' }) });
  expect(restarted.get(d.id)!.status).toBe('waiting');
  await restarted.flush();
  expect(seen).toEqual([d.clientRequestId, d.clientRequestId]);
  expect(restarted.get(d.id)!.ticket).toEqual({ id: 't-first', number: 'PL20260001' });
});

test('a queued draft cannot change until taken back; a draft being uploaded cannot be deleted', async () => {
  let release!: () => void;
  const { deps } = setup();
  const q = new DraftQueue({ ...deps, submit: async (i) => (await new Promise<void>((r) => (release = r)), deps.submit(i)) });
  const d = q.create(ready);
  q.enqueue(d.id);
  expect(() => q.update(d.id, { content: '改一下内容再提交' })).toThrow('草稿已在提交队列中，不能修改');
  q.unqueue(d.id);
  q.update(d.id, { content: '改一下内容再提交' });
  q.enqueue(d.id);
  const running = q.flush();
  await new Promise((r) => setTimeout(r, 0));
  expect(q.get(d.id)!.status).toBe('uploading');
  await expect(q.remove(d.id)).rejects.toThrow('正在上传');
  release();
  await running;
  expect(q.get(d.id)!.form.content).toBe('改一下内容再提交');
});

test('ten photos: the tenth is refused with the shared limit', () => {
  const { queue } = setup();
  const d = queue.create(ready);
  for (let i = 0; i < 9; i++) queue.addMedia(d.id, media(`p${i}`));
  expect(() => queue.addMedia(d.id, media('p9'))).toThrow('图片不能超过9张');
  queue.addMedia(d.id, media('a1', 'audio'));
  expect(() => queue.addMedia(d.id, media('a2', 'audio'))).toThrow('只能上传一段语音');
});

test('removing a file or a draft frees the device copy', async () => {
  const { queue, discarded, reopen } = setup();
  const d = queue.create(ready);
  queue.addMedia(d.id, media('m1'));
  queue.addMedia(d.id, media('m2'));
  await queue.removeMedia(d.id, 'm1');
  expect(discarded).toEqual(['m1']);
  await queue.remove(d.id);
  expect(discarded).toEqual(['m1', 'm2']);
  expect(reopen().list()).toEqual([]);
});

test('an unreadable store is set aside, never overwritten', () => {
  const store = new MemoryStore();
  store.setItem('k', '{not json');
  const { deps } = setup();
  const q = new DraftQueue({ ...deps, store, key: 'k' });
  expect(q.list()).toEqual([]);
  q.create(ready);
  const backups = [...store.data.keys()].filter((k) => k.startsWith('k:unreadable:'));
  expect(backups).toHaveLength(1);
  expect(store.getItem(backups[0])).toBe('{not json');
});

test('submitted drafts stay listed for a week, then leave the device; unsent ones never do', async () => {
  const { queue, reopen, advance } = setup();
  const sent = queue.create(ready);
  queue.enqueue(sent.id);
  await queue.flush();
  const kept = queue.create({ content: '还没写完的草稿' });
  advance(8 * 24 * 3600 * 1000);
  const later = reopen();
  expect(later.get(sent.id)).toBeUndefined();
  expect(later.get(kept.id)!.form.content).toBe('还没写完的草稿');
});

test('listeners hear every change, including upload progress', async () => {
  const { queue } = setup();
  const seen: string[] = [];
  const d = queue.create(ready);
  queue.addMedia(d.id, media('m1'));
  queue.subscribe(() => seen.push(`${queue.get(d.id)!.status}:${queue.progressOf('m1') ?? '-'}`));
  queue.enqueue(d.id);
  await queue.flush();
  expect(seen).toEqual(['waiting:-', 'uploading:-', 'uploading:0', 'uploading:0.5', 'uploading:1', 'uploading:-', 'submitted:-']);
});

test('each user has their own drafts on a shared device', () => {
  const { deps } = setup();
  const a = new DraftQueue({ ...deps, key: 'grid-drafts:v1:u-a' });
  a.create(ready);
  const b = new DraftQueue({ ...deps, key: 'grid-drafts:v1:u-b' });
  expect(b.list()).toEqual([]);
});
