import Taro from '@tarojs/taro';
import { View, Image, Video, Text } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import type { FileRef } from '@shared/contracts/common';
import { fileUrl } from '../../api/client';
import { ImagePreview } from '../../ui/imagePreview';
import './index.scss';

function useUrls(files: FileRef[], ticketId?: string): Record<string, string> {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const key = `${ticketId ?? ''}:${files.map((f) => f.fileId).join('|')}`;
  useEffect(() => {
    let live = true;
    Promise.all(files.map((f) => fileUrl(f.fileId, ticketId).then((u) => [f.fileId, u] as const, () => [f.fileId, ''] as const))).then((pairs) => {
      if (live) setUrls(Object.fromEntries(pairs.filter(([, u]) => u)));
    });
    return () => {
      live = false;
    };
    // Keyed by the file ids: a new array of the same files does not reload them.
  }, [key]);
  return urls;
}

function AudioPlayer({ src, durationSec, id }: { src: string; durationSec?: number; id: string }) {
  const [playing, setPlaying] = useState(false);
  const ctx = useRef<Taro.InnerAudioContext | null>(null);
  useEffect(() => () => ctx.current?.destroy(), []);
  const toggle = () => {
    if (!ctx.current) {
      const c = Taro.createInnerAudioContext();
      c.src = src;
      c.onEnded(() => setPlaying(false));
      c.onStop(() => setPlaying(false));
      c.onError(() => setPlaying(false));
      ctx.current = c;
    }
    if (playing) {
      ctx.current.stop();
      setPlaying(false);
    } else {
      ctx.current.play();
      setPlaying(true);
    }
  };
  return (
    <View id={id} className={`audio-player${playing ? ' audio-player--on' : ''}`} onClick={toggle}>
      <Text>{playing ? '■ 停止' : '▶ 播放语音'}</Text>
      {durationSec ? <Text className="muted"> {Math.round(durationSec)}″</Text> : null}
    </View>
  );
}

/**
 * Attachments of a ticket or an event: photo thumbnails with a viewer, a video player, a voice player.
 * `ticketId`: the ticket the files are on, so the server lets a viewer who did not upload them see them.
 */
export default function Attachments({ files, idPrefix, ticketId }: { files: FileRef[]; idPrefix: string; ticketId?: string }) {
  const urls = useUrls(files, ticketId);
  const [preview, setPreview] = useState<number | null>(null);
  if (files.length === 0) return null;
  const images = files.filter((f) => f.kind === 'image');
  const others = files.filter((f) => f.kind !== 'image');
  return (
    <View className="attachments" id={idPrefix}>
      {images.length > 0 && (
        <View className="attachments__images">
          {images.map((f, i) => (
            <View key={f.fileId} className="attachments__thumb" id={`${idPrefix}-image-${i}`} onClick={() => urls[f.fileId] && setPreview(i)}>
              {urls[f.fileId] ? <Image className="attachments__img" src={urls[f.fileId]} mode="aspectFill" nativeProps={{ alt: `照片${i + 1}` }} /> : <Text className="muted">加载中</Text>}
            </View>
          ))}
        </View>
      )}
      {others.map((f, i) =>
        !urls[f.fileId] ? (
          <View key={f.fileId} className="muted">正在加载附件…</View>
        ) : f.kind === 'video' ? (
          // 背景 (h5): Taro's <Video> host element carries `taro-video-container`, which is
          // `position: absolute; top: 0; left: 0`, so without a positioned box of its own the player
          // covers the top 200 px of the page and swallows every tap there (number, state, 签收…).
          // 复现路径: h5, a ticket with a video → document.elementFromPoint on #detail-number → .taro-video-cover.
          <View key={f.fileId} className="attachments__video-box">
            <Video id={`${idPrefix}-video-${i}`} className="attachments__video" src={urls[f.fileId]} controls objectFit="contain" />
          </View>
        ) : f.kind === 'audio' ? (
          <AudioPlayer key={f.fileId} id={`${idPrefix}-audio-${i}`} src={urls[f.fileId]} durationSec={f.durationSec} />
        ) : (
          <View key={f.fileId} className="muted">附件</View>
        ),
      )}
      <ImagePreview
        visible={preview !== null}
        images={images.map((f) => ({ src: urls[f.fileId] ?? '' }))}
        // NutUI counts from 1: 0 showed "0/1".
        value={(preview ?? 0) + 1}
        onClose={() => setPreview(null)}
      />
    </View>
  );
}
