import { View, Image, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { adminApi, errorMessage } from '../../../api/client';
import type { Poster } from '../../../api/types';
import OperatorShell from '../../components/shell';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { opBack, toast } from '../../../util/nav';
import './index.scss';

/** A printable poster for a place or grid: the title, the place, and a real QR code carrying its scene. */
export default function PosterPage() {
  const user = useSession();
  const ready = hasRole(user, 'operator') || !platform.NEEDS_SIGN_IN;
  const [sceneId, setSceneId] = useState('');
  const [poster, setPoster] = useState<Poster | null>(null);
  const [error, setError] = useState('');

  useLoad((params) => setSceneId(params.scene ?? ''));
  useEffect(() => {
    if (!ready || !sceneId) return;
    adminApi.poster(sceneId).then(setPoster, (e) => setError(errorMessage(e)));
  }, [ready, sceneId]);

  const print = async () => {
    if (!poster) return;
    try {
      const how = await platform.printPoster(poster.image, poster.scene.id);
      if (how === 'saved') toast('海报二维码已保存到相册', 'success');
    } catch (e) {
      toast(errorMessage(e));
    }
  };

  return (
    <OperatorShell id="page-op-poster" active="admin">
      {error && <View className="form-error" id="form-error">{error}</View>}
      {!poster && !error && <View className="notice">正在生成海报…</View>}
      {poster?.warning && <View className="form-error no-print" id="poster-warning">{poster.warning}</View>}
      {poster && (
        <View className="poster" id="poster">
          <View className="poster__title" id="poster-title">码上反映 · 马上办理</View>
          <View className="poster__platform" id="poster-platform">{poster.platformName}</View>
          <View className="poster__place" id="poster-place">{poster.scene.place}</View>
          {(poster.scene.area || poster.scene.grid) && (
            <View className="poster__area">{[poster.scene.area, poster.scene.grid].filter(Boolean).join(' · ')}</View>
          )}
          <Image id="poster-image" className="poster__qr" src={poster.image} mode="scaleToFill" nativeProps={{ alt: `${poster.scene.place}的反映二维码` }} />
          <View className="poster__hint">{poster.kind === 'wxacode' ? '微信扫一扫' : '微信或手机相机扫一扫'}，反映身边的问题</View>
          <View className="poster__hint">无需下载，随手拍照、说一说，办理进度随时可查</View>
          <View className="poster__hotline" id="poster-hotline">政务服务便民热线 <Text className="poster__hotline-number">12345</Text></View>
          <View className="poster__emergency" id="poster-emergency">紧急情况请直接拨打：报警 110 · 火警 119 · 急救 120</View>
          {poster.url && <Text className="poster__url" id="poster-url">{poster.url}</Text>}
        </View>
      )}
      <View className="actions no-print">
        {poster && <Button id="poster-print" type="primary" block onClick={() => void print()}>{platform.IS_WEAPP ? '保存二维码到相册' : '打印海报'}</Button>}
        <Button id="poster-back" block fill="none" onClick={() => void opBack('admin')}>返回</Button>
      </View>
    </OperatorShell>
  );
}
