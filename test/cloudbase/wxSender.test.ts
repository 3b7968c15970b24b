/** The subscription-message sender and the mini-program code, with a stand-in for wx-server-sdk's `cloud.openapi`. */
import { SendError } from '../../cloudfunctions/lib/delivery';
import type { WxOpenapi } from '../../cloudfunctions/adapters/cloudbase/wxCloud';
import { WxSubscribeSender, fitFieldLimits, toSendError, wxSenderFromEnv } from '../../cloudfunctions/adapters/cloudbase/wxSender';
import { miniProgramCode } from '../../cloudfunctions/adapters/cloudbase/wxacode';
import { TEMPLATE_ENV, noticeFor, parseKeywords, warningNotice, readTemplates, subscribeTemplates, templateData } from '../../cloudfunctions/lib/notices';
import type { NoticeTemplate } from '../../shared/workflow/effects';
import { DomainError } from '../../shared/errors';
import { T0, draft } from './helpers';
import { TEMPLATE_KEYS, progressNotice as notice, templateEnv, testTemplates as templates } from './templateFixtures';

type SendParams = Parameters<WxOpenapi['subscribeMessage']['send']>[0];


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
    await new WxSubscribeSender({ cloud: { openapi: api }, templates, miniprogramState: 'trial' }).send({ userId: 'u1', openid: 'o-1' }, notice);
    expect(sent).toEqual([
      { touser: 'o-1', templateId: 'tpl-progress', page: 'pages/detail/index?id=t-1', data: templateData(notice, templates.progress.keywords), miniprogramState: 'trial', lang: 'zh_CN' },
    ]);
  });

  it('43101 (no subscription left) is kind no-subscription, not to retry', async () => {
    const { api } = openapi(async () => {
      throw wxError(43101, 'user refuse to accept the msg');
    });
    const e = await sendError(new WxSubscribeSender({ cloud: { openapi: api }, templates }).send({ userId: 'u1', openid: 'o-1' }, notice));
    expect(e).toMatchObject({ kind: 'no-subscription', errCode: 43101 });
    // Also when only the message carries the code.
    expect(toSendError(new Error('errCode: 43101 | errMsg: user refuse to accept the msg'))).toMatchObject({ kind: 'no-subscription', errCode: 43101 });
  });

  it('no answer within the timeout is kind timeout', async () => {
    const { api } = openapi(() => new Promise(() => undefined));
    const started = Date.now();
    const e = await sendError(new WxSubscribeSender({ cloud: { openapi: api }, templates, timeoutMs: 30 }).send({ userId: 'u1', openid: 'o-1' }, notice));
    expect(e).toMatchObject({ kind: 'timeout', errCode: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(toSendError(Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' }))).toMatchObject({ kind: 'timeout' });
  });

  it('an error no retry can change is kind permanent: 47003, 40037, 40003, thrown or returned, or in the message', async () => {
    for (const [code, msg] of [[47003, 'argument invalid! data.thing1.value invalid'], [40037, 'invalid template_id'], [40003, 'invalid openid']] as const) {
      const { api } = openapi(async () => {
        throw wxError(code, msg);
      });
      expect(await sendError(new WxSubscribeSender({ cloud: { openapi: api }, templates }).send({ userId: 'u1', openid: 'o-1' }, notice))).toMatchObject({ kind: 'permanent', errCode: code });
    }
    const returned = openapi(async () => ({ errCode: 47003, errMsg: 'argument invalid' }));
    expect(await sendError(new WxSubscribeSender({ cloud: { openapi: returned.api }, templates }).send({ userId: 'u1', openid: 'o-1' }, notice))).toMatchObject({ kind: 'permanent', errCode: 47003 });
    expect(toSendError(new Error('openapi.subscribeMessage.send:fail errCode: 40037 | errMsg: invalid template_id'))).toMatchObject({ kind: 'permanent', errCode: 40037 });
  });

  it('any other failure is kind other, with its code', async () => {
    const { api } = openapi(async () => {
      throw wxError(45009, 'reach max api daily quota limit');
    });
    expect(await sendError(new WxSubscribeSender({ cloud: { openapi: api }, templates }).send({ userId: 'u1', openid: 'o-1' }, notice))).toMatchObject({ kind: 'other', errCode: 45009 });
    expect(toSendError(wxError(-1, 'system busy'))).toMatchObject({ kind: 'other', errCode: -1 });
    expect(toSendError(new Error('boom'))).toMatchObject({ kind: 'other', errCode: 'unknown' });
  });

  it('a notice without a configured template is refused as permanent, before any call', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const { dueSoon: _skipped, ...some } = templates;
    const sender = new WxSubscribeSender({ cloud: { openapi: api }, templates: some });
    expect(await sendError(sender.send({ userId: 'u1', openid: 'o-1' }, { ...notice, template: 'dueSoon' }))).toMatchObject({ kind: 'permanent', errCode: 'no-template' });
    expect(sent).toEqual([]);
  });

  it('a recipient without an openid is refused before any call: no-openid, kind no-subscription', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const e = await sendError(new WxSubscribeSender({ cloud: { openapi: api }, templates }).send({ userId: 'u1' }, notice));
    expect(e).toMatchObject({ errCode: 'no-openid', kind: 'no-subscription' });
    expect(sent).toEqual([]);
  });

  it('the data fits the field limits, whatever the ticket says', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const sender = new WxSubscribeSender({ cloud: { openapi: api }, templates });
    const d = draft({ content: '很长的内容'.repeat(50) });
    const long = { ...d.ticket, title: '这是一个非常非常非常非常非常非常非常非常长的诉求标题，远远超过二十个字', number: `PL${'9'.repeat(40)}—#中文`, state: 'replied' };
    for (const template of Object.keys(templates) as NoticeTemplate[]) {
      for (const forRequester of [true, false]) {
        await sender.send({ userId: 'u1', openid: 'o-1' }, noticeFor(template, long, '摘要'.repeat(30), T0, forRequester));
      }
    }
    // A risk warning is about no ticket: its label is the summary.
    await sender.send({ userId: 'u1', openid: 'o-1' }, warningNotice('区域「一个名字非常非常长的街道」分类「一个名字非常长的分类」本周120件，为前8周中位数（4件）的30.0倍', T0));
    expect(sent).toHaveLength(Object.keys(templates).length * 2 + 1);
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

  it('each notice fills exactly its own template\'s keywords', async () => {
    const { api, sent } = openapi(async () => ({ errCode: 0 }));
    const sender = new WxSubscribeSender({ cloud: { openapi: api }, templates });
    for (const template of Object.keys(templates) as NoticeTemplate[]) await sender.send({ userId: 'u1', openid: 'o-1' }, { ...notice, template });
    expect(sent.map((p) => [p.templateId, Object.keys(p.data).join(',')])).toEqual(
      (Object.keys(templates) as NoticeTemplate[]).map((t) => [`tpl-${t}`, TEMPLATE_KEYS[t].split(',').map((pair) => pair.split(':')[0]).join(',')]),
    );
    const dueSoon = sent.find((p) => p.templateId === 'tpl-dueSoon')!;
    expect(dueSoon.data).toEqual({ thing2: { value: '小区门口路灯不亮' }, date3: { value: '2026年3月2日' }, thing4: { value: '承办单位已签收' } });
  });
});

describe('template configuration (TPL_* and TPL_*_KEYS)', () => {
  it('reads every notice\'s id and keywords', () => {
    const { templates: read, problems } = readTemplates(templateEnv());
    expect(problems).toEqual([]);
    expect(read).toEqual(templates);
    expect(subscribeTemplates(templateEnv())).toEqual(Object.fromEntries(Object.keys(templates).map((t) => [t, `tpl-${t}`])));
  });

  it('a missing id or keyword list leaves that notice out, named, and never throws', () => {
    const env = { ...templateEnv(), TPL_DUE_SOON: '', TPL_REVIEW_KEYS: undefined };
    const { templates: read, problems } = readTemplates(env);
    expect(Object.keys(read).sort()).toEqual(['assigned', 'overdue', 'progress', 'supervised', 'warning']);
    expect(problems).toEqual([
      'dueSoon: TPL_DUE_SOON is not set, this notice is not sent',
      'review: TPL_REVIEW_KEYS is not set (the template\'s keywords, e.g. thing1:title,time2:time), this notice is not sent',
    ]);
    expect(subscribeTemplates(env)).not.toHaveProperty('dueSoon');
    expect(subscribeTemplates(env)).not.toHaveProperty('review');
  });

  it('refuses keyword lists WeChat would answer 47003 to, saying why', () => {
    expect(parseKeywords('thing1:title,time2:time')).toEqual([{ key: 'thing1', field: 'title' }, { key: 'time2', field: 'time' }]);
    expect(parseKeywords('phrase3:title')).toMatch(/title does not fit a phrase keyword/);
    expect(parseKeywords('keyword1:title')).toMatch(/not a keyword WeChat names/);
    expect(parseKeywords('thing1:title,thing1:summary')).toMatch(/appears twice/);
    expect(parseKeywords('thing1:author')).toMatch(/field must be one of/);
    expect(parseKeywords(' , ')).toBe('no keywords');
  });

  it('wxSenderFromEnv logs one line of what is configured and warns per notice left out; an empty environment does not throw', () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const log = { log: (s: string) => lines.push(s), warn: (s: string) => warnings.push(s) };
    wxSenderFromEnv({ ...templateEnv(), TPL_OVERDUE: undefined, MINIPROGRAM_STATE: 'trial' }, log);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[templates\] 6\/7 subscription templates configured: progress=tpl-progress \(character_string1:number,/);
    expect(lines[0]).toMatch(/messages open the trial version$/);
    expect(warnings).toEqual(['[templates] overdue: TPL_OVERDUE is not set, this notice is not sent']);
    lines.length = 0;
    warnings.length = 0;
    expect(() => wxSenderFromEnv({ MINIPROGRAM_STATE: 'beta' }, log)).not.toThrow();
    expect(lines).toEqual(['[templates] 0/7 subscription templates configured; messages open the formal version']);
    expect(warnings).toHaveLength(Object.keys(TEMPLATE_ENV).length + 1);
    expect(warnings[warnings.length - 1]).toMatch(/MINIPROGRAM_STATE="beta" is not one of developer, trial, formal/);
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
    const bytes = await miniProgramCode('p=park-east&g=01', '/pages/submit/index', { openapi });
    expect(Buffer.from(bytes)).toEqual(png);
    expect(getUnlimited).toHaveBeenCalledWith({ scene: 'p=park-east&g=01', page: 'pages/submit/index', checkPath: false });
  });

  it('refuses a scene WeChat would refuse: over 32 characters, spaces, non-ASCII, empty', async () => {
    const { api: openapi, getUnlimited } = api({ buffer: png });
    for (const scene of ['x'.repeat(33), 'a b', '人民公园', '', 'a"b', 'a%20b']) {
      await expect(miniProgramCode(scene, 'pages/submit/index', { openapi })).rejects.toBeInstanceOf(DomainError);
    }
    await expect(miniProgramCode('ok', 'pages/submit/index?x=1', { openapi })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(getUnlimited).not.toHaveBeenCalled();
    await expect(miniProgramCode('x'.repeat(32), 'pages/submit/index', { openapi })).resolves.toBeInstanceOf(Uint8Array);
  });

  it('an answer that is not a PNG is an error', async () => {
    const { api: openapi } = api({ contentType: 'application/json', buffer: Buffer.from('{"errcode":41030}'), errCode: 0 });
    await expect(miniProgramCode('ok', 'pages/submit/index', { openapi })).rejects.toThrow(/no PNG/);
  });
});
