/** Picking photos, a video or an audio file, compressed where the platform allows. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { mimeOf, type LocalFile } from './files';

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
