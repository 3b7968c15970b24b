/** The subscription-message sender and the mini-program code, with a stand-in for wx-server-sdk's `cloud.openapi`. */
import { SendError } from '../../cloudfunctions/adapters/sender';
import type { WxOpenapi } from '../../cloudfunctions/adapters/cloudbase/wxCloud';
import { TEMPLATE_ENV, WxSubscribeSender, fitFieldLimits, templatesFromEnv, toSendError } from '../../cloudfunctions/adapters/cloudbase/wxSender';
import { miniProgramCode } from '../../cloudfunctions/adapters/cloudbase/wxacode';
import { noticeFor, templateData } from '../../cloudfunctions/lib/notices';
import type { Notice } from '../../shared/ports';
import type { NoticeTemplate } from '../../shared/workflow/effects';
import { DomainError } from '../../shared/errors';
import { T0, draft } from './helpers';

type SendParams = Parameters<WxOpenapi['subscribeMessage']['send']>[0];

const templates: Record<NoticeTemplate, string> = { progress: 'tpl-p', assigned: 'tpl-a', dueSoon: 'tpl-d', overdue: 'tpl-o', supervised: 'tpl-s', review: 'tpl-r' };

/** A stand-in for `cloud.openapi`: records each call and answers with `reply`. */
function openapi(reply: (p: SendParams) => Promise<{ errCode?: number; errMsg?: string }>) {
  const sent: SendParams[] = [];
  const api = {
    subscribeMessage: { send: (p: SendParams) => (sent.push(p), reply(p)) },
    wxacode: { getUnlimited: jest.fn() },
  } as unknown as WxOpenapi;
  return { api, sent };
}

/** wx-server-sdk's error for a WeChat errcode (CloudSDKError: errCode, errMsg, message "errCode: … | errMsg: …"). */
function wxError(errCode: number, errMsg: string): Error {
  return Object.assign(new Error(`errCode: ${errCode} | errMsg: ${errMsg}`), { errCode, errMsg });
}

const notice: Notice = {
  template: 'progress',
  ticketId: 't-1',
  ticketNumber: 'PL202603020001',
  title: '小区门口路灯不亮',
  status: '办理中',
  summary: '承办单位已签收',
  at: T0,
  page: '/pages/detail/index?id=t-1',
};

async function sendError(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SendError);
    return e as SendError;
  }
  throw new Error('expected a SendError');
}

describe('WxSubscribeSender', () => {
  it('sends the template of the notice to the openid, with the page and the template data', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }));
    await new WxSubscribeSender({ openapi: api, templates, miniprogramState: 'trial' }).send({ userId: 'u1', openid: 'o-1' }, notice);
    expect(sent).toEqual([
      { touser: 'o-1', templateId: 'tpl-p', page: 'pages/detail/index?id=t-1', data: templateData(notice), miniprogramState: 'trial', lang: 'zh_CN' },
    ]);
  });

  it('43101 (no subscription left) is kind no-subscription, not to retry', async () => {
    const { api } = openapi(async () => {
      throw wxError(43101, 'user refuse to accept the msg');
    });
    const e = await sendError(new WxSubscribeSender({ openapi: api, templates }).send({ userId: 'u1', openid: 'o-1' }, notice));
    expect(e).toMatchObject({ kind: 'no-subscription', errCode: 43101 });
    // Also when only the message carries the code.
    expect(toSendError(new Error('errCode: 43101 | errMsg: user refuse to accept the msg'))).toMatchObject({ kind: 'no-subscription', errCode: 43101 });
  });

  it('no answer within the timeout is kind timeout', async () => {
    const { api } = openapi(() => new Promise(() => undefined));
    const started = Date.now();
    const e = await sendError(new WxSubscribeSender({ openapi: api, templates, timeoutMs: 30 }).send({ userId: 'u1', openid: 'o-1' }, notice));
    expect(e).toMatchObject({ kind: 'timeout', errCode: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(toSendError(Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' }))).toMatchObject({ kind: 'timeout' });
  });

  it('any other failure is kind other, with its code', async () => {
    const { api } = openapi(async () => {
      throw wxError(40003, 'invalid openid');
    });
    expect(await sendError(new WxSubscribeSender({ openapi: api, templates }).send({ userId: 'u1', openid: 'o-1' }, notice))).toMatchObject({ kind: 'other', errCode: 40003 });
    const returned = openapi(async () => ({ errCode: 47003, errMsg: 'argument invalid' }));
    expect(await sendError(new WxSubscribeSender({ openapi: returned.api, templates }).send({ userId: 'u1', openid: 'o-1' }, notice))).toMatchObject({
      kind: 'other',
      errCode: 47003,
    });
    expect(toSendError(new Error('boom'))).toMatchObject({ kind: 'other', errCode: 'unknown' });
  });

  it('a recipient without an openid is refused before any call: no-openid, kind no-subscription', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const e = await sendError(new WxSubscribeSender({ openapi: api, templates }).send({ userId: 'u1' }, notice));
    expect(e).toMatchObject({ errCode: 'no-openid', kind: 'no-subscription' });
    expect(sent).toEqual([]);
  });

  it('the data fits the field limits, whatever the ticket says', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const sender = new WxSubscribeSender({ openapi: api, templates });
    const d = draft({ content: '很长的内容'.repeat(50) });
    const long = { ...d.ticket, title: '这是一个非常非常非常非常非常非常非常非常长的诉求标题，远远超过二十个字', number: `PL${'9'.repeat(40)}—#中文`, state: 'replied' };
    for (const template of Object.keys(templates) as NoticeTemplate[]) {
      for (const forRequester of [true, false]) {
        await sender.send({ userId: 'u1', openid: 'o-1' }, noticeFor(template, long, '摘要'.repeat(30), T0, forRequester));
      }
    }
    expect(sent).toHaveLength(12);
    for (const { data } of sent) {
      for (const [key, { value }] of Object.entries(data)) {
        if (key.startsWith('thing')) expect([...value].length).toBeLessThanOrEqual(20);
        if (key.startsWith('character_string')) expect(value).toMatch(/^[\x21-\x7e]{1,32}$/);
        if (key.startsWith('phrase')) expect(value).toMatch(/^[\u4e00-\u9fa5]{1,5}$/);
        if (key.startsWith('time')) expect(value).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
      }
    }
    expect(fitFieldLimits({ phrase1: { value: '已答复平…' }, character_string2: { value: 'AB…' } })).toEqual({ phrase1: { value: '已答复平' }, character_string2: { value: 'AB' } });
  });

  it('template ids come from TPL_* variables; a missing one stops the start-up, named', () => {
    const env = Object.fromEntries(Object.entries(TEMPLATE_ENV).map(([t, name]) => [name, `id-${t}`]));
    expect(templatesFromEnv(env)).toEqual({ progress: 'id-progress', assigned: 'id-assigned', dueSoon: 'id-dueSoon', overdue: 'id-overdue', supervised: 'id-supervised', review: 'id-review' });
    expect(() => templatesFromEnv({ ...env, TPL_DUE_SOON: '', TPL_REVIEW: undefined })).toThrow('TPL_DUE_SOON, TPL_REVIEW');
  });
});

describe('miniProgramCode', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

  function api(reply: unknown) {
    const getUnlimited = jest.fn(async () => reply);
    return { api: { wxacode: { getUnlimited }, subscribeMessage: { send: jest.fn() } } as unknown as WxOpenapi, getUnlimited };
  }

  it('asks getUnlimited with checkPath false and returns the PNG bytes', async () => {
    const { api: openapi, getUnlimited } = api({ contentType: 'image/png', buffer: png, errCode: 0, errMsg: 'openapi.wxacode.getUnlimited:ok' });
    const bytes = await miniProgramCode('p=park-east&g=01', '/pages/submit/index', openapi);
    expect(Buffer.from(bytes)).toEqual(png);
    expect(getUnlimited).toHaveBeenCalledWith({ scene: 'p=park-east&g=01', page: 'pages/submit/index', checkPath: false });
  });

  it('refuses a scene WeChat would refuse: over 32 characters, spaces, non-ASCII, empty', async () => {
    const { api: openapi, getUnlimited } = api({ buffer: png });
    for (const scene of ['x'.repeat(33), 'a b', '人民公园', '', 'a"b', 'a%20b']) {
      await expect(miniProgramCode(scene, 'pages/submit/index', openapi)).rejects.toBeInstanceOf(DomainError);
    }
    await expect(miniProgramCode('ok', 'pages/submit/index?x=1', openapi)).rejects.toMatchObject({ code: 'invalid-input' });
    expect(getUnlimited).not.toHaveBeenCalled();
    await expect(miniProgramCode('x'.repeat(32), 'pages/submit/index', openapi)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('an answer that is not a PNG is an error', async () => {
    const { api: openapi } = api({ contentType: 'application/json', buffer: Buffer.from('{"errcode":41030}'), errCode: 0 });
    await expect(miniProgramCode('ok', 'pages/submit/index', openapi)).rejects.toThrow(/no PNG/);
  });
});
