/** Recording in the browser (weapp records with the native component `components/native-recorder`). */
import { IS_H5 } from './env';
import { PlatformError } from './errors';
import { EXT_BY_MIME, type LocalFile } from './files';

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
