import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage, residentApi, type ApiError } from '../../api/client';
import { contracts } from '../../api/contracts';
import { useProfile } from '../../api/profile';
import type { KbArticle, SceneInfo } from '../../api/types';
import LoginPicker from '../../components/login-picker';
import { MediaAdders, MediaList } from '../../components/media-field';
import NearbyRequests, { nearbyQuery } from '../../components/nearby';
import PageShell from '../../components/page-shell';
import TicketFormFields from '../../components/ticket-form';
import { formDraftKey } from '../../drafts/formDraft';
import { useFormDraft } from '../../drafts/useFormDraft';
import { buildSubmitInput, checkForm, emptyForm, type FormIssues, type TicketForm } from '../../form/submitInput';
import { countsByKind } from '../../media/limits';
import { mediaViews, useUploads } from '../../media/useUploads';
import * as platform from '../../platform';
import { useSession } from '../../session';
import { rememberSubmission } from '../../tickets/lastSubmission';
import { Button } from '../../ui';
import { newId } from '../../util/ids';
import { go, replace, toast } from '../../util/nav';
import './index.scss';

type Step = 'form' | 'kb';

const CONTACT_KEY = 'last-contact';

/** The contact this user gave last time on this device, else the name they signed in with. */
function knownContact(user: { id: string; name: string } | null): Pick<TicketForm, 'contactName' | 'contactPhone'> {
  if (!user) return { contactName: '', contactPhone: '' };
  try {
    const saved = JSON.parse(platform.storage.getItem(`${CONTACT_KEY}:${user.id}`) ?? 'null') as { name?: string; phone?: string } | null;
    if (saved?.name || saved?.phone) return { contactName: saved.name ?? '', contactPhone: saved.phone ?? '' };
  } catch {
    // Unreadable: fall back to the name.
  }
  // Demo accounts carry their role in brackets ("张明（居民）"): not part of a name.
  return { contactName: user.name.replace(/（[^）]*）$/, ''), contactPhone: '' };
}

function rememberContact(user: { id: string } | null, form: TicketForm) {
  if (!user || (!form.contactName.trim() && !form.contactPhone.trim())) return;
  try {
    platform.storage.setItem(`${CONTACT_KEY}:${user.id}`, JSON.stringify({ name: form.contactName.trim(), phone: form.contactPhone.trim() }));
  } catch {
    // Storage full: next time the fields start empty.
  }
}

export default function Submit() {
  const user = useSession();
  const ready = !platform.NEEDS_SIGN_IN || !!user;
  const profile = useProfile(ready);
  const contact = useMemo(() => knownContact(user), [user?.id]);
  const [baseline, setBaseline] = useState<TicketForm>(() => ({ ...emptyForm(), ...contact }));
  const [form, setForm] = useState<TicketForm>(baseline);
  const [sceneId, setSceneId] = useState<string | null>(null);
  const [scene, setScene] = useState<SceneInfo | null>(null);
  const [sceneError, setSceneError] = useState('');
  const [issues, setIssues] = useState<FormIssues>([]);
  const [formError, setFormError] = useState('');
  /** The earlier request a duplicate-submission refusal points to. */
  const [earlier, setEarlier] = useState<{ ticketId: string; number: string } | null>(null);
  const [step, setStep] = useState<Step>('form');
  const [articles, setArticles] = useState<KbArticle[]>([]);
  const [chosen, setChosen] = useState(0);
  const [busy, setBusy] = useState<'' | 'checking' | 'submitting'>('');
  // One id for the life of this form (and its draft): a double tap or a retry returns the same ticket.
  const [clientRequestId, setClientRequestId] = useState(newId);
  const inFlight = useRef(false);
  const uploads = useUploads({ keep: true });
  const draft = useFormDraft<TicketForm>({
    storageKey: ready ? formDraftKey('resident', user?.id ?? 'me') : null,
    form,
    baseline,
    uploads,
    clientRequestId,
    onRestore: (d) => {
      setForm((f) => ({ ...f, ...d.form }));
      if (d.clientRequestId) setClientRequestId(d.clientRequestId);
    },
  });

  useEffect(() => {
    // A contact remembered after the first render (the session arrived late) fills empty fields only.
    setBaseline((b) => ({ ...b, ...contact }));
    setForm((f) => ({ ...f, contactName: f.contactName || contact.contactName, contactPhone: f.contactPhone || contact.contactPhone }));
  }, [contact]);

  useLoad((params) => setSceneId(platform.readScene(params as Record<string, string>)));

  useEffect(() => {
    if (!sceneId || !ready) return;
    residentApi.scene(sceneId).then(
      (s) => {
        setScene(s);
        const fromScene = (f: TicketForm): TicketForm => ({
          ...f,
          scene: s.id,
          address: f.address || s.place,
          ...(s.area ? { area: s.area } : {}),
          ...(s.grid ? { grid: s.grid } : {}),
          ...(s.category && !f.category ? { category: s.category } : {}),
        });
        setForm(fromScene);
        setBaseline(fromScene);
      },
      // Said at the top and kept while the user types: the form below still works without the code.
      (e) => setSceneError(`未能识别这个二维码（${errorMessage(e)}）。您仍可以直接填写下面的表单反映问题。`),
    );
  }, [sceneId, ready]);

  const change = (patch: Partial<TicketForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (issues.length) setIssues([]);
    if (formError) setFormError('');
    if (earlier) setEarlier(null);
  };

  const items = mediaViews(uploads.items);
  const counts = countsByKind(items);
  const uploading = uploads.items.some((i) => i.status === 'uploading');
  const failed = uploads.items.some((i) => i.status === 'failed');

  const errorBox = formError ? (
    <View className="form-error" id="form-error">
      {formError}
      {earlier && (
        <View className="form-error__link" id="duplicate-earlier" role="link" onClick={() => void go('detail', { id: earlier.ticketId })}>
          查看先前提交的诉求{earlier.number ? `（${earlier.number}）` : ''}
        </View>
      )}
    </View>
  ) : null;

  const send = async (answerWith?: KbArticle) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy('submitting');
    setFormError('');
    try {
      const result = await residentApi.submit(buildSubmitInput(clientRequestId, form, uploads.refs));
      let answered = false;
      if (answerWith) {
        try {
          await residentApi.command({ type: 'answer', ticketId: result.ticket.id, articleId: answerWith.id, answer: answerWith.answer });
          answered = true;
        } catch (e) {
          toast(errorMessage(e));
        }
      }
      rememberSubmission({ ...result, ...(answered ? { answer: answerWith!.answer } : {}) });
      rememberContact(user, form);
      draft.sent();
      void replace('result', { id: result.ticket.id, number: result.ticket.number, ...(answered ? { answered: 1 } : {}) });
    } catch (e) {
      setFormError(errorMessage(e));
      const sent = (e as ApiError).data ?? {};
      setEarlier((e as ApiError).code === 'duplicate-submission' && sent.ticketId ? { ticketId: sent.ticketId, number: sent.number ?? '' } : null);
      const fieldIssues = (e as ApiError).issues ?? [];
      if (fieldIssues.length) setIssues(fieldIssues.map((i) => ({ path: i.path.replace(/^input\./, '').split('.')[0], message: i.message })));
      setStep('form');
    } finally {
      inFlight.current = false;
      setBusy('');
    }
  };

  const onSubmit = async () => {
    if (inFlight.current || busy) return;
    if (uploading) return setFormError('请等待文件上传完成');
    if (failed) return setFormError('有文件上传失败，请点“重试”或删除后再提交');
    let schemas: Awaited<ReturnType<typeof contracts>>;
    try {
      schemas = await contracts();
    } catch {
      return setFormError('网络不可用，请检查网络后重试');
    }
    const found = checkForm(schemas.submitInputSchema, clientRequestId, form, items.map((i) => ({ kind: i.kind, durationSec: i.durationSec })));
    if (found.length) {
      setIssues(found);
      setFormError('请检查标红的内容');
      return;
    }
    if (form.type === 'consultation') {
      setBusy('checking');
      try {
        const found = await residentApi.kbSearch(form.content.trim(), form.category.trim() || undefined);
        if (found.length > 0) {
          setArticles(found.slice(0, 5));
          setChosen(0);
          setStep('kb');
          setBusy('');
          return;
        }
      } catch {
        // No suggestions: the request goes on as usual.
      }
      setBusy('');
    }
    await send();
  };

  if (!ready) {
    return (
      <PageShell id="page-submit">
        <View className="notice" id="login-required">请先选择演示用户登录，再填写反映内容</View>
        <LoginPicker compact />
      </PageShell>
    );
  }

  if (step === 'kb') {
    return (
      <PageShell id="page-submit">
        <View className="section" id="kb-step">
          <View className="section__title" id="kb-question">这些回答能解决您的问题吗？</View>
          <View className="muted">以下是知识库中与您的咨询相近的答复，选中最合适的一条。</View>
          {articles.map((a, i) => (
            <View key={a.id} id={`kb-article-${i}`} className={`kb-article${i === chosen ? ' kb-article--chosen' : ''}`} onClick={() => setChosen(i)}>
              <View className="kb-article__title">{a.title}</View>
              <View className="kb-article__answer pre-wrap">{a.answer}</View>
            </View>
          ))}
        </View>
        {errorBox}
        <View className="actions">
          <Button id="kb-yes" type="primary" size="large" block loading={busy === 'submitting'} disabled={!!busy} onClick={() => void send(articles[chosen])}>
            能解决，即时答复
          </Button>
          <Button id="kb-no" size="large" block disabled={!!busy} onClick={() => void send()}>
            不能解决，继续提交
          </Button>
          <Button id="kb-back" size="large" block fill="none" disabled={!!busy} onClick={() => setStep('form')}>
            返回修改
          </Button>
        </View>
      </PageShell>
    );
  }

  const startAgain = () => {
    draft.discard();
    setForm(baseline);
    setClientRequestId(newId());
    setIssues([]);
    setFormError('');
  };

  return (
    <PageShell id="page-submit">
      {draft.restoredFrom !== null && (
        <View className="notice row submit__restored" id="draft-restored">
          <Text>已恢复上次未提交的内容{draft.lost ? `（${draft.lost}个文件已不在本机，请重新添加）` : ''}</Text>
          <Button id="draft-discard" size="small" fill="none" onClick={startAgain}>清空重填</Button>
        </View>
      )}
      {sceneError && <View className="notice notice--warn" id="scene-unknown">{sceneError}</View>}
      <TicketFormFields value={form} onChange={change} profile={profile} issues={issues} mode="resident" scene={scene} disabled={!!busy} onError={toast} />

      <View className="section" id="field-media">
        <View className="section__title">照片、视频和语音</View>
        <MediaAdders counts={counts} disabled={!!busy} onAdd={uploads.add} onError={toast} />
        <MediaList items={items} onRetry={uploads.retry} onRemove={uploads.remove} locked={!!busy} />
      </View>

      <NearbyRequests
        query={form.type === 'consultation' ? null : nearbyQuery(form)}
        confidential={form.confidential}
        disabled={!!busy}
        onJoined={(ticketId) => {
          // Joined instead of submitting: the draft is done with, and the request is now also theirs to follow.
          draft.discard();
          toast('已加入，办理进展将通知您', 'success');
          void replace('detail', { id: ticketId });
        }}
      />

      {errorBox}
      <View className="actions">
        <Button
          id="submit-button"
          type="primary"
          size="large"
          block
          loading={!!busy}
          disabled={!!busy || uploading}
          onClick={() => void onSubmit()}
        >
          {busy === 'checking' ? '正在查找相关答复…' : busy === 'submitting' ? '正在提交…' : uploading ? '文件上传中…' : '提交'}
        </Button>
        <Text className="muted submit__hint">提交后可在“我的诉求”中查看办理进度</Text>
      </View>
    </PageShell>
  );
}
