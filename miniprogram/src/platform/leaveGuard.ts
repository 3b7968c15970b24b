/** Asking before the user leaves a page whose form holds unsent input. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

/**
 * Starts asking before the page is left; returns the function that stops asking (call it before
 * navigating away on purpose, e.g. after a successful submit). `onScreen` says whether the guarded
 * page is the one shown (h5's one title bar serves every page).
 * 背景 (weapp): enableAlertBeforeUnload asks when the user goes back (the back button or the
 * gesture); navigateTo/redirectTo from the page's own code are not asked about.
 * 背景 (h5): Taro's h5 implements enableAlertBeforeUnload as "temporarily not supported", so a
 * reload or closing the tab is asked about through the window's `beforeunload` (the browser's own
 * prompt), and the title bar's back and home arrows (`.taro-navigation-bar-back` / `-home`, one
 * bar for the whole app) are asked about with a modal, by a capture-phase click listener that runs
 * before the router's own. The browser's back button is not asked about: holding Taro's router
 * (`history.block`) left the page that was left on screen over the next one. Nothing is lost that
 * way: the form's draft stays on the device and comes back, with a notice, when it is opened again.
 * 复现路径: h5, call Taro.enableAlertBeforeUnload → console "暂时不支持 API enableAlertBeforeUnload".
 */
export function guardLeaving(message: string, onScreen: () => boolean = () => true): () => void {
  if (IS_WEAPP) {
    // 背景: base library 2.12.0 added enableAlertBeforeUnload; older clients leave without asking
    // (the draft still comes back when the form is opened again).
    if (!Taro.canIUse('enableAlertBeforeUnload')) return () => undefined;
    void Taro.enableAlertBeforeUnload({ message });
    return () => void Taro.disableAlertBeforeUnload();
  }
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    // Browsers show their own text; a value is still required for the prompt to appear.
    e.returnValue = message;
  };
  // Only while the guarded page is on screen (`onScreen`): a page opened over it has its own arrows.
  // 背景: h5's getCurrentPages() returns fresh copies on every call, so it cannot tell pages apart.
  const onArrow = (e: MouseEvent) => {
    const arrow = (e.target as Element | null)?.closest?.('.taro-navigation-bar-back, .taro-navigation-bar-home');
    if (!arrow || !onScreen()) return;
    e.stopPropagation();
    e.preventDefault();
    const home = arrow.classList.contains('taro-navigation-bar-home');
    void confirmLeaving(message).then((leave) => {
      if (!leave) return;
      stop();
      void (home ? Taro.reLaunch({ url: '/pages/home/index' }) : Taro.navigateBack());
    });
  };
  const stop = () => {
    window.removeEventListener('beforeunload', onBeforeUnload);
    document.removeEventListener('click', onArrow, true);
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  document.addEventListener('click', onArrow, true);
  return stop;
}

/**
 * Asks whether to leave a filled form, for the page's own ways out (a 返回 button, navigateBack from
 * code): neither platform asks about those by itself (weapp's alert covers only the user's back).
 * Resolves true to leave.
 */
export async function confirmLeaving(message: string): Promise<boolean> {
  const r = await Taro.showModal({ title: '离开此页？', content: message, confirmText: '离开', cancelText: '留下' });
  return r.confirm;
}
