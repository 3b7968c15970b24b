/** Asking before the user leaves a page whose form holds unsent input. */
import Taro from '@tarojs/taro';
import { IS_WEAPP } from './env';

/**
 * Starts asking before the page is left; returns the function that stops asking (call it before
 * navigating away on purpose, e.g. after a successful submit).
 * 背景 (weapp): enableAlertBeforeUnload asks when the user goes back (the back button or the
 * gesture); navigateTo/redirectTo from the page's own code are not asked about.
 * 背景 (h5): Taro's h5 implements enableAlertBeforeUnload as "temporarily not supported", so a
 * reload or closing the tab is asked about through the window's `beforeunload` (the browser's own
 * prompt). Going back inside the app is not asked about: holding Taro's router (`history.block`)
 * left the page that was left on screen over the next one. Nothing is lost that way: the form's
 * draft stays on the device and comes back, with a notice, when the form is opened again.
 * 复现路径: h5, call Taro.enableAlertBeforeUnload → console "暂时不支持 API enableAlertBeforeUnload".
 */
export function guardLeaving(message: string): () => void {
  if (IS_WEAPP) {
    void Taro.enableAlertBeforeUnload({ message });
    return () => void Taro.disableAlertBeforeUnload();
  }
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    // Browsers show their own text; a value is still required for the prompt to appear.
    e.returnValue = message;
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}
