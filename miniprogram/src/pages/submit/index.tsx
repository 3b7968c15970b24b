import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, residentApi, type ApiError } from '../../api/client';
import { useProfile } from '../../api/profile';
import type { KbArticle, SceneInfo } from '../../api/types';
import LoginPicker from '../../components/login-picker';
import { MediaAdders, MediaList, type MediaItemView } from '../../components/media-field';
import PageShell from '../../components/page-shell';
import TicketFormFields from '../../components/ticket-form';
import { buildSubmitInput, checkForm, emptyForm, type FormIssues, type TicketForm } from '../../form/submitInput';
import { countsByKind } from '../../media/limits';
import { useUploads } from '../../media/useUploads';
import * as platform from '../../platform';
import { useSession } from '../../session';
import { rememberSubmission } from '../../tickets/lastSubmission';
import { Button } from '../../ui';
import { newId } from '../../util/ids';
import { replace, toast } from '../../util/nav';
import './index.scss';

type Step = 'form' | 'kb';

export default function Submit() {
  const user = useSession();
  const ready = !platform.NEEDS_SIGN_IN || !!user;
  const profile = useProfile(ready);
  const [form, setForm] = useState<TicketForm>(emptyForm);
  const [sceneId, setSceneId] = useState<string | null>(null);
  const [scene, setScene] = useState<SceneInfo | null>(null);
  const [issues, setIssues] = useState<FormIssues>([]);
  const [formError, setFormError] = useState('');
  const [step, setStep] = useState<Step>('form');
  const [articles, setArticles] = useState<KbArticle[]>([]);
  const [chosen, setChosen] = useState(0);
  const [busy, setBusy] = useState<'' | 'checking' | 'submitting'>('');
  // One id for the life of this form: a double tap or a retry returns the same ticket.
  const clientRequestId = useRef(newId()).current;
  const inFlight = useRef(false);
  const uploads = useUploads();

  useLoad((params) => setSceneId(platform.readScene(params as Record<string, string>)));

  useEffect(() => {
    if (!sceneId || !ready) return;
    residentApi.scene(sceneId).then(
      (s) => {
        setScene(s);
        setForm((f) => ({
          ...f,
          scene: s.id,
          address: f.address || s.place,
          ...(s.area ? { area: s.area } : {}),
          ...(s.grid ? { grid: s.grid } : {}),
          ...(s.category && !f.category ? { category: s.category } : {}),
        }));
      },
      (e) => setFormError(`二维码信息读取失败：${errorMessage(e)}`),
    );
  }, [sceneId, ready]);

  const change = (patch: Partial<TicketForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (issues.length) setIssues([]);
    if (formError) setFormError('');
  };

  const items: MediaItemView[] = uploads.items.map((i) => ({
    id: i.id,
    kind: i.file.kind,
    thumb: i.file.kind === 'image' ? i.file.path : undefined,
    name: i.file.name,
    size: i.file.size,
    durationSec: i.file.durationSec,
    status: i.status,
    progress: i.progress,
    error: i.error,
  }));
  const counts = countsByKind(items);
  const uploading = uploads.items.some((i) => i.status === 'uploading');
  const failed = uploads.items.some((i) => i.status === 'failed');

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
      void replace('result', { id: result.ticket.id, number: result.ticket.number, ...(answered ? { answered: 1 } : {}) });
    } catch (e) {
      setFormError(errorMessage(e));
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
    const found = checkForm(clientRequestId, form, items.map((i) => ({ kind: i.kind, durationSec: i.durationSec })));
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
        {formError && <View className="form-error" id="form-error">{formError}</View>}
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

  return (
    <PageShell id="page-submit">
      <TicketFormFields value={form} onChange={change} profile={profile} issues={issues} mode="resident" scene={scene} disabled={!!busy} onError={toast} />

      <View className="section" id="field-media">
        <View className="section__title">照片、视频和语音</View>
        <MediaAdders counts={counts} disabled={!!busy} onAdd={uploads.add} onError={toast} />
        <MediaList items={items} onRetry={uploads.retry} onRemove={uploads.remove} locked={!!busy} />
      </View>

      {formError && <View className="form-error" id="form-error">{formError}</View>}
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
