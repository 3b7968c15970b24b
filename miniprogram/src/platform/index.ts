/**
 * Every difference between WeChat (weapp) and the browser (h5) lives here, and nowhere else:
 * calling functions, uploading, files kept on the device, picking and compressing media, the
 * browser's recorder, the QR scene, network status, storage, location, subscriptions.
 * Each quirk carries a "背景 / 复现路径" note: why the code looks the way it does, and how to see it.
 *
 * `process.env.TARO_ENV` is replaced at build time, so each build keeps only its own branch.
 */
import Taro from '@tarojs/taro';
import type { MediaKind } from '../media/limits';
import type { KeyValueStore } from '../drafts/queue';

export type Target = 'weapp' | 'h5';
export const TARGET: Target = process.env.TARO_ENV === 'weapp' ? 'weapp' : 'h5';
export const IS_WEAPP = process.env.TARO_ENV === 'weapp';
export const IS_H5 = process.env.TARO_ENV === 'h5';

/**
 * 背景: on weapp the caller is known by OPENID inside every cloud call; the browser has no such
 * identity, so h5 signs in as one of the local runtime's demo users and sends a Bearer token.
 * 复现路径: open the h5 build in a fresh profile → every call but auth.demoUsers answers `unauthenticated`.
 */
export const NEEDS_SIGN_IN = IS_H5;

/** weapp records with the native component `components/native-recorder`; h5 with MediaRecorder. */
export const NATIVE_RECORDER = IS_WEAPP;

declare const CLOUD_ENV: string;
declare const API_BASE: string;

/** A file picked or recorded on this device, before upload. */
export interface LocalFile {
  kind: MediaKind;
  /** weapp: a temp or saved file path; h5: an object URL, for display only. */
  path: string;
  /** h5: the bytes. */
  blob?: Blob;
  name: string;
  mime: string;
  size: number;
  durationSec?: number;
}

/** What a failure looks like to callers: a stable code and a Chinese message. */
export class PlatformError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

const NETWORK_MESSAGE = '网络不可用，请检查网络后重试';
const networkError = () => new PlatformError('network', NETWORK_MESSAGE);

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

/**
 * 背景: weapp storage allows 1 MB per key and 10 MB in all; h5 storage is localStorage, which
 * Taro wraps as `{"data": ...}` JSON. Both are synchronous, so drafts are written as typed.
 * 复现路径: write a 2 MB string with setStorageSync on weapp → "exceed storage item max length".
 * So files never go into storage: only their device paths (see persistFile).
 */
export const storage: KeyValueStore = {
  getItem(key) {
    try {
      const v = Taro.getStorageSync(key);
      return typeof v === 'string' && v !== '' ? v : null;
    } catch {
      return null;
    }
  },
  setItem(key, value) {
    Taro.setStorageSync(key, value);
  },
  removeItem(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // Already gone.
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Start-up
// ---------------------------------------------------------------------------------------------

let cloudReady = false;

/**
 * 背景: on weapp, `Taro.cloud` exists only after `cloud.init`; the env id comes from the build
 * (TARO_APP_CLOUD_ENV) or, when empty, the env the DevTools project is bound to.
 * 复现路径: callFunction before init → "cloud init error: ... please call wx.cloud.init first".
 */
export function initPlatform(): void {
  if (IS_WEAPP && !cloudReady) {
    const env = typeof CLOUD_ENV === 'string' && CLOUD_ENV ? CLOUD_ENV : undefined;
    Taro.cloud.init({ ...(env ? { env } : {}), traceUser: true });
    cloudReady = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Calling functions
// ---------------------------------------------------------------------------------------------

const TOKEN_KEY = 'session-token';

export function getToken(): string | null {
  return storage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) storage.setItem(TOKEN_KEY, token);
  else storage.removeItem(TOKEN_KEY);
}

function apiBase(): string {
  return typeof API_BASE === 'string' ? API_BASE : '';
}

/** The raw envelope a function returns: `{ ok: true, data } | { ok: false, code, message }`. */
export type Envelope = { ok: true; data: unknown } | { ok: false; code: string; message: string; issues?: unknown };

function isEnvelope(v: unknown): v is Envelope {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * Calls a cloud function with `{ action, ...args }` and returns its envelope.
 * Throws PlatformError('network') when the request never reached the function.
 */
export async function callFunction(name: string, data: Record<string, unknown>): Promise<Envelope> {
  if (IS_WEAPP) {
    initPlatform();
    try {
      const res = await Taro.cloud.callFunction({ name, data });
      // 背景: callFunction resolves with `{ result, errMsg, requestID }`; the function's return value is `result`.
      // 复现路径: log `res` of any call; `res.ok` is undefined, `res.result.ok` is the envelope.
      const result = (res as { result?: unknown }).result;
      if (isEnvelope(result)) return result;
      return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
    } catch (err) {
      // 背景: an unreachable network and a crashed function both reject; only errCode -1 / "timeout" / "fail" without a function error are the network.
      // 复现路径: DevTools → Network: Offline → callFunction rejects with "cloud.callFunction:fail ... request:fail".
      const msg = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
      if (/request:fail|timeout|network|offline|ERR_/i.test(msg)) throw networkError();
      return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
    }
  }
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(`${apiBase()}/api/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(data),
    });
  } catch {
    // 背景: fetch rejects (TypeError) only when the request could not be made: offline, DNS, refused.
    // 复现路径: DevTools → Network → Offline, then any call.
    throw networkError();
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (isEnvelope(body)) return body;
  // 背景: a proxy or the dev server answers 502/504 with HTML while the runtime restarts.
  if (res.status >= 500 || res.status === 0) throw networkError();
  return { ok: false, code: 'internal', message: '系统繁忙，请稍后再试' };
}

// ---------------------------------------------------------------------------------------------
// Uploading
// ---------------------------------------------------------------------------------------------

export interface UploadHandle {
  /** Resolves with the stored file id. On weapp the caller still registers the file (see uploadNeedsRegister). */
  done: Promise<{ fileId: string; kind?: MediaKind; durationSec?: number }>;
  abort(): void;
}

/** weapp stores the file in cloud storage first, then the `media` function checks and records it. */
export const uploadNeedsRegister = IS_WEAPP;

const EXT_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic',
  'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm',
  'audio/mpeg': 'mp3', 'audio/mp3': 'mp3', 'audio/aac': 'aac', 'audio/mp4': 'm4a', 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/wav': 'wav',
};
const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mp3: 'audio/mpeg', aac: 'audio/aac', m4a: 'audio/mp4', wav: 'audio/wav', ogg: 'audio/ogg',
};

export function extensionOf(nameOrPath: string): string {
  const m = /\.([a-z0-9]{1,5})(?:\?.*)?$/i.exec(nameOrPath);
  return m ? m[1].toLowerCase() : '';
}

export function mimeOf(nameOrPath: string, kind: MediaKind): string {
  return MIME_BY_EXT[extensionOf(nameOrPath)] ?? (kind === 'image' ? 'image/jpeg' : kind === 'video' ? 'video/mp4' : 'audio/mpeg');
}

function randomName(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function uploadFile(file: LocalFile, onProgress: (fraction: number) => void): UploadHandle {
  if (IS_WEAPP) {
    initPlatform();
    const ext = extensionOf(file.path) || EXT_BY_MIME[file.mime] || 'bin';
    const month = new Date().toISOString().slice(0, 7);
    let task: Taro.UploadTask | null = null;
    let aborted = false;
    const done = new Promise<{ fileId: string }>((resolve, reject) => {
      // 背景: only the callback form of cloud.uploadFile returns the task that reports progress;
      // the promise form (no success/fail) returns a promise without onProgressUpdate.
      // 复现路径: `Taro.cloud.uploadFile({ cloudPath, filePath }).onProgressUpdate` → undefined.
      task = Taro.cloud.uploadFile({
        cloudPath: `uploads/${month}/${randomName()}.${ext}`,
        filePath: file.path,
        success: (res) => resolve({ fileId: res.fileID }),
        fail: (err) => {
          const msg = String((err as { errMsg?: string })?.errMsg ?? '');
          if (aborted) reject(new PlatformError('aborted', '已取消上传'));
          else if (/request:fail|timeout|network|offline/i.test(msg)) reject(networkError());
          else reject(new PlatformError('upload-failed', '文件上传失败，请重试'));
        },
      }) as unknown as Taro.UploadTask;
      task?.onProgressUpdate?.((p) => onProgress(p.progress / 100));
    });
    return {
      done,
      abort: () => {
        aborted = true;
        task?.abort();
      },
    };
  }
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ fileId: string; kind?: MediaKind; durationSec?: number }>((resolve, reject) => {
    const params = new URLSearchParams({ name: file.name });
    if (file.durationSec !== undefined) params.set('durationSec', String(Math.round(file.durationSec * 10) / 10));
    xhr.open('POST', `${apiBase()}/api/upload?${params.toString()}`);
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', file.mime || 'application/octet-stream');
    // 背景: fetch has no upload progress; only XMLHttpRequest.upload.onprogress reports bytes sent.
    // 复现路径: a 20 MB video over "Slow 3G" shows no progress with fetch.
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(0.99, e.loaded / e.total));
    };
    xhr.onerror = () => reject(networkError());
    xhr.ontimeout = () => reject(networkError());
    xhr.onabort = () => reject(new PlatformError('aborted', '已取消上传'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (isEnvelope(body)) {
        if (body.ok) {
          onProgress(1);
          resolve(body.data as { fileId: string; kind?: MediaKind; durationSec?: number });
        } else reject(new PlatformError(body.code, body.message));
      } else if (xhr.status >= 500 || xhr.status === 0) reject(networkError());
      else reject(new PlatformError('upload-failed', '文件上传失败，请重试'));
    };
    if (!file.blob) {
      reject(new PlatformError('file-missing', '文件已不存在，请重新选择'));
      return;
    }
    xhr.send(file.blob);
  });
  return { done, abort: () => xhr.abort() };
}

// ---------------------------------------------------------------------------------------------
// Files kept on the device (grid workers' drafts)
// ---------------------------------------------------------------------------------------------

const IDB_NAME = 'mashang-media';
const IDB_STORE = 'files';

function idb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(IDB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(IDB_STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function idbDo<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await idb();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(IDB_STORE, mode);
    const req = run(tx.objectStore(IDB_STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(req.result as T);
    };
    tx.onerror = () => {
      db.close();
      reject(tx.error);
    };
  });
}

/**
 * Keeps a picked file on the device until its draft is sent; returns where it lives.
 * 背景: weapp temp files (`wxfile://tmp_...`) and h5 object URLs (`blob:`) die with the app or
 * the tab, and drafts must outlive both. weapp moves the file into the user data dir
 * (FileSystemManager.saveFile; the saved-files quota is 200 MB); h5 keeps the Blob in IndexedDB
 * (localStorage holds strings only and ~5 MB).
 * 复现路径: pick a photo, kill the app (weapp) or reload the tab (h5), open the temp path → not found.
 */
export async function persistFile(file: LocalFile): Promise<string> {
  if (IS_WEAPP) {
    return new Promise<string>((resolve, reject) => {
      Taro.getFileSystemManager().saveFile({
        tempFilePath: file.path,
        success: (res) => resolve(res.savedFilePath),
        fail: (err) => reject(new PlatformError('storage-full', `手机存储空间不足，无法保存草稿文件（${String((err as { errMsg?: string }).errMsg ?? '')}）`)),
      });
    });
  }
  if (!file.blob) throw new PlatformError('file-missing', '文件已不存在，请重新选择');
  const id = randomName();
  await idbDo('readwrite', (s) => s.put(file.blob!, id));
  return `idb:${id}`;
}

/** A kept file, ready to upload or show. */
export async function loadPersistedFile(ref: string, meta: Omit<LocalFile, 'path' | 'blob'>): Promise<LocalFile> {
  if (IS_WEAPP) return { ...meta, path: ref };
  const blob = await idbDo<Blob | undefined>('readonly', (s) => s.get(ref.replace(/^idb:/, '')));
  if (!blob) throw new PlatformError('file-missing', '草稿中的文件已丢失，请删除后重新添加');
  return { ...meta, path: URL.createObjectURL(blob), blob };
}

export async function discardPersistedFile(ref: string): Promise<void> {
  if (IS_WEAPP) {
    await new Promise<void>((resolve) => Taro.getFileSystemManager().removeSavedFile({ filePath: ref, complete: () => resolve() }));
    return;
  }
  await idbDo('readwrite', (s) => s.delete(ref.replace(/^idb:/, '')));
}

// ---------------------------------------------------------------------------------------------
// Picking media
// ---------------------------------------------------------------------------------------------

const IMAGE_MAX_SIDE = 1600;
const IMAGE_QUALITY = 0.72;

/**
 * 背景: the browser has no picker API, only <input type=file>. The input is kept in the document
 * (iOS Safari ignores clicks on detached inputs), and browsers fire no event when the user
 * cancels, except the recent `cancel` event.
 * 复现路径: open the picker and press cancel in Chrome 112 → no change event; the promise waits.
 */
function pickBrowserFiles(accept: string, multiple: boolean, capture?: string): Promise<File[]> {
  return new Promise((resolve) => {
    let input = document.getElementById('h5-file-input') as HTMLInputElement | null;
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.id = 'h5-file-input';
      input.style.display = 'none';
      document.body.appendChild(input);
    }
    input.value = '';
    input.accept = accept;
    input.multiple = multiple;
    if (capture) input.setAttribute('capture', capture);
    else input.removeAttribute('capture');
    input.onchange = () => resolve(Array.from(input!.files ?? []));
    input.oncancel = () => resolve([]);
    input.click();
  });
}

/** Downscales a photo to 1600 px on its long side as JPEG; keeps the original when that is smaller. */
async function compressBrowserImage(file: File): Promise<Blob> {
  if (!/^image\/(jpeg|png|webp|bmp)$/.test(file.type)) return file;
  try {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.src = url;
    await img.decode();
    URL.revokeObjectURL(url);
    const scale = Math.min(1, IMAGE_MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', IMAGE_QUALITY));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    // An image the browser cannot decode (e.g. HEIC) goes as is; the server checks its type.
    return file;
  }
}

function browserMediaDuration(blob: Blob, kind: 'video' | 'audio'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const el = document.createElement(kind);
    const url = URL.createObjectURL(blob);
    const finish = (v: number | undefined) => {
      URL.revokeObjectURL(url);
      resolve(v);
    };
    el.preload = 'metadata';
    el.onloadedmetadata = () => finish(Number.isFinite(el.duration) ? el.duration : undefined);
    el.onerror = () => finish(undefined);
    setTimeout(() => finish(undefined), 5000);
    el.src = url;
  });
}

function jpegName(name: string): string {
  return name.replace(/\.[a-z0-9]+$/i, '') + '.jpg';
}

/** Up to `count` photos, compressed. */
export async function chooseImages(count: number): Promise<LocalFile[]> {
  if (count <= 0) return [];
  if (IS_WEAPP) {
    // 背景: chooseMedia's sizeType 'compressed' is not applied to album picks on some Android
    // phones, so every photo also goes through compressImage.
    // 复现路径: pick a 12 MP album photo on a Redmi → tempFiles[0].size ≈ 5 MB.
    const res = await Taro.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    const out: LocalFile[] = [];
    for (const f of res.tempFiles) {
      let path = f.tempFilePath;
      let size = f.size;
      try {
        const c = await Taro.compressImage({ src: path, quality: 70 });
        path = c.tempFilePath;
        const info = await Taro.getFileSystemManager().statSync(path);
        size = (info as { size?: number }).size ?? size;
      } catch {
        // Keep the original.
      }
      out.push({ kind: 'image', path, name: path.split('/').pop() ?? 'photo.jpg', mime: mimeOf(path, 'image'), size });
    }
    return out;
  }
  const files = (await pickBrowserFiles('image/*', count > 1)).slice(0, count);
  const out: LocalFile[] = [];
  for (const f of files) {
    const blob = await compressBrowserImage(f);
    const compressed = blob !== f;
    out.push({
      kind: 'image',
      path: URL.createObjectURL(blob),
      blob,
      name: compressed ? jpegName(f.name) : f.name,
      mime: blob.type || f.type || 'image/jpeg',
      size: blob.size,
    });
  }
  return out;
}

/** One video of at most `maxSeconds`. */
export async function chooseVideo(maxSeconds: number): Promise<LocalFile | null> {
  if (IS_WEAPP) {
    const res = await Taro.chooseVideo({ sourceType: ['album', 'camera'], compressed: true, maxDuration: maxSeconds });
    return { kind: 'video', path: res.tempFilePath, name: res.tempFilePath.split('/').pop() ?? 'video.mp4', mime: mimeOf(res.tempFilePath, 'video'), size: res.size, durationSec: res.duration };
  }
  const [f] = await pickBrowserFiles('video/*', false);
  if (!f) return null;
  const durationSec = await browserMediaDuration(f, 'video');
  return { kind: 'video', path: URL.createObjectURL(f), blob: f, name: f.name, mime: f.type || 'video/mp4', size: f.size, durationSec };
}

/** h5 fallback when the browser cannot record: an audio file from the device. */
export async function chooseAudioFile(): Promise<LocalFile | null> {
  if (IS_WEAPP) return null;
  const [f] = await pickBrowserFiles('audio/*', false);
  if (!f) return null;
  const durationSec = await browserMediaDuration(f, 'audio');
  return { kind: 'audio', path: URL.createObjectURL(f), blob: f, name: f.name, mime: f.type || 'audio/mpeg', size: f.size, durationSec };
}

/** The file the native recorder (weapp) wrote. */
export function recordedFile(tempFilePath: string, durationSec: number, size: number): LocalFile {
  return { kind: 'audio', path: tempFilePath, name: tempFilePath.split('/').pop() ?? 'voice.mp3', mime: 'audio/mpeg', size, durationSec };
}

/** Frees what a picked or loaded file holds on this device (h5: its object URL). */
export function releaseFile(path: string): void {
  if (IS_H5 && path.startsWith('blob:')) URL.revokeObjectURL(path);
}

/** True when the user closed a picker: not an error to show. */
export function isCancel(err: unknown): boolean {
  const msg = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
  return /cancel/i.test(msg);
}

// ---------------------------------------------------------------------------------------------
// Recording in the browser (weapp uses the native component `components/native-recorder`)
// ---------------------------------------------------------------------------------------------

export interface BrowserRecorder {
  /** Resolves when recording has started; rejects with code 'denied' or 'unsupported'. */
  start(): Promise<void>;
  /** Stops and resolves with the clip. */
  stop(): Promise<LocalFile>;
  cancel(): void;
}

export function canRecordInBrowser(): boolean {
  return IS_H5 && typeof window !== 'undefined' && typeof (window as { MediaRecorder?: unknown }).MediaRecorder === 'function' && !!navigator.mediaDevices?.getUserMedia;
}

/**
 * 背景: MediaRecorder writes webm/opus in Chrome and Firefox and mp4/aac in Safari; the clip's
 * type is whatever the browser supports. getUserMedia needs https or localhost.
 * 复现路径: open the h5 build over http://<lan-ip> → navigator.mediaDevices is undefined.
 */
export function createBrowserRecorder(): BrowserRecorder {
  let stream: MediaStream | null = null;
  let recorder: MediaRecorder | null = null;
  let chunks: Blob[] = [];
  let startedAt = 0;
  const release = () => {
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
  };
  return {
    async start() {
      if (!canRecordInBrowser()) throw new PlatformError('unsupported', '当前浏览器不支持录音，请上传录音文件');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (err) {
        const name = (err as { name?: string })?.name;
        if (name === 'NotAllowedError' || name === 'SecurityError') throw new PlatformError('denied', '需要麦克风权限才能录音，请在浏览器设置中允许使用麦克风');
        throw new PlatformError('unsupported', '没有找到可用的麦克风');
      }
      const types = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg'];
      const mimeType = types.find((t) => MediaRecorder.isTypeSupported?.(t));
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
      chunks = [];
      recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
      recorder.start(250);
      startedAt = Date.now();
    },
    stop() {
      return new Promise<LocalFile>((resolve, reject) => {
        if (!recorder || recorder.state === 'inactive') {
          release();
          reject(new PlatformError('not-recording', '没有正在进行的录音'));
          return;
        }
        const r = recorder;
        r.onstop = () => {
          release();
          const type = (r.mimeType || 'audio/webm').split(';')[0];
          const blob = new Blob(chunks, { type });
          const durationSec = Math.round((Date.now() - startedAt) / 100) / 10;
          resolve({ kind: 'audio', path: URL.createObjectURL(blob), blob, name: `voice.${EXT_BY_MIME[type] ?? 'webm'}`, mime: type, size: blob.size, durationSec });
        };
        r.stop();
      });
    },
    cancel() {
      try {
        if (recorder && recorder.state !== 'inactive') recorder.stop();
      } catch {
        // Already stopped.
      }
      release();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The QR scene
// ---------------------------------------------------------------------------------------------

const SCENE = /^[\x21-\x7e]{1,32}$/;

function cleanScene(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let v = raw;
  try {
    v = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return SCENE.test(v) ? v : null;
}

/**
 * The place/grid id carried by a scanned code, or null.
 * 背景 (weapp): a wxacode.getUnlimited code opens its page with `scene` in the page options,
 * URL-encoded (`a%3D1`), and on a cold start also in getLaunchOptionsSync().query.scene. The
 * launch options' own `scene` field is a number (the entry scene, 1047 = scanned a code), not ours.
 * 复现路径: DevTools → 编译模式 → 启动参数 `scene=BUS%2D12` → options.scene === 'BUS%2D12'.
 * 背景 (h5): the poster's URL carries `?scene=`; Taro's router params include it on the page
 * that opened, but `location.search` is the one source on a first load.
 */
let launchSceneRead = false;

export function readScene(pageParams: Record<string, string | undefined> = {}): string | null {
  const fromPage = cleanScene(pageParams.scene);
  if (fromPage) return fromPage;
  // 背景: the launch options (and the first URL) keep their scene for the whole run; read them once,
  // or every later visit to the home page would jump to the form again.
  // 复现路径: scan → form → 返回首页 (reLaunch) → the form opens again.
  if (launchSceneRead) return null;
  launchSceneRead = true;
  if (IS_WEAPP) {
    try {
      const launch = Taro.getLaunchOptionsSync();
      return cleanScene((launch.query as Record<string, unknown> | undefined)?.scene);
    } catch {
      return null;
    }
  }
  try {
    return cleanScene(new URLSearchParams(window.location.search).get('scene') ?? undefined);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Network status
// ---------------------------------------------------------------------------------------------

export async function isOnline(): Promise<boolean> {
  if (IS_WEAPP) {
    try {
      const res = await Taro.getNetworkType();
      return res.networkType !== 'none';
    } catch {
      return true;
    }
  }
  return typeof navigator === 'undefined' ? true : navigator.onLine !== false;
}

/**
 * Calls back when the device goes on or off line. Returns an unsubscribe function.
 * 背景: weapp's onNetworkStatusChange has no per-listener removal before base library 2.9.3
 * (offNetworkStatusChange); h5 uses the window's online/offline events, which Playwright's
 * context.setOffline() fires too.
 * 复现路径: DevTools → Network: Offline, then Online → the callback gets isConnected false, true.
 */
export function onNetworkChange(cb: (online: boolean) => void): () => void {
  if (IS_WEAPP) {
    const handler = (res: { isConnected: boolean }) => cb(res.isConnected);
    Taro.onNetworkStatusChange(handler);
    return () => {
      const off = (Taro as unknown as { offNetworkStatusChange?: (h: typeof handler) => void }).offNetworkStatusChange;
      off?.(handler);
    };
  }
  const on = () => cb(true);
  const off = () => cb(false);
  window.addEventListener('online', on);
  window.addEventListener('offline', off);
  return () => {
    window.removeEventListener('online', on);
    window.removeEventListener('offline', off);
  };
}

// ---------------------------------------------------------------------------------------------
// Location
// ---------------------------------------------------------------------------------------------

export interface PickedLocation {
  address?: string;
  lat: number;
  lng: number;
}

/**
 * 背景: weapp has a map picker (chooseLocation) that returns the address; it needs
 * `requiredPrivateInfos` in app.json. The browser only gives coordinates (geolocation, https only).
 * 复现路径: remove requiredPrivateInfos and call chooseLocation → "chooseLocation:fail the api need to be declared".
 */
export async function pickLocation(): Promise<PickedLocation> {
  if (IS_WEAPP) {
    const res = await Taro.chooseLocation({});
    return { address: [res.address, res.name].filter(Boolean).join(' '), lat: res.latitude, lng: res.longitude };
  }
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new PlatformError('unsupported', '当前浏览器不支持定位，请手动填写地址'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => reject(new PlatformError('denied', '无法获取位置，请手动填写地址')),
      { timeout: 10000 },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Subscription messages
// ---------------------------------------------------------------------------------------------

/**
 * Asks for consent to the given template keys (ids by key come from the profile); returns the keys accepted.
 * 背景: requestSubscribeMessage works only inside a tap handler, and fails silently (errCode 20004,
 * "main switch off") when the user turned subscriptions off; one-time templates need one tap per message.
 * The browser has no subscriptions: h5 reports every key as accepted and the local runtime's
 * outbox shows the notices.
 * 复现路径: call it from useEffect → "requestSubscribeMessage:fail can only be invoked by user TAP gesture".
 * Call it first thing in the tap handler, before any other await.
 */
export async function requestSubscribe<K extends string>(templateIds: Partial<Record<K, string>>, keys: K[]): Promise<K[]> {
  if (!IS_WEAPP) return keys;
  const wanted = keys.filter((k) => templateIds[k]);
  if (wanted.length === 0) return [];
  const ids = wanted.map((k) => templateIds[k]!);
  const res = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
  return wanted.filter((k) => res[templateIds[k]!] === 'accept');
}

// ---------------------------------------------------------------------------------------------
// Charts, exports and posters (platform operators)
// ---------------------------------------------------------------------------------------------

/** A drawable canvas: the node, its 2D context, its CSS size and the device pixel ratio. */
export interface Canvas2d {
  canvas: { width: number; height: number; getContext(type: '2d'): unknown };
  context: unknown;
  width: number;
  height: number;
  pixelRatio: number;
}

function devicePixelRatio(): number {
  if (IS_WEAPP) {
    try {
      const info = (Taro as unknown as { getWindowInfo?: () => { pixelRatio: number } }).getWindowInfo?.() ?? Taro.getSystemInfoSync();
      return info.pixelRatio || 2;
    } catch {
      return 2;
    }
  }
  return typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
}

/**
 * The `<Canvas type="2d" id>` of a page as a standard 2D canvas, sized for the device's pixels.
 * 背景: weapp's type="2d" canvas is reached only through a selector query's node(); Taro's h5
 * implements the same query, but there `fields({ node, size })` returns the node alone (no size)
 * and the inner `<canvas>` of `taro-canvas-core` appears only after the web component renders.
 * So node and size are asked separately, and the query is retried for a moment.
 * 复现路径: h5, query `fields({ node: true, size: true })` right after mount → `{ node }` without
 * width, or `node: null` on the first frame.
 */
export async function canvas2d(id: string, tries = 20): Promise<Canvas2d | null> {
  for (let i = 0; i < tries; i++) {
    const found = await new Promise<Canvas2d | null>((resolve) => {
      const q = Taro.createSelectorQuery();
      q.select(`#${id}`).node();
      q.select(`#${id}`).boundingClientRect();
      q.exec((res: unknown[]) => {
        const node = (res?.[0] as { node?: Canvas2d['canvas'] } | null)?.node;
        const rect = res?.[1] as { width?: number; height?: number } | null;
        if (!node || !rect?.width || !rect?.height) return resolve(null);
        const pixelRatio = devicePixelRatio();
        node.width = Math.round(rect.width * pixelRatio);
        node.height = Math.round(rect.height * pixelRatio);
        resolve({ canvas: node, context: node.getContext('2d'), width: rect.width, height: rect.height, pixelRatio });
      });
    });
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/**
 * Saves a text file the user asked for (a CSV export). Returns how it left the app.
 * 背景 (h5): a Blob and a temporary `<a download>` is the one way to save without a server round trip;
 * the BOM the backend puts first makes Excel read the CSV as UTF-8.
 * 背景 (weapp): there is no download folder. The file is written under `wx.env.USER_DATA_PATH`, then
 * offered with shareFileMessage (send to a chat or to 文件传输助手, then open on a PC);
 * openDocument cannot open .csv (it takes doc/xls/ppt/pdf and their x-variants only).
 * 复现路径: weapp, openDocument({ filePath: '….csv' }) → "openDocument:fail filetype not supported".
 */
export async function saveTextFile(filename: string, text: string, mime = 'text/csv;charset=utf-8'): Promise<'downloaded' | 'shared' | 'saved'> {
  if (IS_WEAPP) {
    const root = (Taro as unknown as { env: { USER_DATA_PATH: string } }).env.USER_DATA_PATH;
    const filePath = `${root}/${filename.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await new Promise<void>((resolve, reject) => {
      Taro.getFileSystemManager().writeFile({ filePath, data: text, encoding: 'utf8', success: () => resolve(), fail: (e) => reject(new PlatformError('save-failed', `保存文件失败：${e.errMsg ?? ''}`)) });
    });
    const share = (Taro as unknown as { shareFileMessage?: (o: { filePath: string; fileName: string }) => Promise<unknown> }).shareFileMessage;
    if (share) {
      try {
        await share({ filePath, fileName: filename });
        return 'shared';
      } catch (e) {
        if (isCancel(e)) return 'saved';
      }
    }
    return 'saved';
  }
  const blob = new Blob([text], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'downloaded';
}

/**
 * Prints the page (a QR poster) or, where there is no printer, keeps the image.
 * 背景: the browser prints with window.print() (the poster page hides everything else with @media print).
 * A mini-program cannot print: the poster's PNG is written to a file and saved to the photo album,
 * to be printed from the phone or a PC; saveImageToPhotosAlbum takes a file path, not a data URL,
 * and asks for scope.writePhotosAlbum the first time.
 * 复现路径: weapp, saveImageToPhotosAlbum({ filePath: 'data:image/png;base64,…' }) → "fail file not found".
 */
export async function printPoster(imageDataUrl: string, name: string): Promise<'printed' | 'saved'> {
  if (IS_WEAPP) {
    const root = (Taro as unknown as { env: { USER_DATA_PATH: string } }).env.USER_DATA_PATH;
    const filePath = `${root}/poster-${name.replace(/[^A-Za-z0-9_-]/g, '_')}.png`;
    const base64 = imageDataUrl.replace(/^data:image\/\w+;base64,/, '');
    await new Promise<void>((resolve, reject) => {
      Taro.getFileSystemManager().writeFile({ filePath, data: base64, encoding: 'base64', success: () => resolve(), fail: (e) => reject(new PlatformError('save-failed', `保存海报失败：${e.errMsg ?? ''}`)) });
    });
    try {
      await Taro.saveImageToPhotosAlbum({ filePath });
    } catch (e) {
      if (isCancel(e)) throw new PlatformError('cancelled', '已取消保存');
      throw new PlatformError('denied', '请在设置中允许保存到相册后重试');
    }
    return 'saved';
  }
  window.print();
  return 'printed';
}
