/**
 * NutUI's Dialog on its own: only ticket actions use it, and through the ui barrel it (with its
 * overlay and react-transition-group) sat in the chunk every h5 page loads, the entry form's too.
 */
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css';

export { default as Dialog } from '@nutui/nutui-react-taro/dist/es/packages/dialog';
