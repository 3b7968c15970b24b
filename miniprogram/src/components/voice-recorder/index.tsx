import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import * as platform from '../../platform';
import { MAX_MEDIA_SECONDS } from '../../media/limits';
import { Button } from '../../ui';
import './index.scss';

interface Props {
  disabled?: boolean;
  /** A clip the user listened to (or chose to keep) and wants to send. */
  onRecorded(file: platform.LocalFile): void;
}

interface NativeStopDetail {
  tempFilePath: string;
  durationSec: number;
  fileSize: number;
  reason: 'release' | 'max';
}

/**
 * Hold to record, up to 60 s, then a playback check before the clip is used.
 * weapp: the native component `native-recorder` (wx.getRecorderManager); h5: MediaRecorder.
 */
export default function VoiceRecorder({ disabled, onRecorded }: Props) {
  const [clip, setClip] = useState<platform.LocalFile | null>(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');

  if (clip) {
    return (
      <ClipPreview
        clip={clip}
        note={note}
        onUse={() => {
          onRecorded(clip);
          setClip(null);
          setNote('');
        }}
        onDiscard={() => {
          platform.releaseFile(clip.path);
          setClip(null);
          setNote('');
        }}
      />
    );
  }

  return (
    <View className="voice-recorder" id="voice-recorder">
      {platform.NATIVE_RECORDER ? (
        <native-recorder
          id="voice-recorder-native"
          maxDuration={MAX_MEDIA_SECONDS}
          disabled={!!disabled}
          onStop={(e: { detail: NativeStopDetail }) => {
            setError('');
            setNote(e.detail.reason === 'max' ? `已达到最长${MAX_MEDIA_SECONDS}秒，自动停止` : '');
            setClip(platform.recordedFile(e.detail.tempFilePath, e.detail.durationSec, e.detail.fileSize));
          }}
          onError={(e: { detail: { message: string } }) => setError(e.detail.message)}
          onDenied={() => setError('')}
        />
      ) : (
        <BrowserHoldToRecord
          disabled={disabled}
          onClip={(c, reason) => {
            setError('');
            setNote(reason === 'max' ? `已达到最长${MAX_MEDIA_SECONDS}秒，自动停止` : '');
            setClip(c);
          }}
          onError={setError}
        />
      )}
      {error && <View className="error-text" id="voice-error">{error}</View>}
    </View>
  );
}

function ClipPreview({ clip, note, onUse, onDiscard }: { clip: platform.LocalFile; note: string; onUse(): void; onDiscard(): void }) {
  const [playing, setPlaying] = useState(false);
  const [played, setPlayed] = useState(false);
  const audio = useRef<Taro.InnerAudioContext | null>(null);

  useEffect(() => {
    const ctx = Taro.createInnerAudioContext();
    ctx.src = clip.path;
    ctx.onEnded(() => setPlaying(false));
    ctx.onStop(() => setPlaying(false));
    ctx.onError(() => setPlaying(false));
    audio.current = ctx;
    return () => {
      ctx.stop();
      ctx.destroy();
      audio.current = null;
    };
  }, [clip.path]);

  const toggle = () => {
    const ctx = audio.current;
    if (!ctx) return;
    if (playing) {
      ctx.stop();
      setPlaying(false);
    } else {
      ctx.seek(0);
      ctx.play();
      setPlaying(true);
      setPlayed(true);
    }
  };

  return (
    <View className="voice-preview" id="voice-preview">
      <View className="row">
        <Text className="voice-preview__len" id="voice-preview-duration">语音 {Math.round(clip.durationSec ?? 0)}″</Text>
        {note && <Text className="muted">{note}</Text>}
      </View>
      <View className="muted">请先试听，确认无误后再使用这段语音</View>
      <View className="row voice-preview__buttons">
        <Button id="voice-play" size="small" onClick={toggle}>{playing ? '停止' : played ? '再听一遍' : '试听'}</Button>
        <Button id="voice-discard" size="small" onClick={onDiscard}>重录</Button>
        <Button id="voice-use" size="small" type="primary" onClick={onUse}>使用这段语音</Button>
      </View>
    </View>
  );
}

/** h5: press and hold (mouse, touch or pen) records with MediaRecorder; release stops. */
function BrowserHoldToRecord({ disabled, onClip, onError }: { disabled?: boolean; onClip(c: platform.LocalFile, reason: 'release' | 'max'): void; onError(msg: string): void }) {
  const [state, setState] = useState<'idle' | 'starting' | 'recording' | 'denied'>('idle');
  const [elapsed, setElapsed] = useState(0);
  const rec = useRef<platform.BrowserRecorder | null>(null);
  const held = useRef(false);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const startedAt = useRef(0);
  const supported = platform.canRecordInBrowser();

  const clear = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };

  useEffect(() => () => {
    clear();
    rec.current?.cancel();
  }, []);

  const finish = async (reason: 'release' | 'max') => {
    const r = rec.current;
    if (!r) return;
    rec.current = null;
    clear();
    setState('idle');
    setElapsed(0);
    try {
      const clip = await r.stop();
      if ((clip.durationSec ?? 0) < 1) {
        onError('说话时间太短');
        return;
      }
      onClip({ ...clip, durationSec: Math.min(MAX_MEDIA_SECONDS, clip.durationSec ?? 0) }, reason);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const press = async () => {
    if (disabled || state !== 'idle') return;
    held.current = true;
    setState('starting');
    const r = platform.createBrowserRecorder();
    try {
      await r.start();
    } catch (e) {
      const code = (e as { code?: string }).code;
      // No microphone at all is like no permission: offer the file instead of a button that cannot work.
      setState(code === 'denied' || code === 'unsupported' ? 'denied' : 'idle');
      onError((e as Error).message);
      return;
    }
    if (!held.current) {
      // Released while the browser was asking for the microphone.
      r.cancel();
      setState('idle');
      return;
    }
    rec.current = r;
    startedAt.current = Date.now();
    setState('recording');
    timer.current = setInterval(() => {
      const s = (Date.now() - startedAt.current) / 1000;
      setElapsed(Math.min(MAX_MEDIA_SECONDS, Math.floor(s)));
      if (s >= MAX_MEDIA_SECONDS) void finish('max');
    }, 250);
  };

  const release = () => {
    held.current = false;
    if (rec.current) void finish('release');
  };

  const pickFile = async () => {
    const f = await platform.chooseAudioFile();
    if (f) onClip(f, 'release');
  };

  const handlers = {
    onPointerDown: (e: { preventDefault(): void }) => {
      e.preventDefault();
      void press();
    },
    onPointerUp: release,
    onPointerLeave: release,
    onPointerCancel: release,
    onContextMenu: (e: { preventDefault(): void }) => e.preventDefault(),
  };

  return (
    <View className="hold-recorder">
      {supported && state !== 'denied' && (
        <View
          id="voice-record"
          className={`hold-recorder__press${state === 'recording' ? ' hold-recorder__press--on' : ''}${disabled ? ' hold-recorder__press--disabled' : ''}`}
          {...(handlers as object)}
        >
          {state === 'recording' ? '松开 结束' : state === 'starting' ? '正在打开麦克风…' : '按住 说话'}
        </View>
      )}
      <View className="muted hold-recorder__hint" id="voice-record-hint">
        {state === 'recording' ? `${elapsed}″ / ${MAX_MEDIA_SECONDS}″，最长${MAX_MEDIA_SECONDS}秒` : supported ? `最长${MAX_MEDIA_SECONDS}秒，松开后可试听` : '当前浏览器不支持录音'}
      </View>
      {/* h5: an audio file already on the device can always be attached, microphone or not. */}
      {(platform.IS_H5 || !supported || state === 'denied') && (
        <Button id="voice-pick-file" className="tap-target" size="small" disabled={disabled} onClick={() => void pickFile()}>上传录音文件</Button>
      )}
    </View>
  );
}
