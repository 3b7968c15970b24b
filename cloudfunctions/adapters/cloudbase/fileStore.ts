import { randomBytes } from 'node:crypto';
import { shanghaiDateOf } from '../../../shared/calendar/workingCalendar';
import { LIMITS, type FileKind } from '../../../shared/contracts/common';
import { DomainError } from '../../../shared/errors';
import type { FileStore, MediaCheck, StoredFile } from '../../../shared/ports';
import { FILE_SIZE_LIMITS } from '../local/fileStore';
import { detectFileType, type DetectedType } from '../local/fileType';
import type { CloudDb, CloudStorage, CloudStoreOptions, Doc } from './db';
import { firstDoc, isDuplicate, sha256, stripDoc } from './query';

export const FILES = 'files';
/** How long a temporary URL works unless the options say otherwise (getTempFileURL maxAge). */
export const DEFAULT_URL_MAX_AGE_SEC = 600;

const MB = 1024 * 1024;
/** What registration reads of an upload: enough for every type's magic bytes and a WEBM's tracks. */
export const HEAD_BYTES = 64 * 1024;
export const MEDIA_CHECKS = 'mediaChecks';

/**
 * The first `n` bytes behind a temporary URL: one GET with a byte range, read no further than `n`
 * even when the server ignores the range. Uses the global fetch (Node ≥ 18).
 */
export async function fetchHead(url: string, n: number): Promise<Uint8Array> {
  const res = await fetch(url, { headers: { range: `bytes=0-${n - 1}` } });
  if (res.status !== 200 && res.status !== 206) throw new DomainError('not-found', '文件不存在，请重新上传');
  const out: Uint8Array[] = [];
  let have = 0;
  const reader = res.body?.getReader();
  while (reader && have < n) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(value);
    have += value.length;
  }
  await reader?.cancel().catch(() => undefined);
  return Buffer.concat(out).subarray(0, n);
}
const CLOUD_FILE_ID = /^cloud:\/\/[A-Za-z0-9_.\/-]+$/;

export interface CloudFileStoreOptions extends CloudStoreOptions {
  urlMaxAgeSec?: number;
  /** Upload limits by kind; the local runtime's by default. */
  sizeLimits?: Readonly<Record<FileKind, number>>;
  /** Storage folder of server-side uploads (`put`). */
  folder?: string;
  /** Reads the first bytes behind a temporary URL (default: fetchHead). */
  readHead?: (url: string, n: number) => Promise<Uint8Array>;
}

/** What the client says about an upload: a duration for audio and video, a kind hint for ambiguous containers. */
export interface UploadMeta {
  durationSec?: number;
  kind?: FileKind;
}

/** A FileStore whose uploads happen elsewhere (the mini-program's `Taro.cloud.uploadFile`) and are registered afterwards. */
export interface RegisteringFileStore extends FileStore {
  register(fileId: string, ownerId: string, meta: UploadMeta, now: number): Promise<StoredFile>;
}

interface FileDoc {
  _id: string;
  fileId: string;
  ownerId: string;
  kind: FileKind;
  mime: string;
  size: number;
  durationSec: number | null;
  createdAt: number;
  check?: MediaCheck | null;
}

function toStored(d: Doc): StoredFile {
  const { fileId, ownerId, kind, mime, size, durationSec, createdAt, check } = stripDoc<Omit<FileDoc, '_id'>>(d);
  return { fileId, ownerId, kind, mime, size, ...(durationSec != null ? { durationSec } : {}), createdAt, ...(check ? { check } : {}) };
}

export function checkCloudFileId(fileId: string): void {
  if (typeof fileId !== 'string' || fileId.length > 300 || fileId.includes('..') || !CLOUD_FILE_ID.test(fileId)) {
    throw new DomainError('invalid-input', '文件编号不正确');
  }
}

/**
 * FileStore on CloudBase cloud storage (`cloud://` file ids) with a `files` collection holding each
 * file's owner, kind, mime type, size and duration (`_id` = sha256(fileId)).
 *
 * The mini-program uploads straight to storage; a file counts only once `register` has checked it:
 * it reads the file's size (getFileInfo) and refuses an oversized one, then reads only the first
 * 64 KB (a ranged GET of a temporary URL; node-sdk's `downloadFile` has no range, and a 50 MB video
 * would not fit a 256 MB function twice) and decides the type from its magic bytes
 * (`detectFileType`, shared with the local store), never from the name; it checks the size limit
 * of that type and the duration limit of audio and video, and records the caller as owner.
 * The first registration wins: a file registered by one user is refused (`file-not-owned`) to any
 * other, so nobody can attach someone else's upload. Storage security rules should keep uploads
 * readable only by their creator until then.
 */
export class CloudFileStore implements RegisteringFileStore {
  private readonly prefix: string;
  private readonly maxAge: number;
  private readonly limits: Readonly<Record<FileKind, number>>;
  private readonly folder: string;
  private readonly readHead: (url: string, n: number) => Promise<Uint8Array>;

  constructor(
    private readonly storage: CloudStorage,
    private readonly db: CloudDb,
    options: CloudFileStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.maxAge = options.urlMaxAgeSec ?? DEFAULT_URL_MAX_AGE_SEC;
    this.limits = options.sizeLimits ?? FILE_SIZE_LIMITS;
    this.folder = options.folder ?? 'uploads';
    this.readHead = options.readHead ?? fetchHead;
  }

  private get files() {
    return this.db.collection(this.prefix + FILES);
  }

  /** Server-side upload (not the mini-program's path): checked like a registration, stored under `folder/yyyymm/`. */
  async put(ownerId: string, _name: string, bytes: Uint8Array, meta: UploadMeta, now: number): Promise<StoredFile> {
    const type = this.check(bytes, meta);
    const month = shanghaiDateOf(now).slice(0, 7).replace('-', '');
    const cloudPath = `${this.folder}/${month}/${randomBytes(16).toString('base64url')}.${type.ext}`;
    const { fileID } = await this.storage.uploadFile({ cloudPath, fileContent: Buffer.from(bytes) });
    return this.record(fileID, ownerId, type, bytes.length, meta, now);
  }

  /** Registers an upload of the mini-program for `ownerId` (the caller's OPENID-mapped user id); idempotent for its owner. */
  async register(fileId: string, ownerId: string, meta: UploadMeta, now: number): Promise<StoredFile> {
    checkCloudFileId(fileId);
    const known = await this.stat(fileId);
    if (known) {
      if (known.ownerId !== ownerId) throw new DomainError('file-not-owned');
      return known;
    }
    const { fileList } = await this.storage.getFileInfo({ fileList: [fileId] });
    const info = fileList[0];
    if (!info || info.code !== 'SUCCESS') throw new DomainError('not-found', '文件不存在，请重新上传');
    if (typeof info.size !== 'number' || !Number.isFinite(info.size)) throw new DomainError('not-found', '文件不存在，请重新上传');
    const largest = Math.max(...Object.values(this.limits));
    if (info.size > largest) throw new DomainError('file-too-large', `文件过大：不能超过${largest / MB}MB`);
    const head = await this.readHead(await this.urlOf(fileId), HEAD_BYTES);
    const type = this.check(head, meta, info.size);
    return this.record(fileId, ownerId, type, info.size, meta, now);
  }

  /** Records a media check on the file, and its trace id for the pushed result. */
  async setCheck(fileId: string, check: MediaCheck): Promise<void> {
    checkCloudFileId(fileId);
    if (check.traceId) {
      await this.db.collection(this.prefix + MEDIA_CHECKS).doc(check.traceId).set({ fileId });
    }
    await this.files.doc(sha256(fileId)).update({ check: this.db.command.set(check) } as unknown as Doc);
  }

  async fileByCheckTrace(traceId: string): Promise<StoredFile | null> {
    if (typeof traceId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(traceId)) return null;
    const marker = firstDoc(await this.db.collection(this.prefix + MEDIA_CHECKS).doc(traceId).get());
    return marker ? this.stat(String(marker.fileId)) : null;
  }

  async stat(fileId: string): Promise<StoredFile | null> {
    checkCloudFileId(fileId);
    const doc = firstDoc(await this.files.doc(sha256(fileId)).get());
    return doc ? toStored(doc) : null;
  }

  /** The bytes of a registered file. */
  async read(fileId: string): Promise<Uint8Array> {
    if (!(await this.stat(fileId))) throw new DomainError('not-found');
    return this.download(fileId);
  }

  /** A CloudBase temporary URL of a registered file, valid for `urlMaxAgeSec`. */
  async temporaryUrl(fileId: string, _now: number): Promise<string> {
    if (!(await this.stat(fileId))) throw new DomainError('not-found');
    return this.urlOf(fileId);
  }

  private async urlOf(fileId: string): Promise<string> {
    const { fileList } = await this.storage.getTempFileURL({ fileList: [{ fileID: fileId, maxAge: this.maxAge }] });
    const item = fileList[0];
    if (!item || item.code !== 'SUCCESS' || !item.tempFileURL) throw new DomainError('not-found', '文件不存在或已删除');
    return item.tempFileURL;
  }

  private async download(fileId: string): Promise<Uint8Array> {
    let content: string | Buffer | undefined;
    try {
      content = (await this.storage.downloadFile({ fileID: fileId })).fileContent;
    } catch (e) {
      const code = String((e as { code?: unknown })?.code ?? '');
      if (/NONEXIST|NOT_EXIST|NOTFOUND|NOT_FOUND/i.test(code)) throw new DomainError('not-found', '文件不存在，请重新上传');
      throw e;
    }
    if (content === undefined) throw new DomainError('not-found', '文件不存在，请重新上传');
    return typeof content === 'string' ? Buffer.from(content, 'binary') : content;
  }

  /** Type by magic bytes, then the size limit of that type and the duration limit of media. */
  private check(bytes: Uint8Array, meta: UploadMeta, size = bytes.length): DetectedType {
    const type = detectFileType(bytes, meta.kind);
    if (!type) throw new DomainError('file-type-not-allowed');
    const max = this.limits[type.kind];
    if (size > max) throw new DomainError('file-too-large', `文件过大：不能超过${max / MB}MB`);
    const duration = meta.durationSec;
    if (duration !== undefined && !(Number.isFinite(duration) && duration >= 0)) throw new DomainError('invalid-input', '音视频时长不正确');
    const media = type.kind === 'audio' || type.kind === 'video';
    if (media && duration !== undefined && duration > LIMITS.mediaSeconds) throw new DomainError('media-too-long', `音视频不能超过${LIMITS.mediaSeconds}秒`);
    return type;
  }

  /** Inserts the file record; a concurrent registration of the same file by its owner returns the first record. */
  private async record(fileId: string, ownerId: string, type: DetectedType, size: number, meta: UploadMeta, now: number): Promise<StoredFile> {
    const media = type.kind === 'audio' || type.kind === 'video';
    const doc: FileDoc = {
      _id: sha256(fileId),
      fileId,
      ownerId,
      kind: type.kind,
      mime: type.mime,
      size,
      durationSec: media && meta.durationSec !== undefined ? meta.durationSec : null,
      createdAt: now,
    };
    try {
      await this.files.add(doc as unknown as Doc);
      return toStored(doc as unknown as Doc);
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      const first = await this.stat(fileId);
      if (!first || first.ownerId !== ownerId) throw new DomainError('file-not-owned');
      return first;
    }
  }
}
