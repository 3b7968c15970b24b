/**
 * Property-based fuzzing (fast-check) of every function, every action and every command type of
 * shared/contracts/api.ts, through handle() — the one entry both runtimes use — and a smaller run
 * over HTTP.
 *
 * Each target starts from a valid event for a caller it serves and is mutated 1–3 times: wrong
 * types (null, NaN, ±Infinity, -0, huge numbers, booleans, arrays for objects, objects for
 * strings), 100k-character strings, unicode edge cases (lone surrogates, RTL overrides,
 * zero-width characters, emoji sequences, NUL, line separators), prototype-pollution keys
 * (`__proto__`, `constructor`, `prototype`, made with JSON.parse so the key really exists),
 * other users' ticket and file ids, removed fields, unknown fields and deep nesting. Whole events
 * of random shape are thrown at every function as well.
 *
 * For every input: handle() resolves (never throws) to `{ ok: true, data }` or to
 * `{ ok: false, code, message }` with a code from shared/errors.ts other than 'internal' (an
 * unexpected exception is a crash, even if caught); the message has no stack frame, file path or
 * error class, is short and is Chinese; a refused input writes nothing (row counts of every data
 * table; rate_hits aside, since a refused look-up is still counted); Object.prototype and
 * Array.prototype are never polluted.
 *
 * Inputs that may block the event loop (period bounds near 2^83) run in a child process with a
 * timeout, so a hang fails the test instead of stalling the suite.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { api as API } from '../../shared/contracts/api';
import { ERROR_MESSAGES } from '../../shared/errors';
import { createRig, dispatched, leaksInternals, REPO, request, serveRig, login, type Rig } from '../support/reliabilityHarness';
import { recordFigure } from './figures';

/** A real notice (test/shared/fixtures/notices): the import path is fuzzed past the parser. */
const NOTICE_2026 = fs.readFileSync(path.join(__dirname, '..', 'shared', 'fixtures', 'notices', '2026.txt'), 'utf8');

const started = Date.now();
const stats = { inputs: 0, refused: 0, accepted: 0, acceptedWrites: 0, http: 0, isolated: 0, slowestMs: 0, slowest: '' };
afterAll(() => recordFigure('fuzz', { inputsTried: stats.inputs + stats.http + stats.isolated, inProcess: stats.inputs, overHttp: stats.http, isolated: stats.isolated, refused: stats.refused, accepted: stats.accepted, acceptedWrites: stats.acceptedWrites, slowestMs: stats.slowestMs, ms: Date.now() - started }));

/** Runs per target: 71 targets × RUNS + 8 functions × GARBAGE_RUNS ≈ 6,000 inputs. */
const RUNS = 75;
const GARBAGE_RUNS = 60;
const SEED = Number(process.env.FUZZ_SEED ?? 20260302);

const KNOWN_CODES = Object.keys(ERROR_MESSAGES);
const HAN = /[\u4e00-\u9fff]/;
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).sort().join(',');

// ---------------------------------------------------------------------------------------------
// The world the fuzzer plays in
// ---------------------------------------------------------------------------------------------

let rig: Rig;
const ids = {
  own: '' as string, // demo-resident's ticket
  ownNumber: '',
  theirs: '', // demo-resident2's ticket, dispatched to u-chengguan
  theirsNumber: '',
  elsewhere: '', // a ticket at u-shuiwu only
  ownFile: '',
  theirFile: '',
  staffFile: '',
};

beforeAll(async () => {
  rig = await createRig();
  const own = await rig.submit('demo-resident');
  ids.own = own.ticket.id;
  ids.ownNumber = own.ticket.number;
  const theirs = await dispatched(rig, { residentId: 'demo-resident2', lead: 'u-chengguan', assist: ['u-zhujian'] });
  ids.theirs = theirs.id;
  ids.theirsNumber = theirs.number;
  await rig.command('demo-staff-cg', 'staff', { type: 'sign', ticketId: theirs.id });
  ids.elsewhere = (await dispatched(rig, { residentId: 'demo-resident2', lead: 'u-shuiwu', submit: { category: '供水', content: '幸福路一带自来水发黄，已经持续两天。' } })).id;
  ids.ownFile = (await rig.upload('demo-resident')).fileId;
  ids.theirFile = (await rig.upload('demo-resident2')).fileId;
  ids.staffFile = (await rig.upload('demo-staff-zj')).fileId;
});
afterAll(async () => {
  await rig.close();
});

// ---------------------------------------------------------------------------------------------
// A valid event per target
// ---------------------------------------------------------------------------------------------

interface Target {
  fn: string;
  /** action, or action:commandType */
  name: string;
  caller: string | null;
  event: () => Record<string, unknown>;
}

const period = () => ({ from: rig.clock.now() - 30 * 86_400_000, to: rig.clock.now() + 86_400_000 });
const cmd = (type: string, extra: Record<string, unknown> = {}, ticketId = () => ids.theirs) => () => ({ action: 'command', command: { type, ticketId: ticketId(), ...extra } });

const TARGETS: Target[] = [
  { fn: 'auth', name: 'login', caller: null, event: () => ({ action: 'login', userId: 'demo-resident' }) },
  { fn: 'auth', name: 'whoami', caller: 'demo-resident', event: () => ({ action: 'whoami' }) },
  { fn: 'auth', name: 'demoUsers', caller: null, event: () => ({ action: 'demoUsers' }) },
  { fn: 'auth', name: 'redeemInvite', caller: 'demo-resident', event: () => ({ action: 'redeemInvite', code: 'ABCDEFGH', name: '新同事' }) },
  { fn: 'auth', name: 'passwordLogin', caller: null, event: () => ({ action: 'passwordLogin', login: 'fuzz.nobody', password: 'not-the-password-1', totp: '123456' }) },
  { fn: 'auth', name: 'totpBegin', caller: 'demo-staff-cg', event: () => ({ action: 'totpBegin' }) },
  { fn: 'auth', name: 'totpConfirm', caller: 'demo-staff-cg', event: () => ({ action: 'totpConfirm', code: '123456' }) },
  { fn: 'auth', name: 'logout', caller: 'demo-resident', event: () => ({ action: 'logout' }) },
  { fn: 'auth', name: 'sessions', caller: 'demo-resident', event: () => ({ action: 'sessions' }) },
  { fn: 'auth', name: 'revokeSession', caller: 'demo-resident', event: () => ({ action: 'revokeSession', sessionId: 's_fuzzfuzzfuzzfuzz' }) },
  { fn: 'auth', name: 'resetPassword', caller: null, event: () => ({ action: 'resetPassword', login: 'fuzz.nobody', code: 'ABCDEFGHJK', password: 'a-long-new-passphrase' }) },
  { fn: 'auth', name: 'registerWithInvite', caller: null, event: () => ({ action: 'registerWithInvite', code: 'ABCDEFGH', name: '新同事', login: 'fuzz.new', password: 'a-long-new-passphrase' }) },
  { fn: 'auth', name: 'smsSend', caller: null, event: () => ({ action: 'smsSend', phone: '13800001234' }) },
  { fn: 'auth', name: 'smsLogin', caller: null, event: () => ({ action: 'smsLogin', phone: '13800001234', code: '123456' }) },
  { fn: 'auth', name: 'wxLogin', caller: null, event: () => ({ action: 'wxLogin', code: 'fuzz-code-1' }) },

  { fn: 'resident', name: 'submit', caller: 'demo-resident', event: () => ({ action: 'submit', input: rig.submitInput({ attachments: [{ fileId: ids.ownFile, kind: 'image' }] }) }) },
  { fn: 'resident', name: 'get', caller: 'demo-resident', event: () => ({ action: 'get', ticketId: ids.own }) },
  { fn: 'resident', name: 'listMine', caller: 'demo-resident', event: () => ({ action: 'listMine', limit: 5 }) },
  { fn: 'resident', name: 'lookup', caller: 'demo-grid', event: () => ({ action: 'lookup', number: ids.ownNumber, phoneTail: '1234' }) },
  { fn: 'resident', name: 'command:rate', caller: 'demo-resident', event: cmd('rate', { value: 'satisfied' }, () => ids.own) },
  { fn: 'resident', name: 'command:requestRework', caller: 'demo-resident', event: cmd('requestRework', { reason: '没有解决' }, () => ids.own) },
  { fn: 'resident', name: 'command:objectMalicious', caller: 'demo-resident', event: cmd('objectMalicious', { reason: '并非有意' }, () => ids.own) },
  { fn: 'resident', name: 'command:withdraw', caller: 'demo-resident', event: cmd('withdraw', { note: '已自行解决' }, () => ids.own) },
  { fn: 'resident', name: 'command:classify', caller: 'demo-grid', event: cmd('classify', { urgency: 'urgent', reason: '现场积水' }, () => ids.own) },
  { fn: 'resident', name: 'command:answer', caller: 'demo-resident', event: cmd('answer', { answer: '已看到答复', articleId: 'kb-shebaoka' }, () => ids.own) },
  { fn: 'resident', name: 'kbSearch', caller: 'demo-resident', event: () => ({ action: 'kbSearch', text: '社保卡丢了', category: '社会保障' }) },
  { fn: 'resident', name: 'scene', caller: 'demo-resident', event: () => ({ action: 'scene', id: 'park-binhe' }) },
  { fn: 'resident', name: 'profile', caller: 'demo-resident', event: () => ({ action: 'profile' }) },
  { fn: 'resident', name: 'subscribe', caller: 'demo-resident', event: () => ({ action: 'subscribe', accepted: ['progress'] }) },
  { fn: 'resident', name: 'command:join', caller: 'demo-resident', event: cmd('join', { confidential: false }, () => ids.theirs) },
  { fn: 'resident', name: 'nearby', caller: 'demo-resident', event: () => ({ action: 'nearby', category: '市容环境', location: { area: '东区街道', address: '滨河公园南门' }, scene: 'park-binhe' }) },
  // Another place: refused (not found), so the fuzzing leaves demo-resident2's ticket as it is.
  { fn: 'resident', name: 'join', caller: 'demo-resident', event: () => ({ action: 'join', ticketId: ids.theirs, category: '供水', location: { area: '西区街道' }, confidential: true }) },

  { fn: 'staff', name: 'inbox', caller: 'demo-staff-cg', event: () => ({ action: 'inbox', filter: 'all', limit: 5 }) },
  { fn: 'staff', name: 'counts', caller: 'demo-staff-cg', event: () => ({ action: 'counts' }) },
  { fn: 'staff', name: 'get', caller: 'demo-staff-cg', event: () => ({ action: 'get', ticketId: ids.theirs }) },
  { fn: 'staff', name: 'command:sign', caller: 'demo-staff-zj', event: cmd('sign', { note: '签收' }) },
  { fn: 'staff', name: 'command:contact', caller: 'demo-staff-cg', event: cmd('contact', { method: 'phone', note: '已联系' }) },
  { fn: 'staff', name: 'command:requestCoordination', caller: 'demo-staff-cg', event: cmd('requestCoordination', { reason: '职责不清' }) },
  { fn: 'staff', name: 'command:revealPhone', caller: 'demo-staff-cg', event: cmd('revealPhone', {}) },
  { fn: 'staff', name: 'command:requestRelay', caller: 'demo-staff-cg', event: cmd('requestRelay', { note: '请平台转接' }) },
  { fn: 'staff', name: 'command:messageRequester', caller: 'demo-staff-cg', event: cmd('messageRequester', { message: '明天到现场查看' }) },
  { fn: 'staff', name: 'revealPhone', caller: 'demo-staff-cg', event: () => ({ action: 'revealPhone', ticketId: ids.theirs }) },
  { fn: 'staff', name: 'relayCall', caller: 'demo-staff-cg', event: () => ({ action: 'relayCall', ticketId: ids.theirs, note: '请平台转接' }) },
  { fn: 'staff', name: 'command:requestReturn', caller: 'demo-staff-cg', event: cmd('requestReturn', { reason: '不属于职责', attachments: [] }) },
  { fn: 'staff', name: 'command:requestExtension', caller: 'demo-staff-cg', event: cmd('requestExtension', { reason: '需要协调', span: { amount: 5, unit: 'workingDays' } }) },
  { fn: 'staff', name: 'command:assistFeedback', caller: 'demo-staff-zj', event: () => cmd('assistFeedback', { note: '协办意见', attachments: [{ fileId: ids.staffFile, kind: 'image' }] })() },
  { fn: 'staff', name: 'command:reply', caller: 'demo-staff-cg', event: cmd('reply', { result: '已处理，经现场核实已办结', handler: '刘洋', caseNumber: 'A-1', caseDate: '2026-03-02' }) },
  { fn: 'staff', name: 'credits', caller: 'demo-staff-cg', event: () => ({ action: 'credits' }) },
  { fn: 'staff', name: 'subscribe', caller: 'demo-staff-cg', event: () => ({ action: 'subscribe', accepted: ['assigned', 'dueSoon'] }) },
  { fn: 'staff', name: 'messages', caller: 'demo-staff-cg', event: () => ({ action: 'messages', limit: 5 }) },
  { fn: 'staff', name: 'templates', caller: 'demo-staff-cg', event: () => ({ action: 'templates' }) },
  { fn: 'staff', name: 'kb', caller: 'demo-staff-cg', event: () => ({ action: 'kb' }) },
  { fn: 'staff', name: 'proposeKb', caller: 'demo-staff-cg', event: () => ({ action: 'proposeKb', articleId: 'kb-zaoyin', title: '夜间施工噪声扰民怎么办？', answer: '夜间施工须经批准，可提交诉求。', keywords: ['噪声'], category: '噪声扰民' }) },
  { fn: 'staff', name: 'command:proposeTermination', caller: 'demo-staff-cg', event: cmd('proposeTermination', { groundCode: 'uncooperative', reason: '诉求人拒不配合', attachments: [] }) },
  { fn: 'staff', name: 'command:appealCounting', caller: 'demo-staff-cg', event: cmd('appealCounting', { groundCode: 'not-duty', metrics: ['onTime', 'satisfaction'], reason: '不属于本单位职责', attachments: [] }) },
  { fn: 'staff', name: 'command:disputeRating', caller: 'demo-staff-cg', event: cmd('disputeRating', { reason: '评价与事实不符', attachments: [] }) },

  { fn: 'operator', name: 'queue', caller: 'demo-operator', event: () => ({ action: 'queue', queue: 'all', limit: 5 }) },
  { fn: 'operator', name: 'get', caller: 'demo-operator', event: () => ({ action: 'get', ticketId: ids.theirs }) },
  { fn: 'operator', name: 'command:coordinate', caller: 'demo-operator', event: cmd('coordinate', { unitId: 'u-chengguan', basis: '联席会议确定由城管局办理' }) },
  { fn: 'operator', name: 'command:relayDone', caller: 'demo-operator', event: cmd('relayDone', { result: 'reached', note: '已转接' }) },
  { fn: 'operator', name: 'command:accept', caller: 'demo-operator', event: cmd('accept', { note: '受理' }, () => ids.own) },
  { fn: 'operator', name: 'command:answer', caller: 'demo-operator', event: cmd('answer', { answer: '答复', articleId: 'kb-shebaoka' }, () => ids.own) },
  { fn: 'operator', name: 'command:refuse', caller: 'demo-operator', event: cmd('refuse', { groundCode: 'out-of-jurisdiction' }, () => ids.own) },
  { fn: 'operator', name: 'command:dispatch', caller: 'demo-operator', event: cmd('dispatch', { mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'], complainedUnitId: 'u-dongqu' }, () => ids.own) },
  { fn: 'operator', name: 'command:reviewReturn', caller: 'demo-operator', event: cmd('reviewReturn', { approve: false, note: '属于本单位职责' }) },
  { fn: 'operator', name: 'command:reviewExtension', caller: 'demo-operator', event: cmd('reviewExtension', { approve: true }) },
  { fn: 'operator', name: 'command:reviewResult', caller: 'demo-operator', event: cmd('reviewResult', { approve: false, note: '补充' }) },
  { fn: 'operator', name: 'command:revisit', caller: 'demo-operator', event: cmd('revisit', { value: 'satisfied', method: 'phone' }) },
  { fn: 'operator', name: 'command:requestRework', caller: 'demo-operator', event: cmd('requestRework', { reason: '回访不满意' }) },
  { fn: 'operator', name: 'command:supervise', caller: 'demo-operator', event: cmd('supervise', { level: 1, method: 'system', trigger: 'overdue' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:escalate', caller: 'demo-operator', event: cmd('escalate') },
  { fn: 'operator', name: 'command:classify', caller: 'demo-operator', event: cmd('classify', { urgency: 'urgent', utilities: true, reason: '停水' }, () => ids.own) },
  { fn: 'operator', name: 'command:terminate', caller: 'demo-operator', event: cmd('terminate', { reason: '终止', groundCode: 'uncooperative' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:reviewTermination', caller: 'demo-operator', event: cmd('reviewTermination', { approve: false, note: '材料不足' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:reviewDispute', caller: 'demo-operator', event: cmd('reviewDispute', { upheld: true, value: '5', note: '复核属实' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:reviewAppeal', caller: 'demo-operator', event: cmd('reviewAppeal', { upheld: true, note: '经核实属实' }) },
  { fn: 'operator', name: 'command:recordMalicious', caller: 'demo-operator', event: cmd('recordMalicious', { groundCode: 'harassment', note: '来电中多次辱骂话务员' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:reviewObjection', caller: 'demo-operator', event: cmd('reviewObjection', { upheld: false, note: '录音属实' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:close', caller: 'demo-operator', event: cmd('close') },
  { fn: 'operator', name: 'command:recordRevisit', caller: 'demo-operator', event: cmd('recordRevisit', { method: 'phone', result: '已回访', words: '还行' }) },
  { fn: 'operator', name: 'command:handOffEmergency', caller: 'demo-operator', event: cmd('handOffEmergency', { line: '110', note: '转110' }, () => ids.elsewhere) },
  { fn: 'operator', name: 'command:link', caller: 'demo-operator', event: () => ({ action: 'command', command: { type: 'link', ticketId: ids.theirs, otherNumber: ids.ownNumber, kind: 'related', note: '同一路段' } }) },
  { fn: 'operator', name: 'command:merge', caller: 'demo-operator', event: () => ({ action: 'command', command: { type: 'merge', ticketId: ids.elsewhere, intoNumber: ids.ownNumber, note: '重复诉求' } }) },
  { fn: 'operator', name: 'command:pauseClock', caller: 'demo-operator', event: cmd('pauseClock', { code: 'recusal' }) },
  { fn: 'operator', name: 'command:resumeClock', caller: 'demo-operator', event: cmd('resumeClock') },
  { fn: 'operator', name: 'suggestUnits', caller: 'demo-operator', event: () => ({ action: 'suggestUnits', ticketId: ids.own }) },
  { fn: 'operator', name: 'submit', caller: 'demo-operator', event: () => ({ action: 'submit', input: rig.submitInput({ channel: 'phone' }) }) },
  { fn: 'operator', name: 'messages', caller: 'demo-operator', event: () => ({ action: 'messages', limit: 5 }) },
  { fn: 'operator', name: 'failedNotices', caller: 'demo-operator', event: () => ({ action: 'failedNotices', limit: 5 }) },
  { fn: 'operator', name: 'retryNotice', caller: 'demo-operator', event: () => ({ action: 'retryNotice', effectId: 'no-such-effect' }) },
  { fn: 'operator', name: 'kbPending', caller: 'demo-operator', event: () => ({ action: 'kbPending' }) },
  { fn: 'operator', name: 'kbReview', caller: 'demo-operator', event: () => ({ action: 'kbReview', articleId: 'kb-zaoyin', revisionId: 'kbrev-none', approve: false, reason: '表述不准确' }) },
  { fn: 'operator', name: 'kbStale', caller: 'demo-operator', event: () => ({ action: 'kbStale' }) },
  { fn: 'operator', name: 'cases', caller: 'demo-operator', event: () => ({ action: 'cases' }) },
  { fn: 'operator', name: 'putCase', caller: 'demo-operator', event: () => ({ action: 'putCase', case: { ticketId: ids.own, title: '小区垃圾清运不及时', summary: '居民反映小区垃圾连续多日未清运。', result: '城管部门已安排清运并加密频次。' } }) },
  { fn: 'operator', name: 'publishCase', caller: 'demo-operator', event: () => ({ action: 'publishCase', id: 'case-none', published: true }) },

  { fn: 'stats', name: 'figures', caller: 'demo-operator', event: () => ({ action: 'figures', ...period(), unitId: 'u-chengguan' }) },
  { fn: 'stats', name: 'trend', caller: 'demo-operator', event: () => ({ action: 'trend', ...period() }) },
  { fn: 'stats', name: 'hotspots', caller: 'demo-operator', event: () => ({ action: 'hotspots', ...period() }) },
  { fn: 'stats', name: 'repeated', caller: 'demo-operator', event: () => ({ action: 'repeated', ...period() }) },
  { fn: 'stats', name: 'collective', caller: 'demo-operator', event: () => ({ action: 'collective', ...period() }) },
  { fn: 'stats', name: 'frequentRequesters', caller: 'demo-operator', event: () => ({ action: 'frequentRequesters', ...period(), min: 2 }) },
  { fn: 'stats', name: 'exportCsv', caller: 'demo-operator', event: () => ({ action: 'exportCsv', kind: 'tickets', ...period() }) },
  { fn: 'stats', name: 'rates', caller: 'demo-operator', event: () => ({ action: 'rates', by: 'category', ...period() }) },
  { fn: 'stats', name: 'figureTickets', caller: 'demo-operator', event: () => ({ action: 'figureTickets', metric: 'submitted', by: 'all', key: '*', ...period() }) },
  { fn: 'stats', name: 'warnings', caller: 'demo-operator', event: () => ({ action: 'warnings', factor: 3, min: 5 }) },
  { fn: 'stats', name: 'briefing', caller: 'demo-operator', event: () => ({ action: 'briefing', kind: 'month' }) },
  { fn: 'stats', name: 'briefingXlsx', caller: 'demo-operator', event: () => ({ action: 'briefingXlsx', kind: 'week' }) },

  { fn: 'public', name: 'monthly', caller: null, event: () => ({ action: 'monthly', month: '2026-03' }) },
  { fn: 'public', name: 'cases', caller: null, event: () => ({ action: 'cases' }) },

  { fn: 'admin', name: 'units', caller: 'demo-operator', event: () => ({ action: 'units' }) },
  { fn: 'admin', name: 'putUnit', caller: 'demo-operator', event: () => ({ action: 'putUnit', unit: { id: 'u-fuzz', name: '测试单位', categories: ['市容环境'], areas: ['东区街道'], active: true } }) },
  { fn: 'admin', name: 'invite', caller: 'demo-operator', event: () => ({ action: 'invite', unitId: 'u-chengguan', days: 7 }) },
  { fn: 'admin', name: 'users', caller: 'demo-operator', event: () => ({ action: 'users', unitId: 'u-chengguan' }) },
  { fn: 'admin', name: 'accounts', caller: 'demo-operator', event: () => ({ action: 'accounts', role: 'staff', limit: 20 }) },
  { fn: 'admin', name: 'removeUser', caller: 'demo-operator', event: () => ({ action: 'removeUser', userId: 'u-fuzz-nobody' }) },
  { fn: 'admin', name: 'resetCode', caller: 'demo-operator', event: () => ({ action: 'resetCode', userId: 'u-fuzz-nobody' }) },
  { fn: 'admin', name: 'sessions', caller: 'demo-operator', event: () => ({ action: 'sessions', userId: 'demo-staff-cg' }) },
  { fn: 'admin', name: 'revokeSession', caller: 'demo-operator', event: () => ({ action: 'revokeSession', sessionId: 's_fuzzfuzzfuzzfuzz' }) },
  { fn: 'admin', name: 'audit', caller: 'demo-operator', event: () => ({ action: 'audit', limit: 10 }) },
  { fn: 'admin', name: 'scenes', caller: 'demo-operator', event: () => ({ action: 'scenes' }) },
  { fn: 'admin', name: 'putScene', caller: 'demo-operator', event: () => ({ action: 'putScene', scene: { id: 'fuzz-scene', place: '测试地点', area: '东区街道' } }) },
  // An unknown scene: the QR image itself takes seconds under jest, and the schema is what is fuzzed.
  { fn: 'admin', name: 'poster', caller: 'demo-operator', event: () => ({ action: 'poster', sceneId: 'no-such-scene' }) },
  { fn: 'admin', name: 'kb', caller: 'demo-operator', event: () => ({ action: 'kb' }) },
  { fn: 'admin', name: 'putKb', caller: 'demo-operator', event: () => ({ action: 'putKb', article: { title: '测试条目', answer: '测试答复', keywords: ['测试'], unitId: 'u-chengguan' } }) },
  { fn: 'admin', name: 'deleteKb', caller: 'demo-operator', event: () => ({ action: 'deleteKb', id: 'kb-does-not-exist' }) },
  { fn: 'admin', name: 'calendar', caller: 'demo-operator', event: () => ({ action: 'calendar' }) },
  { fn: 'admin', name: 'putCalendar', caller: 'demo-operator', event: () => ({ action: 'putCalendar', year: { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] } }) },
  { fn: 'admin', name: 'parseNotice', caller: 'demo-operator', event: () => ({ action: 'parseNotice', text: NOTICE_2026 }) },
  { fn: 'admin', name: 'importNotice', caller: 'demo-operator', event: () => ({ action: 'importNotice', text: NOTICE_2026, year: 2026 }) },
  { fn: 'admin', name: 'profile', caller: 'demo-operator', event: () => ({ action: 'profile' }) },
  { fn: 'admin', name: 'contentWords', caller: 'demo-operator', event: () => ({ action: 'contentWords' }) },
  { fn: 'admin', name: 'putContentWords', caller: 'demo-operator', event: () => ({ action: 'putContentWords', words: ['测试违禁词'] }) },
  { fn: 'admin', name: 'previewProfile', caller: 'demo-operator', event: () => ({ action: 'previewProfile', profileId: 'linyi', overrides: [{ path: 'supervision.manyRequesters.count', value: 6 }] }) },
  { fn: 'admin', name: 'templates', caller: 'demo-operator', event: () => ({ action: 'templates' }) },
  { fn: 'admin', name: 'putTemplate', caller: 'demo-operator', event: () => ({ action: 'putTemplate', template: { kind: 'refusal', title: '诉讼中', text: '您反映的事项已进入诉讼程序，请依法定程序处理。' } }) },
  { fn: 'admin', name: 'deleteTemplate', caller: 'demo-operator', event: () => ({ action: 'deleteTemplate', id: 'tpl-does-not-exist' }) },
  { fn: 'admin', name: 'setProfile', caller: 'demo-operator', event: () => ({ action: 'setProfile', profileId: 'baiyin', overrides: [{ path: 'reminders.dueSoonAt', value: [0.5, 0.8] }] }) },

  { fn: 'media', name: 'register', caller: 'demo-resident', event: () => ({ action: 'register', fileId: ids.ownFile }) },
  { fn: 'media', name: 'url', caller: 'demo-resident', event: () => ({ action: 'url', fileId: ids.ownFile }) },

  { fn: 'timer', name: 'run', caller: null, event: () => ({ action: 'run' }) },
];

// ---------------------------------------------------------------------------------------------
// Malformed values
// ---------------------------------------------------------------------------------------------

const K100 = 100_000;
const HUGE = [
  'a'.repeat(K100),
  '字'.repeat(K100),
  '😀'.repeat(K100 / 2),
  '\ud800'.repeat(K100),
  '\u202e\u200b'.repeat(K100 / 2),
  '9'.repeat(K100),
  '../'.repeat(K100 / 3),
  `local:${'a'.repeat(K100)}.png`,
];
const UNICODE = [
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'a\ud83dz', // a broken pair
  '\u202eevil\u202c', // RTL override
  '\u200f\u200e', // RTL/LTR marks
  '\u200b\u200c\u200d\ufeff', // zero-width
  '👨‍👩‍👧‍👦', // a joined emoji family
  '🏳️‍🌈', // flag sequence
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  '\u0000', // NUL
  'line\u2028sep\u2029para',
  '\ufffe\uffff',
  '𠮷野家', // outside the BMP
  'Ａｄｍｉｎ', // full-width
  'ѕubmit', // a Cyrillic look-alike
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '${jndi:ldap://x}',
  '%00%2e%2e%2f',
  ' submit ',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const otherIds = () => fc.constantFrom(ids.theirs, ids.theirsNumber, ids.elsewhere, ids.theirFile, ids.staffFile, 'u-shichang', 'demo-operator');

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, -(2 ** 63), 1e308, [], {}, '', ' ', '0', 'true', 'null') },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE) },
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt().map((b) => Number(b))) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 200 }) },
  { weight: 1, arbitrary: fc.object({ maxDepth: 2, maxKeys: 5 }) },
  { weight: 2, arbitrary: fc.constant(null).chain(() => otherIds()) },
);

/** A value nested `depth` levels deep (objects or arrays), built without recursion. */
function nest(depth: number, arrays: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

type Path = (string | number)[];

/** Every path to a value inside the event (the event itself is []). */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (v && typeof v === 'object' && at.length < 6) for (const [k, child] of Object.entries(v)) paths(child, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function getAt(root: unknown, p: Path): unknown {
  let v = root;
  for (const k of p) v = (v as Record<string | number, unknown>)?.[k];
  return v;
}

/** Sets (or, with `remove`, deletes) the value at `p`; the root itself is replaced through the return value. */
function setAt(root: unknown, p: Path, value: unknown, remove = false): unknown {
  if (p.length === 0) return value;
  const parent = getAt(root, p.slice(0, -1));
  if (!parent || typeof parent !== 'object') return root;
  const k = p[p.length - 1]!;
  if (remove) {
    if (Array.isArray(parent) && typeof k === 'number') parent.splice(k, 1);
    else delete (parent as Record<string, unknown>)[k];
  } else {
    Object.defineProperty(parent, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** Adds an own key `__proto__` / `constructor` / `prototype` to the object at `p`, through JSON.parse. */
function addProtoKey(root: unknown, p: Path, key: string, value: unknown): unknown {
  const target = getAt(root, p);
  if (!target || typeof target !== 'object' || Array.isArray(target)) return root;
  const PLACEHOLDER = '__fuzz_proto_placeholder__';
  Object.defineProperty(target, PLACEHOLDER, { value, enumerable: true, writable: true, configurable: true });
  const json = JSON.stringify(root, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  const parsed: unknown = JSON.parse(json.replace(`"${PLACEHOLDER}"`, JSON.stringify(key)));
  return parsed;
}

type Mutation = (event: unknown) => unknown;

function mutationArb(template: unknown): fc.Arbitrary<{ label: string; apply: Mutation }> {
  const all = paths(template);
  const inner = all.filter((p) => p.length > 0);
  const objects = all.filter((p) => {
    const v = getAt(template, p);
    return v && typeof v === 'object' && !Array.isArray(v);
  });
  const anyPath = fc.constantFrom(...all);
  const innerPath = inner.length ? fc.constantFrom(...inner) : anyPath;
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(innerPath, badValue).map(([p, v]) => ({ label: `set ${p.join('.')}`, apply: (e: unknown) => setAt(e, p, v) })) },
    { weight: 2, arbitrary: innerPath.map((p) => ({ label: `remove ${p.join('.')}`, apply: (e: unknown) => setAt(e, p, undefined, true) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...objects), fc.oneof(fc.constantFrom('role', 'unitId', 'userId', 'openid', 'actor', 'extra', ''), fc.string({ unit: 'binary', maxLength: 10 })), badValue).map(([p, k, v]) => ({
        label: `add key ${JSON.stringify(k)} at ${p.join('.')}`,
        apply: (e: unknown) => setAt(e, [...p, k], v),
      })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...objects), fc.constantFrom(...PROTO_KEYS), fc.constantFrom<unknown>({ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, { isAdmin: true, roles: ['operator'] }, 'polluted', null)).map(([p, k, v]) => ({
        label: `proto key ${k} at ${p.join('.')}`,
        apply: (e: unknown) => addProtoKey(e, p, k, v),
      })),
    },
    { weight: 2, arbitrary: anyPath.map((p) => ({ label: `wrap in array ${p.join('.')}`, apply: (e: unknown) => setAt(e, p, [clone(getAt(e, p))]) })) },
    { weight: 1, arbitrary: fc.tuple(innerPath, fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([p, d, arrays]) => ({ label: `nest ${d} deep at ${p.join('.')}`, apply: (e: unknown) => setAt(e, p, nest(d, arrays)) })) },
    { weight: 2, arbitrary: fc.tuple(innerPath, otherIds()).map(([p, id]) => ({ label: `other id at ${p.join('.')}`, apply: (e: unknown) => setAt(e, p, id) })) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('submit', 'SUBMIT', 'get ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'ѕubmit', 7, null, ['get']).map((a) => ({ label: `action ${String(a)}`, apply: (e: unknown) => setAt(e, ['action'], a) })) },
  );
}

// ---------------------------------------------------------------------------------------------
// The check applied to every input
// ---------------------------------------------------------------------------------------------

const fakeSigner = (uid: string) => `fuzz-token-${uid}`;

/** Actions that only read: accepted or refused, they write nothing (rate_hits aside). */
const READS = new Set([
  'audit', 'briefing', 'collective', 'briefingXlsx', 'calendar', 'contentWords', 'counts', 'credits', 'demoUsers', 'exportCsv', 'failedNotices', 'figureTickets', 'figures', 'frequentRequesters', 'get',
  'hotspots', 'inbox', 'kb', 'kbPending', 'kbSearch', 'kbStale', 'cases', 'listMine', 'lookup', 'messages', 'nearby', 'parseNotice', 'profile', 'queue', 'rates', 'repeated', 'scenes', 'sessions',
  'suggestUnits', 'trend', 'units', 'users', 'warnings', 'whoami',
]);

async function check(fn: string, caller: string | null, event: unknown, label: string): Promise<void> {
  const before = rig.writes();
  const t0 = Date.now();
  let result: unknown;
  try {
    result = await rig.call(caller, fn, event, { signToken: fakeSigner, ip: '192.0.2.1' });
  } catch (e) {
    throw new Error(`${fn} (${label}) threw: ${String(e)}`);
  }
  const ms = Date.now() - t0;
  stats.inputs++;
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowest = `${fn} ${label}`;
  }
  expectStructured(result, `${fn} ${label}`);
  const r = result as { ok: boolean };
  // Any row inserted, updated or deleted in a data table (rate_hits aside) is a write; checked for every input.
  const after = rig.writes();
  const wrote = JSON.stringify(after) !== JSON.stringify(before);
  const action = (event as { action?: unknown } | null)?.action;
  if (r.ok) {
    stats.accepted++;
    if (wrote && typeof action === 'string' && READS.has(action)) throw new Error(`${fn} (${label}) only reads but wrote: ${JSON.stringify(diff(before, after))}`);
    if (wrote) stats.acceptedWrites++;
  } else {
    stats.refused++;
    if (wrote) throw new Error(`${fn} (${label}) was refused but wrote: ${JSON.stringify(diff(before, after))}`);
  }
  expectUnpolluted(`${fn} ${label}`);
}

function diff(a: Record<string, number>, b: Record<string, number>) {
  return Object.fromEntries(Object.keys(b).filter((k) => a[k] !== b[k]).map((k) => [k, `${a[k]} → ${b[k]}`]));
}

function expectStructured(result: unknown, label: string): void {
  const r = result as { ok?: unknown; code?: unknown; message?: unknown; data?: unknown };
  if (!r || typeof r !== 'object' || typeof r.ok !== 'boolean') throw new Error(`${label}: not { ok, … }: ${String(result)}`);
  if (r.ok) return;
  if (typeof r.code !== 'string' || !KNOWN_CODES.includes(r.code)) throw new Error(`${label}: unknown code ${String(r.code)}`);
  if (r.code === 'internal') throw new Error(`${label}: an unexpected exception (code 'internal')`);
  if (typeof r.message !== 'string' || !r.message) throw new Error(`${label}: no message`);
  const leak = leaksInternals(r.message);
  if (leak) throw new Error(`${label}: the message gives away a ${leak}: ${r.message.slice(0, 300)}`);
  if (r.message.length > 300) throw new Error(`${label}: a ${r.message.length}-character message (the input echoed back?): ${r.message.slice(0, 200)}…`);
  if (!HAN.test(r.message)) throw new Error(`${label}: the message is not Chinese: ${r.message}`);
  if (/[\ud800-\udfff]/.test(r.message.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) throw new Error(`${label}: the message carries a lone surrogate from the input`);
}

function expectUnpolluted(label: string): void {
  const probe = {} as Record<string, unknown>;
  if (
    probe.polluted !== undefined ||
    probe.isAdmin !== undefined ||
    Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTO_NAMES ||
    Object.getOwnPropertyNames(Array.prototype).sort().join(',') !== ARRAY_PROTO_NAMES ||
    ([] as unknown as Record<string, unknown>).polluted !== undefined
  ) {
    throw new Error(`${label}: Object.prototype or Array.prototype was polluted`);
  }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe('every function and action', () => {
  it('has a template here (a new action must be added to the fuzzer)', () => {
    const covered = new Set(TARGETS.map((t) => `${t.fn}.${t.name.split(':')[0]}`));
    const all = Object.entries(API).flatMap(([fn, actions]) => Object.keys(actions).map((a) => `${fn}.${a}`));
    expect(all.filter((a) => !covered.has(a))).toEqual([]);
    // …and every command type each function accepts.
    const commandTypes = (fn: 'resident' | 'staff' | 'operator') => {
      const union = (API[fn] as Record<string, { shape: { command?: { options: { shape: { type: { value: string } } }[] } } }>).command!.shape.command!.options;
      return union.map((o) => o.shape.type.value).sort();
    };
    for (const fn of ['resident', 'staff', 'operator'] as const) {
      expect(TARGETS.filter((t) => t.fn === fn && t.name.startsWith('command:')).map((t) => t.name.slice('command:'.length)).sort()).toEqual(commandTypes(fn));
    }
  });

  it('the templates are mostly valid (so the mutations start close to the real thing)', async () => {
    const refused: string[] = [];
    for (const t of TARGETS) {
      const r = await rig.call(t.caller, t.fn, t.event(), { signToken: fakeSigner });
      if (!r.ok && r.code === 'invalid-input') refused.push(`${t.fn}.${t.name}: ${r.message}`);
    }
    expect(refused).toEqual([]);
  });

  it.each(TARGETS.map((t) => [`${t.fn}.${t.name}`, t] as const))('%s: malformed events get a structured refusal, write nothing, pollute nothing', async (_name, t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationArb(t.event()), { minLength: 1, maxLength: 3 }),
        fc.constantFrom<string | null>(t.caller, t.caller, t.caller, 'demo-resident2', 'demo-staff-zj', null),
        async (mutations, caller) => {
          let event: unknown = t.event();
          for (const m of mutations) event = m.apply(event);
          await check(t.fn, caller, event, mutations.map((m) => m.label).join('; '));
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it.each(Object.keys(API))('%s: events of any shape (fc.anything, JSON values, arrays) get a structured refusal', async (fn) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }), fc.jsonValue({ maxDepth: 4 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 })),
        async (event) => {
          await check(fn, fn === 'timer' || fn === 'auth' ? null : ({ stats: 'demo-operator', admin: 'demo-operator', operator: 'demo-operator', staff: 'demo-staff-cg' } as Record<string, string>)[fn] ?? 'demo-resident', event, `anything: ${safeLabel(event)}`);
        },
      ),
      { numRuns: GARBAGE_RUNS, seed: SEED, endOnFailure: true },
    );
  });
});

function safeLabel(v: unknown): string {
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 120);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

describe('ids of other users’ tickets and files', () => {
  it('are refused with not-found or file-not-owned, whatever the action, and write nothing', async () => {
    const cases: [string, string, unknown, string[]][] = [
      ['demo-resident', 'resident', { action: 'get', ticketId: ids.theirs }, ['not-found']],
      ['demo-resident', 'resident', { action: 'command', command: { type: 'withdraw', ticketId: ids.theirs } }, ['not-found']],
      ['demo-resident', 'resident', { action: 'command', command: { type: 'rate', ticketId: ids.theirs, value: 'satisfied' } }, ['not-found']],
      ['demo-resident', 'resident', { action: 'command', command: { type: 'requestRework', ticketId: ids.theirs, reason: '不满意' } }, ['not-found']],
      ['demo-resident', 'resident', { action: 'command', command: { type: 'answer', ticketId: ids.theirs, answer: '看到了', articleId: 'kb-shebaoka' } }, ['not-found']],
      ['demo-resident', 'resident', { action: 'submit', input: rig.submitInput({ attachments: [{ fileId: ids.theirFile, kind: 'image' }] }) }, ['file-not-owned']],
      ['demo-resident', 'media', { action: 'url', fileId: ids.theirFile }, ['file-not-owned', 'not-found']],
      ['demo-resident', 'media', { action: 'register', fileId: ids.theirFile }, ['file-not-owned', 'not-found']],
      ['demo-grid', 'resident', { action: 'get', ticketId: ids.own }, ['not-found']],
      ['demo-staff-zj', 'staff', { action: 'get', ticketId: ids.elsewhere }, ['not-found']],
      ['demo-staff-zj', 'staff', { action: 'command', command: { type: 'sign', ticketId: ids.elsewhere } }, ['not-found']],
      ['demo-staff-cg', 'staff', { action: 'command', command: { type: 'reply', ticketId: ids.theirs, result: '已处理，经现场核实已办结', handler: '刘洋', attachments: [{ fileId: ids.theirFile, kind: 'image' }] } }, ['file-not-owned']],
      ['demo-staff-zj', 'staff', { action: 'command', command: { type: 'assistFeedback', ticketId: ids.theirs, note: '意见', attachments: [{ fileId: ids.ownFile, kind: 'image' }] } }, ['file-not-owned']],
    ];
    for (const [who, fn, event, codes] of cases) {
      const before = rig.writes();
      const r = await rig.call(who, fn, event);
      expect({ who, fn, code: r.ok ? 'ok' : r.code }).toEqual({ who, fn, code: expect.stringMatching(new RegExp(`^(${codes.join('|')})$`)) });
      expect(rig.writes()).toEqual(before);
      stats.inputs++;
    }
  });
});

describe('prototype pollution, on purpose', () => {
  it('JSON-built __proto__ / constructor.prototype payloads at every level never reach Object.prototype', async () => {
    const payloads = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"prototype":{"polluted":"yes"}}',
      '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
    ];
    const spots: [string, string | null, (p: string) => string][] = [
      ['auth', 'demo-resident', (p) => `{"action":"whoami",${p.slice(1, -1)}}`],
      ['resident', 'demo-resident', (p) => `{"action":"submit","input":${JSON.stringify(rig.submitInput()).slice(0, -1)},${p.slice(1, -1)}}}`],
      ['resident', 'demo-resident', (p) => `{"action":"submit","input":${JSON.stringify({ ...rig.submitInput(), location: { address: '甲' } }).replace('{"address":"甲"}', p)}}`],
      ['operator', 'demo-operator', (p) => `{"action":"command","command":{"type":"supervise","ticketId":"${ids.elsewhere}","level":1,"method":"system",${p.slice(1, -1)}}}`],
      ['admin', 'demo-operator', (p) => `{"action":"setProfile","profileId":"baiyin","overrides":[{"path":"reminders.dueSoonAt","value":${p}}]}`],
      ['admin', 'demo-operator', (p) => `{"action":"putUnit","unit":{"id":"u-p","name":"甲","categories":[],"areas":[],"active":true,${p.slice(1, -1)}}}`],
      ['stats', 'demo-operator', (p) => `{"action":"hotspots","from":0,"to":1,${p.slice(1, -1)}}`],
    ];
    for (const payload of payloads) {
      for (const [fn, who, build] of spots) {
        const event: unknown = JSON.parse(build(payload));
        await check(fn, who, event, `payload ${payload} in ${fn}`);
      }
    }
    // Profile override paths that walk into the prototype chain.
    for (const p of ['__proto__.polluted', 'constructor.prototype.polluted', 'reminders.__proto__.polluted', 'reminders.dueSoonAt.constructor', 'prototype']) {
      await check('admin', 'demo-operator', { action: 'setProfile', profileId: 'baiyin', overrides: [{ path: p, value: 1 }] }, `override path ${p}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Inputs that could block the event loop, each in a child process with a timeout
// ---------------------------------------------------------------------------------------------

function runIsolated(fn: string, event: unknown, caller: string, timeoutMs = 6_000): { hung: boolean; result: unknown; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('test', 'reliability', 'isolatedCall.ts'), fn, JSON.stringify(event), caller], {
    cwd: REPO,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  stats.isolated++;
  const ms = Date.now() - t0;
  if (r.error || r.signal) return { hung: true, result: null, ms };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { hung: false, result: JSON.parse(line), ms };
  } catch {
    return { hung: false, result: { unparsable: r.stdout.slice(0, 500), stderr: r.stderr.slice(0, 500) }, ms };
  }
}

describe('statistics periods far in the future (one call must not stall the server)', () => {
  // 2^83 ms: a week (6.048e8 ms) is less than half the spacing of doubles there, so `w += WEEK` stands still.
  const from = 2 ** 83;
  it('stats.trend with from = 2^83 answers (in a child process, 6 s at most)', () => {
    const action = 'trend';
    const event = { action, from, to: from + 2 ** 33 };
    const { hung, result, ms } = runIsolated('stats', event, 'demo-operator');
    expect({ action, hung, ms: hung ? ms : 'answered' }).toEqual({ action, hung: false, ms: 'answered' });
    expectStructured(result, `stats.${action} from=2^83`);
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP: the bytes before the router
// ---------------------------------------------------------------------------------------------

describe('over HTTP', () => {
  it('malformed bodies, methods, paths and headers get a JSON refusal with a known code; the server stays up', async () => {
    const srv = await serveRig(rig);
    try {
      const token = await login(srv.base, 'demo-resident');
      const auth = { authorization: `Bearer ${token}` };
      const bodies: (string | Buffer)[] = [
        '',
        '{',
        'null',
        '[]',
        '"whoami"',
        '{"action":"whoami"',
        '\ufeff{"action":"listMine"}',
        '{"action":"listMine","action":"submit"}',
        '{"__proto__":{"polluted":"yes"},"action":"listMine"}',
        '{"constructor":{"prototype":{"polluted":"yes"}},"action":"listMine"}',
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        `{"action":"listMine","x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
        Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0xa0, 0xa1]),
        Buffer.from('{"action":"kbSearch","text":"\xed\xa0\x80\xed\xb0\x80"}', 'latin1'),
        '{"action":"kbSearch","text":"\\ud800"}',
        '{"action":"listMine","limit":1e999}',
        '{"action":"listMine","limit":-0}',
      ];
      for (const fn of ['auth', 'resident', 'staff', 'operator', 'stats', 'admin', 'media', 'timer']) {
        for (const body of bodies) {
          const r = await request<{ ok: boolean; code?: string; message?: string }>(srv.base, 'POST', `/api/${fn}`, body, { ...auth, 'content-type': 'application/json' });
          stats.http++;
          expect({ fn, body: String(body).slice(0, 40), status: r.status < 500 }).toEqual({ fn, body: String(body).slice(0, 40), status: true });
          if (typeof r.body !== 'object') throw new Error(`${fn}: not JSON: ${String(r.body).slice(0, 100)}`);
          if (!r.body.ok) expectStructured(r.body, `HTTP ${fn} ${String(body).slice(0, 40)}`);
          expectUnpolluted(`HTTP ${fn}`);
        }
      }
      for (const [method, url] of [
        ['GET', '/api/resident'],
        ['PUT', '/api/resident'],
        ['DELETE', '/api/operator'],
        ['POST', '/api/RESIDENT'],
        ['POST', '/api/resident/'],
        ['POST', '/api/nothing'],
        ['POST', '/api/__proto__'],
        ['POST', '/api/constructor'],
        ['POST', '/api/toString'],
        ['POST', '/api/resident?action=submit'],
      ] as const) {
        const r = await request<{ ok: boolean; code?: string }>(srv.base, method, url, method === 'GET' ? undefined : '{"action":"listMine"}', auth);
        stats.http++;
        // Paths that are not a function fall through to the H5 app (503 while it is not built): never a 500.
        expect({ method, url, internal: r.status === 500 }).toEqual({ method, url, internal: false });
        if (typeof r.body === 'object' && r.body && !r.body.ok) expect(KNOWN_CODES).toContain(r.body.code);
      }
      expect((await request(srv.base, 'GET', '/healthz')).status).toBe(200);
      expect((await request<{ ok: boolean; data: { id: string } }>(srv.base, 'POST', '/api/auth', { action: 'whoami' }, auth)).body.data.id).toBe('demo-resident');
    } finally {
      await srv.close();
    }
  });
});

