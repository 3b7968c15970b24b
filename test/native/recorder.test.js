/** @jest-environment jsdom */
const path = require('node:path');
const simulate = require('miniprogram-simulate');

const COMPONENT = path.resolve(__dirname, '../../miniprogram/src/components/native-recorder/index');
const ID = simulate.load(COMPONENT, { compiler: 'simulate' });

/** A fake of wx.getRecorderManager: records calls and lets the test fire its callbacks. */
function fakeRecorder() {
  const handlers = {};
  const manager = {
    started: [],
    stopCalls: 0,
    onStart: (fn) => (handlers.start = fn),
    onStop: (fn) => (handlers.stop = fn),
    onError: (fn) => (handlers.error = fn),
    onInterruptionBegin: (fn) => (handlers.interruption = fn),
    start(options) {
      manager.started.push(options);
      manager.startedAt = Date.now();
      if (handlers.start) handlers.start();
    },
    stop() {
      manager.stopCalls += 1;
      handlers.stop({ tempFilePath: 'wxfile://tmp/voice.mp3', duration: Date.now() - manager.startedAt, fileSize: 4096 });
    },
    fire: (name, payload) => handlers[name](payload),
  };
  return manager;
}

function mockWx({ authSetting = { 'scope.record': true }, authorize = 'success', openSetting = { 'scope.record': true } } = {}) {
  const recorder = fakeRecorder();
  global.wx.getRecorderManager = () => recorder;
  global.wx.getSetting = jest.fn(({ success }) => success({ authSetting }));
  global.wx.authorize = jest.fn((opts) => (authorize === 'success' ? opts.success() : opts.fail({ errMsg: 'authorize:fail auth deny' })));
  global.wx.openSetting = jest.fn(({ success }) => success({ authSetting: openSetting }));
  return recorder;
}

function mount(props = {}) {
  const comp = simulate.render(ID, props);
  comp.attach(document.createElement('parent-wrapper'));
  const events = [];
  const trigger = comp.instance.triggerEvent;
  comp.instance.triggerEvent = function (name, detail) {
    events.push({ name, detail });
    return trigger.call(this, name, detail);
  };
  /** Drives a real event on an element of the component; j-component dispatches it in a microtask. */
  const fire = async (selector, name) => {
    comp.querySelector(selector).dispatchEvent(name);
    for (let i = 0; i < 3; i++) await Promise.resolve();
  };
  const press = () => fire('#recorder-press', 'touchstart');
  const release = () => fire('#recorder-press', 'touchend');
  return { comp, events, fire, press, release, named: (n) => events.filter((e) => e.name === n) };
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00+08:00') });
});
afterEach(() => {
  jest.useRealTimers();
});

test('press starts an mp3 recording of at most 60 s; release stops it and emits the file', async () => {
  const recorder = mockWx();
  const { comp, press, release, named } = mount();
  await press();
  expect(comp.data.status).toBe('recording');
  expect(recorder.started).toEqual([expect.objectContaining({ duration: 60000, format: 'mp3' })]);
  expect(named('start')).toHaveLength(1);

  jest.advanceTimersByTime(3200);
  expect(comp.data.elapsed).toBe(3);
  expect(comp.querySelector('#recorder-hint').dom.textContent).toContain('3″ / 60″');

  await release();
  expect(recorder.stopCalls).toBe(1);
  expect(comp.data.status).toBe('idle');
  expect(named('stop')).toEqual([
    { name: 'stop', detail: { tempFilePath: 'wxfile://tmp/voice.mp3', durationSec: 3.2, fileSize: 4096, reason: 'release' } },
  ]);
});

test('a press shorter than one second is refused as too short', async () => {
  mockWx();
  const { press, release, named } = mount();
  await press();
  jest.advanceTimersByTime(400);
  await release();
  expect(named('stop')).toHaveLength(0);
  expect(named('error')[0].detail).toEqual({ code: 'too-short', message: '说话时间太短' });
});

test('holding past the maximum stops by itself at 60 s', async () => {
  const recorder = mockWx();
  const { comp, press, release, named } = mount();
  await press();
  jest.advanceTimersByTime(59000);
  expect(recorder.stopCalls).toBe(0);
  jest.advanceTimersByTime(1000);
  expect(recorder.stopCalls).toBe(1);
  expect(comp.data.status).toBe('idle');
  expect(named('stop')[0].detail).toMatchObject({ durationSec: 60, reason: 'max' });
  // The late release after the auto-stop does nothing.
  await release();
  expect(recorder.stopCalls).toBe(1);
  expect(named('stop')).toHaveLength(1);
});

test('the recorder stopping itself at its duration is reported as the maximum', async () => {
  const recorder = mockWx();
  const { press, named } = mount({ maxDuration: 10 });
  await press();
  expect(recorder.started[0].duration).toBe(10000);
  jest.setSystemTime(Date.now() + 10000);
  recorder.fire('stop', { tempFilePath: 'wxfile://tmp/auto.mp3', duration: 10000, fileSize: 1 });
  expect(named('stop')[0].detail).toMatchObject({ tempFilePath: 'wxfile://tmp/auto.mp3', durationSec: 10, reason: 'max' });
});

test('permission denied before: shows the setting button, does not record, and recovers after opening settings', async () => {
  const recorder = mockWx({ authSetting: { 'scope.record': false } });
  const { comp, press, fire, named } = mount();
  await press();
  expect(recorder.started).toHaveLength(0);
  expect(comp.data.status).toBe('denied');
  expect(named('denied')).toHaveLength(1);
  expect(comp.querySelector('#recorder-denied')).toBeTruthy();
  expect(comp.querySelector('#recorder-press')).toBeFalsy();

  await fire('#recorder-open-setting', 'tap');
  expect(global.wx.openSetting).toHaveBeenCalled();
  expect(comp.data.status).toBe('idle');
  expect(comp.querySelector('#recorder-press')).toBeTruthy();
});

test('first use: the user refuses the prompt → denied', async () => {
  const recorder = mockWx({ authSetting: {}, authorize: 'fail' });
  const { comp, press, named } = mount();
  await press();
  expect(global.wx.authorize).toHaveBeenCalledWith(expect.objectContaining({ scope: 'scope.record' }));
  expect(recorder.started).toHaveLength(0);
  expect(comp.data.status).toBe('denied');
  expect(named('denied')).toHaveLength(1);
});

test('first use: the user allows the prompt while still holding → records', async () => {
  const recorder = mockWx({ authSetting: {}, authorize: 'success' });
  const { comp, press } = mount();
  await press();
  expect(recorder.started).toHaveLength(1);
  expect(comp.data.status).toBe('recording');
});

test('a permission error from the recorder itself → denied', async () => {
  const recorder = mockWx();
  const { comp, press, named } = mount();
  await press();
  recorder.fire('error', { errMsg: 'operateRecorder:fail auth deny' });
  expect(comp.data.status).toBe('denied');
  expect(named('denied')).toHaveLength(1);
  expect(named('error')).toHaveLength(0);
});

test('another component’s recording is not reported as ours', async () => {
  const recorder = mockWx();
  const { named } = mount();
  recorder.fire('stop', { tempFilePath: 'wxfile://tmp/other.mp3', duration: 5000, fileSize: 1 });
  expect(named('stop')).toHaveLength(0);
});

test('disabled: a press does nothing', async () => {
  const recorder = mockWx();
  const { comp, press } = mount({ disabled: true });
  await press();
  expect(recorder.started).toHaveLength(0);
  expect(comp.data.status).toBe('idle');
});
