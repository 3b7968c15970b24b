/**
 * Hold-to-record voice button around wx.getRecorderManager.
 * Native, because a press must survive the permission prompt and the recorder's callbacks,
 * which Taro's React layer re-renders through setData with a delay.
 *
 * Events: start {} · stop { tempFilePath, durationSec, fileSize, reason: 'release' | 'max' }
 *         error { code: 'too-short' | 'recorder', message } · denied {}
 */
const MIN_MS = 1000;
const TICK_MS = 250;

/** 背景: errMsg wording differs by base library ("auth deny", "auth denied", "authorize no response"). */
function isPermissionError(errMsg) {
  return /auth|permission|privacy/i.test(String(errMsg || ''));
}

Component({
  options: { styleIsolation: 'isolated' },
  properties: {
    maxDuration: { type: Number, value: 60 },
    disabled: { type: Boolean, value: false },
  },
  data: {
    status: 'idle', // idle | checking | recording | denied
    elapsed: 0,
    hint: '最长60秒，松开后可试听',
  },
  lifetimes: {
    attached() {
      this.setData({ hint: `最长${this.data.maxDuration}秒，松开后可试听` });
      // 背景: getRecorderManager returns one manager for the whole app; its on* handlers replace
      // each other. 复现路径: two pages with a recorder each; the second page's onStop also fires
      // for the first. So every handler checks `_owner` and ignores recordings it did not start.
      const recorder = wx.getRecorderManager();
      this._recorder = recorder;
      this._owner = false;
      recorder.onStart(() => {
        if (this._owner) this.triggerEvent('start', {});
      });
      recorder.onStop((res) => this._handleStop(res || {}));
      recorder.onError((err) => this._handleError(err || {}));
      if (recorder.onInterruptionBegin) recorder.onInterruptionBegin(() => this._stop('release'));
    },
    detached() {
      this._pressed = false;
      if (this._owner) this._stop('release');
      this._owner = false;
      this._clearTimer();
    },
  },
  methods: {
    onPress() {
      if (this.data.disabled || this.data.status === 'recording' || this.data.status === 'checking') return;
      this._pressed = true;
      this.setData({ status: 'checking' });
      wx.getSetting({
        success: (res) => {
          const granted = res && res.authSetting ? res.authSetting['scope.record'] : undefined;
          if (granted === false) return this._deny();
          if (granted === true) return this._pressed ? this._begin() : this._idle();
          // First time: the system prompt takes the press away, so ask, then let the user press again.
          wx.authorize({
            scope: 'scope.record',
            success: () => (this._pressed ? this._begin() : this._idle('已允许使用麦克风，请按住说话')),
            fail: () => this._deny(),
          });
        },
        fail: () => (this._pressed ? this._begin() : this._idle()),
      });
    },

    onRelease() {
      this._pressed = false;
      if (this.data.status === 'recording') this._stop('release');
      else if (this.data.status === 'checking') this._idle();
    },

    openSetting() {
      wx.openSetting({
        success: (res) => {
          if (res && res.authSetting && res.authSetting['scope.record']) this._idle('已允许使用麦克风，请按住说话');
        },
      });
    },

    _begin() {
      const max = this.data.maxDuration;
      this._owner = true;
      this._stopReason = null;
      this._startedAt = Date.now();
      this.setData({ status: 'recording', elapsed: 0 });
      this._recorder.start({ duration: max * 1000, format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 });
      this._clearTimer();
      this._timer = setInterval(() => {
        const elapsed = Math.min(max, Math.floor((Date.now() - this._startedAt) / 1000));
        if (elapsed !== this.data.elapsed) this.setData({ elapsed });
        // 背景: the recorder stops itself at `duration`, but some devices fire onStop late or not at all.
        if (Date.now() - this._startedAt >= max * 1000) this._stop('max');
      }, TICK_MS);
    },

    _stop(reason) {
      if (!this._owner || this._stopReason) return;
      this._stopReason = reason;
      this._clearTimer();
      this._recorder.stop();
    },

    _handleStop(res) {
      if (!this._owner) return;
      this._owner = false;
      this._clearTimer();
      const max = this.data.maxDuration;
      const ms = typeof res.duration === 'number' ? res.duration : Date.now() - this._startedAt;
      const reason = this._stopReason || (ms >= max * 1000 - TICK_MS ? 'max' : 'release');
      this._stopReason = null;
      this._idle();
      if (ms < MIN_MS) {
        this.triggerEvent('error', { code: 'too-short', message: '说话时间太短' });
        return;
      }
      const durationSec = Math.min(max, Math.round(ms / 100) / 10);
      this.triggerEvent('stop', { tempFilePath: res.tempFilePath, durationSec, fileSize: res.fileSize || 0, reason });
    },

    _handleError(err) {
      const mine = this._owner || this.data.status === 'checking';
      if (!mine) return;
      this._owner = false;
      this._stopReason = null;
      this._clearTimer();
      if (isPermissionError(err.errMsg)) return this._deny();
      this._idle();
      this.triggerEvent('error', { code: 'recorder', message: `录音失败：${err.errMsg || '未知错误'}` });
    },

    _deny() {
      this._pressed = false;
      this._clearTimer();
      this.setData({ status: 'denied', elapsed: 0 });
      this.triggerEvent('denied', {});
    },

    _idle(hint) {
      this.setData({ status: 'idle', elapsed: 0, hint: hint || `最长${this.data.maxDuration}秒，松开后可试听` });
    },

    _clearTimer() {
      if (this._timer) clearInterval(this._timer);
      this._timer = null;
    },
  },
});
