import { View, Text, Image } from '@tarojs/components';
import { useState } from 'react';
import { durationMessage, mediaLimitMessage, roomFor, MAX_BY_KIND, MAX_MEDIA_SECONDS, type MediaKind } from '../../media/limits';
import * as platform from '../../platform';
import { Button, Progress } from '../../ui';
import { ImagePreview } from '../../ui/imagePreview';
import { formatSize } from '../../util/format';
import VoiceRecorder from '../voice-recorder';
import './index.scss';

export interface MediaItemView {
  id: string;
  kind: MediaKind;
  /** A local path or object URL to show a photo. */
  thumb?: string;
  name: string;
  size: number;
  durationSec?: number;
  /** local: kept on the device, not yet sent (drafts). */
  status: 'uploading' | 'done' | 'failed' | 'local';
  progress?: number;
  error?: string;
  /** The server refused the file itself (type, size, length): no 重试, only 删除. */
  permanent?: boolean;
}

const STATUS_TEXT: Record<MediaItemView['status'], string> = { uploading: '上传中', done: '已上传', failed: '上传失败', local: '待上传' };
const KIND_TEXT: Record<MediaKind, string> = { image: '照片', video: '视频', audio: '语音' };

/** The files of a form: each with its own progress bar, retry and remove. */
export function MediaList({ items, onRetry, onRemove, locked }: { items: MediaItemView[]; onRetry?(id: string): void; onRemove?(id: string): void; locked?: boolean }) {
  const [preview, setPreview] = useState<number | null>(null);
  const images = items.filter((i) => i.kind === 'image' && i.thumb);
  if (items.length === 0) return null;
  return (
    <View className="media-list" id="media-list">
      {items.map((item, index) => (
        <View key={item.id} id={`media-item-${index}`} className={`media-item media-item--${item.status} media-item--${item.kind}`}>
          <View
            className="media-item__thumb"
            onClick={() => item.kind === 'image' && item.thumb && setPreview(images.findIndex((i) => i.id === item.id))}
          >
            {item.kind === 'image' && item.thumb ? (
              <Image className="media-item__img" src={item.thumb} mode="aspectFill" nativeProps={{ alt: `照片${images.findIndex((i) => i.id === item.id) + 1}` }} />
            ) : (
              <Text className="media-item__icon">{item.kind === 'video' ? '▶' : '♪'}</Text>
            )}
          </View>
          <View className="media-item__body">
            <View className="media-item__title">
              {KIND_TEXT[item.kind]}
              {item.durationSec ? ` ${Math.round(item.durationSec)}″` : ''} · {formatSize(item.size)}
            </View>
            <View className="media-item__status">
              <Text className="media-item__status-text">{STATUS_TEXT[item.status]}</Text>
              {item.error && <Text className="error-text media-item__error"> {item.error}</Text>}
            </View>
            {/* Only while it uploads: a full bar in the theme's red read as an error once done. */}
            {item.status === 'uploading' && (
              <Progress className="media-item__progress" percent={Math.round((item.progress ?? 0) * 100)} showText={false} strokeWidth="6" color="#0958d9" />
            )}
          </View>
          <View className="media-item__actions">
            {item.status === 'failed' && !item.permanent && onRetry && !locked && (
              <Button id={`media-retry-${index}`} className="media-item__retry" size="mini" type="primary" onClick={() => onRetry(item.id)}>重试</Button>
            )}
            {onRemove && !locked && (
              <Button id={`media-remove-${index}`} className="media-item__remove" size="mini" onClick={() => onRemove(item.id)}>删除</Button>
            )}
          </View>
        </View>
      ))}
      <ImagePreview
        visible={preview !== null}
        images={images.map((i) => ({ src: i.thumb! }))}
        // NutUI counts from 1: 0 showed "0/1".
        value={(preview ?? 0) + 1}
        onClose={() => setPreview(null)}
      />
    </View>
  );
}

/** Buttons to add photos and a video, and the voice recorder; limits come from the shared LIMITS. */
export function MediaAdders({ counts, disabled, onAdd, onError }: { counts: Record<MediaKind, number>; disabled?: boolean; onAdd(files: platform.LocalFile[]): void; onError(message: string): void }) {
  const addPhotos = async () => {
    const refused = mediaLimitMessage(counts, 'image');
    if (refused) return onError(refused);
    try {
      const files = await platform.chooseImages(roomFor(counts, 'image'));
      if (files.length) onAdd(files);
    } catch (e) {
      if (!platform.isCancel(e)) onError((e as Error).message || '选择照片失败');
    }
  };
  const addVideo = async () => {
    const refused = mediaLimitMessage(counts, 'video');
    if (refused) return onError(refused);
    try {
      const file = await platform.chooseVideo(MAX_MEDIA_SECONDS);
      if (!file) return;
      const tooLong = durationMessage('video', file.durationSec);
      if (tooLong) return onError(tooLong);
      onAdd([file]);
    } catch (e) {
      if (!platform.isCancel(e)) onError((e as Error).message || '选择视频失败');
    }
  };
  return (
    <View className="media-adders">
      <View className="row">
        <Button id="add-photo" className="tap-target" size="small" disabled={disabled || roomFor(counts, 'image') === 0} onClick={() => void addPhotos()}>
          添加照片（{counts.image}/{MAX_BY_KIND.image}）
        </Button>
        <Button id="add-video" className="tap-target" size="small" disabled={disabled || roomFor(counts, 'video') === 0} onClick={() => void addVideo()}>
          添加视频（≤{MAX_MEDIA_SECONDS}秒）
        </Button>
      </View>
      <View className="field__hint">照片会压缩后上传；视频和语音各一段，最长{MAX_MEDIA_SECONDS}秒</View>
      {roomFor(counts, 'audio') > 0 ? (
        <VoiceRecorder disabled={disabled} onRecorded={(f) => onAdd([f])} />
      ) : (
        <View className="muted" id="voice-full">已添加一段语音，如需重录请先删除</View>
      )}
    </View>
  );
}
