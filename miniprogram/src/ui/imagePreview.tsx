/** NutUI's ImagePreview (weapp; the h5 build loads it on first use, see imagePreview.h5.tsx). */
import '@nutui/nutui-react-taro/dist/es/packages/imagepreview/style/css';

export { default as ImagePreview } from '@nutui/nutui-react-taro/dist/es/packages/imagepreview';
