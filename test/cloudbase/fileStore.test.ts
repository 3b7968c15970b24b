/** CloudFileStore with a stand-in for cloud storage and FakeCloudDb (a recording fake, not CloudBase). */
import type { CloudStorage } from '../../cloudfunctions/adapters/cloudbase/db';
import { CloudFileStore, DEFAULT_URL_MAX_AGE_SEC, FILES } from '../../cloudfunctions/adapters/cloudbase/fileStore';
import { sha256 } from '../../cloudfunctions/adapters/cloudbase/query';
import { FILE_SIZE_LIMITS } from '../../cloudfunctions/adapters/local/fileStore';
import { FakeCloudDb } from './fakeCloudDb';
import { T0 } from './helpers';

const ENV = 'cloud://env-1a2b.656e-env-1a2b-1300000000';

/** Cloud storage in memory; records the calls. */
class FakeStorage implements CloudStorage {
  readonly files = new Map<string, Buffer>();
  readonly calls: Array<[string, unknown]> = [];

  /** As if the mini-program had uploaded it with Taro.cloud.uploadFile. */
  uploaded(path: string, bytes: Uint8Array): string {
    const id = `${ENV}/${path}`;
    this.files.set(id, Buffer.from(bytes));
    return id;
  }

  async uploadFile(o: { cloudPath: string; fileContent: Buffer }) {
    this.calls.push(['uploadFile', o.cloudPath]);
    return { fileID: this.uploaded(o.cloudPath, o.fileContent) };
  }

  async downloadFile(o: { fileID: string }) {
    this.calls.push(['downloadFile', o.fileID]);
    const f = this.files.get(o.fileID);
    if (!f) throw Object.assign(new Error('storage file not exist'), { code: 'STORAGE_FILE_NONEXIST' });
    return { fileContent: f };
  }

  async getTempFileURL(o: { fileList: Array<{ fileID: string; maxAge?: number }> }) {
    this.calls.push(['getTempFileURL', o.fileList]);
    return {
      fileList: o.fileList.map(({ fileID, maxAge }) =>
        this.files.has(fileID) ? { code: 'SUCCESS', fileID, tempFileURL: `https://tmp.example/${encodeURIComponent(fileID)}?t=${maxAge}` } : { code: 'STORAGE_FILE_NONEXIST', fileID, tempFileURL: '' },
      ),
    };
  }

  /** What a ranged GET of a temporary URL returns: the first `n` bytes. */
  async head(url: string, n: number): Promise<Uint8Array> {
    const id = decodeURIComponent(new URL(url).pathname.slice(1));
    this.calls.push(['head', [id, n]]);
    const f = this.files.get(id);
    if (!f) throw Object.assign(new Error('404'), { code: 'STORAGE_FILE_NONEXIST' });
    return f.subarray(0, n);
  }

  async getFileInfo(o: { fileList: string[] }) {
    this.calls.push(['getFileInfo', o.fileList]);
    return { fileList: o.fileList.map((fileID) => (this.files.has(fileID) ? { code: 'SUCCESS', fileID, size: this.files.get(fileID)!.length } : { code: 'STORAGE_FILE_NONEXIST', fileID })) };
  }
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(200)]);

let db: FakeCloudDb;
let storage: FakeStorage;
let files: CloudFileStore;
beforeEach(() => {
  db = new FakeCloudDb();
  storage = new FakeStorage();
  files = new CloudFileStore(storage, db, { readHead: (url, n) => storage.head(url, n) });
});

describe('register: an upload of the mini-program counts once checked', () => {
  it('records type (from the bytes), size and owner under sha256(fileId); stat finds it', async () => {
    const id = storage.uploaded('uploads/o-1/photo.txt', PNG);
    const stored = await files.register(id, 'u1', {}, T0);
    expect(stored).toEqual({ fileId: id, ownerId: 'u1', kind: 'image', mime: 'image/png', size: PNG.length, createdAt: T0 });
    expect(await files.stat(id)).toEqual(stored);
    expect(db.docs(FILES).map((d) => d._id)).toEqual([sha256(id)]);
  });

  it('is idempotent for its owner and refuses anyone else (file-not-owned)', async () => {
    const id = storage.uploaded('uploads/o-1/a.png', PNG);
    const first = await files.register(id, 'u1', {}, T0);
    expect(await files.register(id, 'u1', {}, T0 + 1)).toEqual(first);
    await expect(files.register(id, 'u2', {}, T0)).rejects.toMatchObject({ code: 'file-not-owned' });
  });

  it('two users registering one file at once: one owns it, the other is refused', async () => {
    const id = storage.uploaded('uploads/o-1/b.png', PNG);
    const results = await Promise.allSettled([files.register(id, 'u1', {}, T0), files.register(id, 'u2', {}, T0)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason).toMatchObject({ code: 'file-not-owned' });
    expect(db.docs(FILES)).toHaveLength(1);
  });

  it('a type the magic bytes do not show is refused and nothing is recorded', async () => {
    const id = storage.uploaded('uploads/o-1/evil.jpg', Buffer.from('<script>alert(1)</script>'));
    await expect(files.register(id, 'u1', {}, T0)).rejects.toMatchObject({ code: 'file-type-not-allowed' });
    expect(db.docs(FILES)).toEqual([]);
  });

  it('an oversized upload is refused from its stored size, before downloading', async () => {
    const big = Math.max(...Object.values(FILE_SIZE_LIMITS)) + 1;
    const id = storage.uploaded('uploads/o-1/huge.mp4', Buffer.alloc(big));
    await expect(files.register(id, 'u1', {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
    expect(storage.calls.map(([m]) => m)).toEqual(['getFileInfo']);
  });

  it('the size limit is the limit of the detected kind', async () => {
    const id = storage.uploaded('uploads/o-1/big.png', Buffer.concat([PNG, Buffer.alloc(FILE_SIZE_LIMITS.image)]));
    await expect(files.register(id, 'u1', {}, T0)).rejects.toMatchObject({ code: 'file-too-large' });
  });

  it('audio and video longer than the limit are refused (media-too-long)', async () => {
    const id = storage.uploaded('uploads/o-1/voice.mp3', MP3);
    await expect(files.register(id, 'u1', { durationSec: 61 }, T0)).rejects.toMatchObject({ code: 'media-too-long' });
    expect(await files.register(id, 'u1', { durationSec: 60 }, T0)).toMatchObject({ kind: 'audio', mime: 'audio/mpeg', durationSec: 60 });
  });

  it('an id that is not a cloud:// file id is invalid input; a missing file is not found', async () => {
    await expect(files.register('local:202603/abc.png', 'u1', {}, T0)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(files.register(`${ENV}/../x.png`, 'u1', {}, T0)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(files.register(`${ENV}/uploads/none.png`, 'u1', {}, T0)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('stat, read, temporaryUrl, put', () => {
  it('temporaryUrl asks getTempFileURL with the max age, for registered files only', async () => {
    const id = storage.uploaded('uploads/o-1/c.png', PNG);
    await expect(files.temporaryUrl(id, T0)).rejects.toMatchObject({ code: 'not-found' });
    await files.register(id, 'u1', {}, T0);
    expect(await files.temporaryUrl(id, T0)).toBe(`https://tmp.example/${encodeURIComponent(id)}?t=${DEFAULT_URL_MAX_AGE_SEC}`);
    expect(storage.calls.find(([m]) => m === 'getTempFileURL')![1]).toEqual([{ fileID: id, maxAge: 600 }]);
  });

  it('read returns the bytes of a registered file; stat of an unknown file is null', async () => {
    const id = storage.uploaded('uploads/o-1/d.png', PNG);
    expect(await files.stat(id)).toBeNull();
    await expect(files.read(id)).rejects.toMatchObject({ code: 'not-found' });
    await files.register(id, 'u1', {}, T0);
    expect(Buffer.from(await files.read(id))).toEqual(PNG);
  });

  it('put (server side) checks like register and uploads under uploads/yyyymm/ with the detected extension', async () => {
    const stored = await files.put('u1', 'whatever.gif', PNG, {}, T0);
    expect(stored).toMatchObject({ ownerId: 'u1', kind: 'image', mime: 'image/png', size: PNG.length });
    expect(storage.calls[0]![1]).toMatch(/^uploads\/202603\/[A-Za-z0-9_-]+\.png$/);
    expect(await files.stat(stored.fileId)).toEqual(stored);
    await expect(files.put('u1', 'x.png', Buffer.from('not an image'), {}, T0)).rejects.toMatchObject({ code: 'file-type-not-allowed' });
  });
});
