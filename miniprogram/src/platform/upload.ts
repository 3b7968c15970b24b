/** Uploading a picked or recorded file, with progress, and aborting it. */
import Taro from '@tarojs/taro';
import type { MediaKind } from '../media/limits';
import { IS_WEAPP } from './env';
import { PlatformError, networkError } from './errors';
import { EXT_BY_MIME, extensionOf, randomName, type LocalFile } from './files';
import { initPlatform } from './startup';
import { getToken } from './storage';
import { TRANSPORT, apiBase, isEnvelope } from './transport';

export interface UploadHandle {
  /** Resolves with the stored file id. On weapp the caller still registers the file (see uploadNeedsRegister). */
  done: Promise<{ fileId: string; kind?: MediaKind; durationSec?: number }>;
  abort(): void;
}

/** weapp on CloudBase stores the file in cloud storage first, then the `media` function checks and records it. */
export const uploadNeedsRegister = TRANSPORT === 'cloud';

type Uploaded = { fileId: string; kind?: MediaKind; durationSec?: number };

export function uploadFile(file: LocalFile, onProgress: (fraction: number) => void): UploadHandle {
  if (TRANSPORT === 'weapp-https') return uploadOverHttps(file, onProgress);
  if (IS_WEAPP) {
    initPlatform();
    const ext = extensionOf(file.path) || EXT_BY_MIME[file.mime] || 'bin';
    const month = new Date().toISOString().slice(0, 7);
    // 背景: only the callback form of cloud.uploadFile returns the task that reports progress;
    // the promise form (no success/fail) returns a promise without onProgressUpdate.
    // 复现路径: `Taro.cloud.uploadFile({ cloudPath, filePath }).onProgressUpdate` → undefined.
    return wxTaskUpload(onProgress, (resolve, fail) =>
      Taro.cloud.uploadFile({
        cloudPath: `uploads/${month}/${randomName()}.${ext}`,
        filePath: file.path,
        success: (res) => resolve({ fileId: res.fileID }),
        fail,
      }) as unknown as Taro.UploadTask,
    );
  }
  const xhr = new XMLHttpRequest();
  const done = new Promise<Uploaded>((resolve, reject) => {
    xhr.open('POST', uploadUrl(file));
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
      if ((xhr.status >= 500 || xhr.status === 0) && !isEnvelope(parseJson(xhr.responseText))) {
        reject(networkError());
        return;
      }
      settleFromBody(xhr.responseText, (data) => {
        onProgress(1);
        resolve(data);
      }, reject);
    };
    if (!file.blob) {
      reject(new PlatformError('file-missing', '文件已不存在，请重新选择'));
      return;
    }
    xhr.send(file.blob);
  });
  return { done, abort: () => xhr.abort() };
}

function uploadUrl(file: LocalFile): string {
  const params = new URLSearchParams({ name: file.name });
  if (file.durationSec !== undefined) params.set('durationSec', String(Math.round(file.durationSec * 10) / 10));
  return `${apiBase()}/api/upload?${params.toString()}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The server answers an upload with the usual envelope; anything else is a failed upload. */
function settleFromBody(text: string, resolve: (data: Uploaded) => void, reject: (err: PlatformError) => void): void {
  const body = parseJson(text);
  if (isEnvelope(body) && body.ok) resolve(body.data as Uploaded);
  else if (isEnvelope(body) && !body.ok) reject(new PlatformError(body.code, body.message));
  else reject(new PlatformError('upload-failed', '文件上传失败，请重试'));
}

/** A wx upload task (cloud storage or wx.uploadFile) with progress, abort and the shared failure mapping. */
function wxTaskUpload(
  onProgress: (fraction: number) => void,
  start: (
    resolve: (data: Uploaded) => void,
    fail: (err: unknown) => void,
    reject: (err: PlatformError) => void,
  ) => Taro.UploadTask | null,
): UploadHandle {
  let task: Taro.UploadTask | null = null;
  let aborted = false;
  const done = new Promise<Uploaded>((resolve, reject) => {
    task = start(resolve, (err) => {
      const msg = String((err as { errMsg?: string })?.errMsg ?? '');
      if (aborted) reject(new PlatformError('aborted', '已取消上传'));
      else if (/request:fail|timeout|network|offline/i.test(msg)) reject(networkError());
      else reject(new PlatformError('upload-failed', '文件上传失败，请重试'));
    }, reject);
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

/**
 * weapp against a self-hosted server: `wx.uploadFile` to `/api/upload` with the session token.
 * 背景: wx.uploadFile always sends multipart/form-data (the server takes the file part).
 * 复现路径: the uploadFile domain must be on the mini-program's whitelist like the request domain.
 */
function uploadOverHttps(file: LocalFile, onProgress: (fraction: number) => void): UploadHandle {
  const token = getToken();
  return wxTaskUpload(onProgress, (resolve, fail, reject) =>
    Taro.uploadFile({
      url: uploadUrl(file),
      filePath: file.path,
      name: 'file',
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success: (res) => settleFromBody(String(res.data), resolve, reject),
      fail,
    }) as unknown as Taro.UploadTask,
  );
}
