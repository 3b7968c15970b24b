/**
 * The NutUI components this app uses, each with its own stylesheet: importing per component keeps
 * the weapp main package small (the whole NutUI stylesheet alone is ≈230 KB).
 * ImagePreview (./imagePreview) and Dialog (./dialog) have files of their own, so the h5 entry
 * form does not load them.
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/progress/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/noticebar/style/css';

// Keyboard-reachable on h5 (./button.tsx).
export { Button, keyboardButton } from './button';
export { default as Cell } from '@nutui/nutui-react-taro/dist/es/packages/cell';
export { default as CellGroup } from '@nutui/nutui-react-taro/dist/es/packages/cellgroup';
export { default as Input } from '@nutui/nutui-react-taro/dist/es/packages/input';
export { default as TextArea } from '@nutui/nutui-react-taro/dist/es/packages/textarea';
export { default as Radio } from '@nutui/nutui-react-taro/dist/es/packages/radio';
// Our own: NutUI's Switch carries no valid switch semantics on h5 (./switch.tsx).
export { Switch } from './switch';
export { default as Progress } from '@nutui/nutui-react-taro/dist/es/packages/progress';
export { default as Tag } from '@nutui/nutui-react-taro/dist/es/packages/tag';
// Our own picture: NutUI's default is a third-party image the CSP refuses (./empty.tsx).
export { Empty } from './empty';
export { default as NoticeBar } from '@nutui/nutui-react-taro/dist/es/packages/noticebar';
