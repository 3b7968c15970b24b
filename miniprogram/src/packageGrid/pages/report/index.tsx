import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { useProfile } from '../../../api/profile';
import LoginPicker from '../../../components/login-picker';
import { MediaAdders, MediaList, type MediaItemView } from '../../../components/media-field';
import PageShell from '../../../components/page-shell';
import TicketFormFields from '../../../components/ticket-form';
import { DRAFT_STATUS_LABELS, type DraftMedia } from '../../../drafts/queue';
import { useDraftQueue, useLocalThumbs, useOnline } from '../../../drafts/useDrafts';
import { emptyForm, type FormIssues, type TicketForm } from '../../../form/submitInput';
import { countsByKind } from '../../../media/limits';
import * as platform from '../../../platform';
import { hasRole, useSession } from '../../../session';
import { Button } from '../../../ui';
import { newId } from '../../../util/ids';
import { go, replace, toast } from '../../../util/nav';
import './index.scss';

/** A grid worker's field report: a draft on the device, saved as typed, sent when there is a network. */
export default function GridReport() {
  const user = useSession();
  const queue = useDraftQueue(user?.id);
  const online = useOnline();
  const profile = useProfile(!!user || !platform.NEEDS_SIGN_IN);
  const [draftId, setDraftId] = useState<string | null>(null);
  // The id is also kept in a ref: two keystrokes before a re-render must not make two drafts.
  const draftIdRef = useRef<string | null>(null);
  const [issues, setIssues] = useState<FormIssues>([]);
  const [error, setError] = useState('');
  const [adding, setAdding] = useState(false);

  useLoad((params) => {
    if (params.id) {
      draftIdRef.current = params.id;
      setDraftId(params.id);
    }
  });

  const draft = draftId && queue ? queue.get(draftId) ?? null : null;
  const form: TicketForm = draft?.form ?? { ...emptyForm(), onBehalf: false };
  const editable = !draft || draft.status === 'draft' || draft.status === 'failed';
  const thumbs = useLocalThumbs(draft?.media ?? []);

  if (!user || !queue) {
    return (
      <PageShell id="page-grid-report">
        <LoginPicker compact />
      </PageShell>
    );
  }
  if (!hasRole(user, 'grid')) {
    return (
      <PageShell id="page-grid-report">
        <View className="form-error" id="form-error">只有网格员可以使用现场上报</View>
      </PageShell>
    );
  }

  /** The draft to write into, created on the first keystroke or file. */
  const ensureDraft = (patch: Partial<TicketForm> = {}) => {
    const existing = draftIdRef.current ? queue.get(draftIdRef.current) : undefined;
    if (existing) return { draft: existing, created: false };
    const d = queue.create({ ...patch });
    draftIdRef.current = d.id;
    setDraftId(d.id);
    return { draft: d, created: true };
  };

  const change = (patch: Partial<TicketForm>) => {
    setIssues([]);
    setError('');
    try {
      const { draft: d, created } = ensureDraft(patch);
      if (!created) queue.update(d.id, patch);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const addFiles = async (files: platform.LocalFile[]) => {
    setAdding(true);
    try {
      const { draft: d } = ensureDraft();
      for (const f of files) {
        const localRef = await platform.persistFile(f);
        const media: DraftMedia = { id: newId(), kind: f.kind, localRef, name: f.name, mime: f.mime, size: f.size, ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}) };
        try {
          queue.addMedia(d.id, media);
        } catch (e) {
          await platform.discardPersistedFile(localRef);
          throw e;
        }
        platform.releaseFile(f.path);
      }
    } catch (e) {
      toast((e as Error).message || '保存文件失败');
    } finally {
      setAdding(false);
    }
  };

  const send = () => {
    const { draft: d } = ensureDraft();
    const r = queue.enqueue(d.id);
    if (!r.ok) {
      setIssues(r.issues);
      setError('请检查标红的内容');
      return;
    }
    setError('');
    void queue.flush();
  };

  const items: MediaItemView[] = (draft?.media ?? []).map((m) => {
    const progress = queue.progressOf(m.id);
    return {
      id: m.id,
      kind: m.kind,
      thumb: thumbs[m.id],
      name: m.name,
      size: m.size,
      durationSec: m.durationSec,
      status: m.fileRef ? 'done' : progress !== undefined ? 'uploading' : 'local',
      progress,
    };
  });
  const status = draft?.status ?? 'draft';

  return (
    <PageShell id="page-grid-report">
      <View className={`grid-network grid-network--${online ? 'on' : 'off'}`} id="network-status">
        {online ? '网络正常' : '当前无网络：草稿已保存在手机上，联网后会自动提交'}
      </View>

      <View className="section row grid-status">
        <Text>状态：</Text>
        <Text id="draft-status" className={`draft-status draft-status--${status}`} data-status={status}>{DRAFT_STATUS_LABELS[status]}</Text>
        {draft && editable && <Text className="muted" id="draft-saved">已自动保存到本机</Text>}
        {draft?.ticket && (
          <Text id="draft-ticket-number" className="grid-status__number" onClick={() => void go('detail', { id: draft.ticket!.id })}>
            编号 {draft.ticket.number}
          </Text>
        )}
      </View>
      {draft?.error && <View className="form-error" id="draft-error">{draft.error.message}</View>}
      {draft?.status === 'waiting' && (
        <View className="notice" id="draft-waiting">已加入提交队列，{online ? '正在准备上传…' : '联网后自动上传并提交'}</View>
      )}

      <TicketFormFields value={form} onChange={change} profile={profile} issues={issues} mode="grid" disabled={!editable} onError={toast} />

      <View className="section" id="field-media">
        <View className="section__title">照片、视频和语音</View>
        {editable && <MediaAdders counts={countsByKind(draft?.media ?? [])} disabled={adding} onAdd={(f) => void addFiles(f)} onError={toast} />}
        <MediaList items={items} onRemove={editable ? (id) => draft && void queue.removeMedia(draft.id, id) : undefined} locked={!editable} />
      </View>

      {error && <View className="form-error" id="form-error">{error}</View>}
      <View className="actions">
        {editable && (
          <Button id="draft-submit" type="primary" size="large" block disabled={adding} onClick={send}>
            {status === 'failed' ? '重新提交' : online ? '提交' : '提交（联网后自动发送）'}
          </Button>
        )}
        {status === 'waiting' && (
          <Button id="draft-unqueue" size="large" block onClick={() => draft && queue.unqueue(draft.id)}>撤回修改</Button>
        )}
        {status === 'submitted' && (
          <Button id="draft-new" type="primary" size="large" block onClick={() => void replace('gridReport')}>再报一件</Button>
        )}
        <Button id="draft-list" size="large" block fill="none" onClick={() => void go('gridDrafts')}>草稿箱与我的上报</Button>
      </View>
    </PageShell>
  );
}
