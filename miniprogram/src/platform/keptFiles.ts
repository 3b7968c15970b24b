/** Files kept on the device until their draft is sent (the drafts of every form). */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { PlatformError } from './errors';
import { randomName, type LocalFile } from './files';

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
