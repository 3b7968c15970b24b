/** Getting a file out of the app: saving a CSV export, printing or keeping a poster. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { PlatformError, isCancel } from './errors';

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
 * Saves a binary file the user asked for (the 简报's .xlsx), given as base64. Returns how it left the app.
 * 背景 (h5): as saveTextFile, a Blob and a temporary `<a download>`.
 * 背景 (weapp): written under `wx.env.USER_DATA_PATH` (writeFile takes base64 directly), then sent
 * with shareFileMessage; where that is missing, openDocument shows it (it opens xlsx, unlike csv).
 */
export async function saveBinaryFile(filename: string, base64: string, mime: string): Promise<'downloaded' | 'shared' | 'saved'> {
  if (IS_WEAPP) {
    const root = (Taro as unknown as { env: { USER_DATA_PATH: string } }).env.USER_DATA_PATH;
    const filePath = `${root}/${filename.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await new Promise<void>((resolve, reject) => {
      Taro.getFileSystemManager().writeFile({ filePath, data: base64, encoding: 'base64', success: () => resolve(), fail: (e) => reject(new PlatformError('save-failed', `保存文件失败：${e.errMsg ?? ''}`)) });
    });
    const share = (Taro as unknown as { shareFileMessage?: (o: { filePath: string; fileName: string }) => Promise<unknown> }).shareFileMessage;
    try {
      if (share) await share({ filePath, fileName: filename });
      else await Taro.openDocument({ filePath, showMenu: true });
      return share ? 'shared' : 'saved';
    } catch (e) {
      if (isCancel(e)) return 'saved';
      throw new PlatformError('save-failed', '文件已保存，但无法打开或发送');
    }
  }
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
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
 * Prints the current page (the 简报). A mini-program cannot print: it says to export instead.
 * 背景: the page's @media print rules hide the navigation and the buttons.
 */
export async function printPage(): Promise<'printed'> {
  if (IS_WEAPP) throw new PlatformError('unsupported', '小程序内无法直接打印，请导出Excel后在电脑上打印');
  window.print();
  return 'printed';
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
