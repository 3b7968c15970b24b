import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { shanghaiDateOf } from '../../../shared/calendar/workingCalendar';
import { LIMITS, type FileKind } from '../../../shared/contracts/common';
import { DomainError } from '../../../shared/errors';
import type { FileStore, StoredFile } from '../../../shared/ports';
import type { SqliteDb } from '../sqlite/db';
import { detectFileType, wavSeconds } from './fileType';

const MB = 1024 * 1024;
/** Upload limits by kind. */
export const FILE_SIZE_LIMITS: Readonly<Record<FileKind, number>> = { image: 10 * MB, video: 50 * MB, audio: 10 * MB, document: 10 * MB };
/** How long a temporary URL works unless the constructor says otherwise. */
export const DEFAULT_URL_TTL_MS = 15 * 60 * 1000;

const FILE_ID = /^local:[0-9]{6}\/[A-Za-z0-9_-]+\.[a-z0-9]+$/;

export interface LocalFileStoreOptions {
  /** Directory the files live under, one sub-directory per month (yyyymm). */
  dir: string;
  /** Key of the HMAC that signs temporary URLs. */
  secret: string;
  urlTtlMs?: number;
}

interface FileRow {
  id: string;
  owner_id: string;
  kind: FileKind;
  mime: string;
  size: number;
  duration_sec: number | null;
  created_at: number;
}

/** The path under the files directory, or DomainError('invalid-input') for anything but our own ids. */
export function filePathOf(fileId: string): string {
  if (typeof fileId !== 'string' || fileId.includes('..') || fileId.includes('\\') || !FILE_ID.test(fileId)) {
    throw new DomainError('invalid-input', '文件编号不正确');
  }
  return fileId.slice('local:'.length);
}

function sign(relPath: string, exp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${relPath}\n${exp}`).digest('base64url');
}

/** Whether `/files/<path>?exp=&sig=` was issued by `temporaryUrl` with this secret and has not expired. */
export function verifyFileUrl(relPath: string, exp: string | number, sig: string, now: number, secret: string): boolean {
  try {
    filePathOf(`local:${relPath}`);
  } catch {
    return false;
  }
  const expMs = typeof exp === 'number' ? exp : /^[0-9]{1,16}$/.test(exp) ? Number(exp) : NaN;
  if (!Number.isSafeInteger(expMs) || expMs < now || typeof sig !== 'string') return false;
  const want = Buffer.from(sign(relPath, expMs, secret));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

function toStored(r: FileRow): StoredFile {
  return {
    fileId: r.id,
    ownerId: r.owner_id,
    kind: r.kind,
    mime: r.mime,
    size: r.size,
    ...(r.duration_sec !== null ? { durationSec: r.duration_sec } : {}),
    createdAt: r.created_at,
  };
}

/** FileStore on local disk; metadata in the SQLite `files` table. */
export class LocalFileStore implements FileStore {
  private readonly root: string;
  private readonly secret: string;
  private readonly ttl: number;
  private readonly st;

  constructor(db: SqliteDb, options: LocalFileStoreOptions) {
    if (!options.secret) throw new Error('LocalFileStore needs a URL signing secret');
    this.root = path.resolve(options.dir);
    this.secret = options.secret;
    this.ttl = options.urlTtlMs ?? DEFAULT_URL_TTL_MS;
    this.st = {
      insert: db.prepare(
        'INSERT INTO files (id, owner_id, kind, mime, size, duration_sec, created_at) VALUES (@id, @owner_id, @kind, @mime, @size, @duration_sec, @created_at)',
      ),
      get: db.prepare('SELECT * FROM files WHERE id = ?'),
    };
  }

  /**
   * `meta.kind` (optional, beyond the port) is the client's hint, used only where the bytes are
   * ambiguous: a WEBM whose tracks could not be read, an MP4 with a generic brand.
   */
  async put(ownerId: string, _name: string, bytes: Uint8Array, meta: { durationSec?: number; kind?: FileKind }, now: number): Promise<StoredFile> {
    const type = detectFileType(bytes, meta.kind);
    if (!type) throw new DomainError('file-type-not-allowed');
    const max = FILE_SIZE_LIMITS[type.kind];
    if (bytes.length > max) throw new DomainError('file-too-large', `文件过大：不能超过${max / MB}MB`);
    if (meta.durationSec !== undefined && !(Number.isFinite(meta.durationSec) && meta.durationSec >= 0)) throw new DomainError('invalid-input', '音视频时长不正确');
    // Where the file says how long it is, that counts, not what the client claims.
    const declared = type.ext === 'wav' ? wavSeconds(bytes) : undefined;
    const duration = declared !== undefined && !(meta.durationSec !== undefined && meta.durationSec > declared) ? declared : meta.durationSec;
    const media = type.kind === 'audio' || type.kind === 'video';
    if (media && duration !== undefined && duration > LIMITS.mediaSeconds) throw new DomainError('media-too-long', `音视频不能超过${LIMITS.mediaSeconds}秒`);

    const month = shanghaiDateOf(now).slice(0, 7).replace('-', '');
    const fileId = `local:${month}/${randomBytes(16).toString('base64url')}.${type.ext}`;
    const target = this.absolute(filePathOf(fileId));
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a crash never leaves a half file under a real id.
    const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
    await fs.writeFile(temp, bytes, { flag: 'wx' });
    await fs.rename(temp, target);

    const row: FileRow = { id: fileId, owner_id: ownerId, kind: type.kind, mime: type.mime, size: bytes.length, duration_sec: media && duration !== undefined ? duration : null, created_at: now };
    this.st.insert.run(row);
    return toStored(row);
  }

  async stat(fileId: string): Promise<StoredFile | null> {
    filePathOf(fileId);
    const row = this.st.get.get(fileId) as FileRow | undefined;
    return row ? toStored(row) : null;
  }

  async read(fileId: string): Promise<Uint8Array> {
    const rel = filePathOf(fileId);
    if (!this.st.get.get(fileId)) throw new DomainError('not-found');
    try {
      return await fs.readFile(this.absolute(rel));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('not-found');
      throw e;
    }
  }

  /** `/files/<yyyymm>/<id>.<ext>?exp=<ms>&sig=<hmac>`: check it with `verifyFileUrl`. */
  async temporaryUrl(fileId: string, now: number): Promise<string> {
    const rel = filePathOf(fileId);
    if (!this.st.get.get(fileId)) throw new DomainError('not-found');
    const exp = now + this.ttl;
    return `/files/${rel}?exp=${exp}&sig=${sign(rel, exp, this.secret)}`;
  }

  private absolute(rel: string): string {
    const full = path.resolve(this.root, rel);
    // Belt and braces after the id pattern: never a path outside the root.
    if (!full.startsWith(this.root + path.sep)) throw new DomainError('invalid-input', '文件编号不正确');
    return full;
  }
}
