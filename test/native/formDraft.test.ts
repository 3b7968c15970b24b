import { formDraftKey, formDraftStore, isFilled, type KeptFile } from '../../miniprogram/src/drafts/formDraft';
import { emptyForm, type TicketForm } from '../../miniprogram/src/form/submitInput';
import type { KeyValueStore } from '../../miniprogram/src/drafts/queue';

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

const photo: KeptFile = { id: 'f1', kind: 'image', localRef: 'idb:abc', name: 'p.jpg', mime: 'image/jpeg', size: 1200 };

describe('a form draft on the device', () => {
  it('comes back as saved, with its files and request id, after the page is gone', () => {
    const store = new MemoryStore();
    const key = formDraftKey('resident', 'u-1');
    const form: TicketForm = { ...emptyForm(), content: '路灯坏了三天了', category: '市容环境' };
    formDraftStore<TicketForm>(store, key, () => 42).save({ form, files: [{ ...photo, fileRef: { fileId: 'local:x', kind: 'image' } }], clientRequestId: 'req-1' });
    // A new page (after a refresh) reads the same key.
    const back = formDraftStore<TicketForm>(store, key, () => 99).read();
    expect(back).toEqual({ form, files: [{ ...photo, fileRef: { fileId: 'local:x', kind: 'image' } }], clientRequestId: 'req-1', savedAt: 42 });
  });

  it('is kept per user and per subject: another user or another ticket sees nothing', () => {
    const store = new MemoryStore();
    formDraftStore(store, formDraftKey('staff', 'u-1', 't-1', 'reply'), () => 1).save({ form: { result: '已清理' }, files: [] });
    expect(formDraftStore(store, formDraftKey('staff', 'u-2', 't-1', 'reply'), () => 1).read()).toBeNull();
    expect(formDraftStore(store, formDraftKey('staff', 'u-1', 't-2', 'reply'), () => 1).read()).toBeNull();
    expect(formDraftStore(store, formDraftKey('staff', 'u-1', 't-1', 'reply'), () => 1).read()?.form).toEqual({ result: '已清理' });
  });

  it('an unreadable or foreign value reads as no draft, and clear() removes it', () => {
    const store = new MemoryStore();
    const key = formDraftKey('resident', 'u-1');
    store.setItem(key, '{not json');
    expect(formDraftStore(store, key, () => 1).read()).toBeNull();
    store.setItem(key, JSON.stringify({ form: 'x' }));
    expect(formDraftStore(store, key, () => 1).read()).toBeNull();
    const s = formDraftStore(store, key, () => 1);
    s.save({ form: { a: 1 }, files: [] });
    s.clear();
    expect(store.getItem(key)).toBeNull();
  });
});

describe('whether a form holds anything to lose', () => {
  const baseline: TicketForm = { ...emptyForm(), contactName: '张明', address: '滨河公园北门' };
  it('the page’s own pre-filled values are not input', () => {
    expect(isFilled(baseline, baseline)).toBe(false);
    expect(isFilled({ ...baseline, content: '   ' }, baseline)).toBe(false);
  });
  it('typed text, a changed choice or a file is', () => {
    expect(isFilled({ ...baseline, content: '井盖丢了' }, baseline)).toBe(true);
    expect(isFilled({ ...baseline, type: 'complaint' }, baseline)).toBe(true);
    expect(isFilled({ ...baseline, confidential: true }, baseline)).toBe(true);
    expect(isFilled(baseline, baseline, [photo])).toBe(true);
  });
});
