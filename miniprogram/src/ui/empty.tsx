/**
 * NutUI's Empty with a picture of our own. Its default picture is an <img> from a third-party CDN
 * (storage.360buyimg.com): the app's CSP (img-src 'self' data: blob:) refuses it, so a broken
 * image without alt text sat above every empty list (axe image-alt), and a weapp page would fetch
 * from a domain not on its list. The picture here is drawn in CSS and hidden from screen readers:
 * the title says it all.
 */
import { View } from '@tarojs/components';
import type { ComponentProps } from 'react';
import NutEmpty from '@nutui/nutui-react-taro/dist/es/packages/empty';
import './empty.scss';

type Props = Omit<ComponentProps<typeof NutEmpty>, 'image'>;

export function Empty(props: Props) {
  const art = (
    <View className="app-empty__art" aria-hidden="true">
      <View className="app-empty__tray" />
    </View>
  );
  return <NutEmpty {...props} image={art} />;
}
