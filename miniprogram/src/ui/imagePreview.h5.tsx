import { Image, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import './imagePreview.h5.scss';

interface Props {
  visible: boolean;
  images: Array<{ src: string }>;
  /** Counted from 1, as NutUI's ImagePreview does. */
  value?: number;
  onClose(): void;
}

// h5: NutUI's ImagePreview is built on Taro's Swiper, and webpack keeps a used export of
// @tarojs/components in every chunk that imports any of it, so the swiper library (≈330 KB of
// source) rode along with the resident's entry form. This overlay shows the same photos without it.
export function ImagePreview({ visible, images, value = 1, onClose }: Props) {
  const [index, setIndex] = useState(value - 1);
  useEffect(() => {
    if (visible) setIndex(value - 1);
  }, [visible, value]);
  if (!visible || !images.length) return null;
  const n = images.length;
  const at = Math.min(Math.max(index, 0), n - 1);
  const step = (by: number) => (e: { stopPropagation(): void }) => {
    e.stopPropagation();
    setIndex((at + by + n) % n);
  };
  return (
    <View className="image-preview" role="dialog" aria-label="图片预览" onClick={onClose}>
      <Image className="image-preview__image" src={images[at]!.src} mode="aspectFit" nativeProps={{ alt: `第${at + 1}张，共${n}张` }} />
      {n > 1 && (
        <>
          <View className="image-preview__step image-preview__step--prev" role="button" aria-label="上一张" onClick={step(-1)}>‹</View>
          <View className="image-preview__step image-preview__step--next" role="button" aria-label="下一张" onClick={step(1)}>›</View>
        </>
      )}
      <View className="image-preview__count">{`${at + 1}/${n}`}</View>
    </View>
  );
}
