/** Hand-written parts of docs/api.md: what each action returns, its own error codes, and an example event. */
export interface ApiNote {
  summary: string;
  output: string;
  errors: string[];
  example: Record<string, unknown>;
  /** null: the call needs no token. */
  as?: null;
}

const T = 't_ticket_id';
const sample = {
  clientRequestId: 'c7d1e2f3a4b5',
  type: 'complaint',
  category: '噪声扰民',
  content: '小区旁工地夜间施工噪声很大，影响休息',
  location: { area: '东区街道', address: '滨河路12号' },
  contact: { name: '张明', phone: '13800001234' },
};

export const API_NOTES: Record<string, ApiNote> = {
  'auth.login': { summary: 'Local runtime only: signs in a demo user and returns a session token (7 days).', output: '`{ token, user: { id, name, roles, unitId, unitName } }`.', errors: ['not-found', 'forbidden'], example: { userId: 'demo-resident' }, as: null },
  'auth.whoami': { summary: 'The signed-in user as the server knows them.', output: '`{ id, name, roles, unitId, unitName }`.', errors: ['unauthenticated'], example: {} },
  'auth.demoUsers': { summary: 'Local runtime only: the demo users for the sign-in picker.', output: '`[{ id, name, roles, unitId, unitName }]`.', errors: ['forbidden'], example: {}, as: null },
  'auth.redeemInvite': { summary: 'A staff member joins the unit of an invite code issued by an operator (single use, expires).', output: 'The updated user `{ id, name, roles, unitId, unitName }`.', errors: ['invite-invalid', 'unauthenticated'], example: { code: 'K7Q2M9XD', name: '刘洋' } },
  'resident.submit': { summary: 'A new request. The same `clientRequestId` again returns the first ticket. Attachments must be the caller\'s own uploads.', output: '`{ ticket, created, expected: { span, basis, article } }`; `expected.basis` reads like "依据《…》第十二条，5个工作日内办结".', errors: ['rate-limited', 'duplicate-submission', 'content-refused', 'file-not-owned', 'file-type-not-allowed'], example: { input: sample } },
  'resident.get': { summary: 'One of the caller\'s tickets with its public timeline and current deadline.', output: '`{ ticket, timeline: [{ seq, label, at, stateLabel, note }], deadline: { kind, dueAt, basis, article } | null, actions, rating, rework }`.', errors: ['not-found'], example: { ticketId: T } },
  'resident.listMine': { summary: 'The caller\'s tickets (submitted by them or for them), newest first.', output: '`{ items: [{ id, number, title, stateLabel, dueAt, ... }], next }`; pass `next` as `cursor`.', errors: [], example: { limit: 20 } },
  'resident.lookup': { summary: 'Look-up by ticket number plus the last four digits of the requester\'s phone (for phone reports). Rate-limited per user and address.', output: '`{ ticket: { number, title, labels, ... }, timeline, deadline }` without notes or attachments.', errors: ['not-found', 'lookup-rate-limited'], example: { number: 'M261121ABCDEFG', phoneTail: '1234' } },
  'resident.command': { summary: 'The requester\'s commands: `rate`, `requestRework`, `withdraw`, `answer` (accept an instant answer from the knowledge base).', output: '`{ ticket, event: { seq, type, to } }`.', errors: ['content-refused', 'not-found', 'not-requester', 'illegal-transition', 'ticket-closed', 'stale-version', 'rating-invalid', 'rating-reason-required', 'already-rated', 'rework-not-allowed', 'rework-limit-reached', 'withdraw-not-allowed'], example: { command: { type: 'rate', ticketId: T, value: 'satisfied' } } },
  'resident.kbSearch': { summary: 'Knowledge-base answers that match a question ("这些回答能解决您的问题吗？").', output: '`[{ id, title, answer }]`, best first, at most 5.', errors: [], example: { text: '社保卡丢了怎么补办' } },
  'resident.scene': { summary: 'The place, grid and category a QR scene carries.', output: '`{ id, place, area, grid, category }`.', errors: ['not-found'], example: { id: 'park-binhe' } },
  'resident.profile': { summary: 'What a resident is told of the policy profile in force: rating scale, rework, withdrawal, confidentiality, categories.', output: '`{ id, regulation, place, platformName, requestTypes, rating, rework, withdrawal, confidentiality, categories }`.', errors: [], example: {} },
  'resident.subscribe': { summary: 'Records the subscription-message templates the user accepted with `requestSubscribeMessage`.', output: 'Remaining credits per template `{ progress: 2, ... }`.', errors: [], example: { accepted: ['progress'] } },
  'staff.inbox': { summary: 'The unit\'s tickets, nearest deadline first, with an optional filter.', output: '`{ items: [{ id, number, title, stateLabel, dueAt, overdue, requesterShown (masked), ... }], next, warningWindow }`.', errors: [], example: { filter: 'toSign' } },
  'staff.counts': { summary: 'Badge counts per inbox filter (capped at 100).', output: '`{ toSign, inProgress, returned, extensionPending, rework, supervised }`.', errors: [], example: {} },
  'staff.get': { summary: 'A ticket of the unit: the request, media, timeline, the requester as the profile allows, and the rules of each action.', output: '`{ ticket, timeline, deadline, actions, myRole, rules }`.', errors: ['not-found'], example: { ticketId: T } },
  'staff.command': { summary: 'The unit\'s commands: `sign`, `contact`, `requestReturn`, `requestExtension`, `assistFeedback`, `reply`.', output: '`{ ticket, event: { seq, type, to } }`.', errors: ['content-refused', 'not-found', 'not-assignee', 'not-lead-unit', 'illegal-transition', 'stale-version', 'return-window-passed', 'extension-limit-reached', 'extension-too-long', 'extension-after-deadline', 'extension-not-allowed', 'case-number-required', 'file-not-owned'], example: { command: { type: 'sign', ticketId: T } } },
  'staff.credits': { summary: 'How many reminders the staff member can still receive per template (one-time subscriptions run out).', output: '`{ assigned: 1, dueSoon: 0, ... }`.', errors: [], example: {} },
  'staff.subscribe': { summary: 'Records accepted reminder templates (top-up after `requestSubscribeMessage`).', output: 'Remaining credits per template.', errors: [], example: { accepted: ['assigned', 'dueSoon', 'overdue', 'supervised'] } },
  'staff.messages': { summary: 'The notices delivered to this user (the local outbox; in production the delivery log).', output: '`[{ template, ticketId, notice: { title, status, summary, at }, status, attempts }]`.', errors: [], example: { limit: 20 } },
  'operator.queue': { summary: 'A work queue: intake, dispatch, returns, extensions, results, revisit, supervision, or all.', output: '`{ items, next }`.', errors: [], example: { queue: 'intake' } },
  'operator.get': { summary: 'A ticket with everything an operator needs: timeline, deadline, permitted actions, the profile\'s non-acceptance grounds, supervision levels.', output: '`{ ticket, timeline, deadline, actions, grounds, supervisionLevels, escalation, rating, clockPauses }`.', errors: ['not-found'], example: { ticketId: T } },
  'operator.command': { summary: 'Platform commands: `accept`, `answer`, `refuse`, `dispatch`, `reviewReturn`, `reviewExtension`, `reviewResult`, `revisit`, `requestRework`, `supervise`, `escalate`, `terminate`, `close`, `pauseClock`, `resumeClock`.', output: '`{ ticket, event: { seq, type, to } }`.', errors: ['content-refused', 'not-found', 'illegal-transition', 'ticket-closed', 'stale-version', 'unknown-ground', 'unit-not-found', 'supervision-level-invalid', 'rating-invalid'], example: { command: { type: 'dispatch', ticketId: T, mode: 'lead', unitIds: ['u-chengguan'], assistUnitIds: ['u-dongqu'] } } },
  'operator.suggestUnits': { summary: 'Units ranked for a ticket by past dispatches of its category, declared categories and areas.', output: '`[{ id, name, score, pastDispatches }]`.', errors: ['not-found'], example: { ticketId: T } },
  'operator.submit': { summary: 'A request taken by phone, on behalf of a resident (name and phone required).', output: 'As `resident.submit`.', errors: ['invalid-input', 'duplicate-submission'], example: { input: { ...sample, clientRequestId: 'p7d1e2f3a4b5', channel: 'phone' } } },
  'operator.messages': { summary: 'The notices delivered to this operator.', output: 'As `staff.messages`.', errors: [], example: { limit: 20 } },
  'stats.figures': { summary: 'Assessment figures per unit and for all units (`unitId: "*"`) over a period: response, resolution, satisfaction and on-time rates with numerators and denominators, extension and return counts.', output: '`[{ unitId, unitName, response: { numerator, denominator, rate }, resolution, satisfaction, onTime, extensions, returns }]`.', errors: [], example: { from: 1793462400000, to: 1796140800000 } },
  'stats.trend': { summary: 'The figures week by week (weeks start Monday, Asia/Shanghai).', output: '`[{ weekStart, submitted, figures }]`.', errors: [], example: { from: 1793462400000, to: 1796140800000 } },
  'stats.hotspots': { summary: 'Requests by category and by area.', output: '`{ byCategory: [{ key, count }], byArea: [{ key, count }] }`.', errors: [], example: { from: 1793462400000, to: 1796140800000 } },
  'stats.repeated': { summary: 'Repeated requests: several tickets on one category and place.', output: '`[{ category, place, count, requesters, numbers }]`.', errors: [], example: { from: 1793462400000, to: 1796140800000 } },
  'stats.frequentRequesters': { summary: 'Requesters with at least `min` tickets in the period (masked).', output: '`[{ requester, phone, count, categories }]`.', errors: [], example: { from: 1793462400000, to: 1796140800000, min: 3 } },
  'stats.exportCsv': { summary: 'CSV (UTF-8 with BOM, for Excel) of the tickets or of the figures.', output: '`{ filename, csv }`.', errors: [], example: { kind: 'figures', from: 1793462400000, to: 1796140800000 } },
  'admin.units': { summary: 'All handling units.', output: '`[{ id, name, categories, areas, active }]`.', errors: [], example: {} },
  'admin.putUnit': { summary: 'Creates or updates a unit with its categories and areas.', output: 'The unit.', errors: [], example: { unit: { id: 'u-wenlv', name: '市文化和旅游局', categories: ['文旅市场'], areas: [], active: true } } },
  'admin.invite': { summary: 'Issues a staff invite code for a unit.', output: '`{ code, unitId, expiresAt }`.', errors: ['unit-not-found'], example: { unitId: 'u-chengguan', days: 7 } },
  'admin.users': { summary: 'Users, optionally of one unit.', output: '`[{ id, name, roles, unitId }]`.', errors: [], example: { unitId: 'u-chengguan' } },
  'admin.scenes': { summary: 'QR scenes.', output: '`[{ id, place, area, grid, category, createdAt }]`.', errors: [], example: {} },
  'admin.putScene': { summary: 'Creates or updates a QR scene (id ≤ 32 characters, carried by the code).', output: 'The scene.', errors: [], example: { scene: { id: 'park-binhe', place: '滨河公园南门', area: '东区街道', category: '市容环境' } } },
  'admin.poster': { summary: 'A printable poster image for a scene: locally a QR code of the H5 URL with `?scene=`; in production a mini-program code from `wxacode.getUnlimited`.', output: '`{ scene, platformName, image: "data:image/png;base64,...", url?, kind }`.', errors: ['not-found'], example: { sceneId: 'park-binhe' } },
  'admin.kb': { summary: 'Knowledge-base articles.', output: '`[{ id, title, answer, keywords, category, unitId, updatedAt }]`.', errors: [], example: {} },
  'admin.putKb': { summary: 'Creates or updates an article, kept by a unit.', output: 'The article.', errors: ['unit-not-found'], example: { article: { title: '居住证怎么办理？', answer: '持身份证和居住证明到派出所申领。', keywords: ['居住证'] } } },
  'admin.deleteKb': { summary: 'Deletes an article.', output: '`{ id }`.', errors: ['not-found'], example: { id: 'kb-juzhuzheng' } },
  'admin.calendar': { summary: 'The years the working-day calendar covers: built in, and loaded by operators.', output: '`{ builtIn: [2004, ...], loaded: [{ year, holidays, makeUpWorkdays }] }`.', errors: [], example: {} },
  'admin.putCalendar': { summary: 'Loads the official holiday arrangement of a year the built-in data lacks (deadlines in that year are refused with `calendar-year-missing` until then).', output: '`{ year, holidays, makeUpWorkdays }` counts.', errors: ['calendar-invalid'], example: { year: { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] } } },
  'admin.profile': { summary: 'The policy profile in force, its overrides, and the available profiles.', output: '`{ current, overrides, available: [{ id, regulation, place }] }`.', errors: [], example: {} },
  'admin.contentWords': { summary: 'The word list user text is checked against (submissions, replies, notes). Self-hosted it is the only check; on CloudBase it runs before WeChat\'s security.msgSecCheck.', output: '`{ words, updatedAt, max }`.', errors: [], example: {} },
  'admin.putContentWords': { summary: 'Replaces the word list. Matching ignores case, width, spaces and punctuation; duplicates after that are dropped.', output: '`{ words, updatedAt, max }`.', errors: ['invalid-input'], example: { words: ['示例违禁词'] } },
  'admin.setProfile': { summary: 'Chooses the profile in force, with overrides of platform-set numbers only.', output: '`{ id, regulation }`.', errors: ['profile-invalid'], example: { profileId: 'pingli', overrides: [] } },
  'media.register': { summary: 'CloudBase: registers a file uploaded with `wx.cloud.uploadFile` (type by magic bytes, size, duration, owner) and starts the content check of images and audio (WeChat security.mediaCheckAsync; the result arrives by message push to the `media` function and refused files are hidden).', output: '`{ fileId, kind, size, durationSec, check }`; `check` is `pending`, `pass` or `unchecked` (video; the self-hosted runtime).', errors: ['content-refused', 'not-found', 'file-not-owned', 'file-type-not-allowed', 'file-too-large', 'media-too-long'], example: { fileId: 'local:202611/abc123.png' } },
  'media.url': { summary: 'A short-lived URL of a file the caller may see.', output: '`{ url }`.', errors: ['content-refused', 'not-found', 'file-not-owned'], example: { fileId: 'local:202611/abc123.png' } },
  'timer.run': { summary: 'One run of the deadline timer (CloudBase calls it on the cron of `timer/config.json`; only the platform may call it).', output: '`{ runId, claimed, reminders, overdue, supervised, skipped, failed }`.', errors: ['forbidden'], example: {}, as: null },
};
