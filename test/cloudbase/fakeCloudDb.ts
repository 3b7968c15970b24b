/**
 * FakeCloudDb: an in-memory RECORDING FAKE of the `CloudDb` subset of `@cloudbase/node-sdk`
 * (cloudfunctions/adapters/cloudbase/db.ts). It is not CloudBase and proves nothing about
 * CloudBase itself; it lets the adapters run in tests and records every call (collection, method,
 * filter, order, limit, projection, fields, result) so tests can assert the query shapes the
 * adapters send.
 *
 * It reproduces the SDK behaviour the adapters depend on (see db.ts):
 * - `add` with an existing `_id` throws `DATABASE_DUPLICATE_WRITE`; `set`/`update` refuse `_id`;
 *   `set` refuses update operators and replaces the whole document.
 * - `update` merges: nested plain objects are flattened into dotted paths, `_.set(v)` replaces.
 * - `updated` counts documents actually modified (an update that changes nothing reports 0).
 * - a query returns 100 rows without `limit`, never more than 1000.
 * - `doc().get()` is `{ data: [doc] }` outside a transaction, `{ data: doc | null }` inside.
 * - transactions: document operations only; a document written by the transaction and changed by
 *   anyone else before the commit aborts it with `DATABASE_TRANSACTION_CONFLICT`, and
 *   `runTransaction(fn, times = 3)` retries like the SDK (times + 1 attempts).
 * Deliberately stricter than the SDK: a filter value that is `undefined` throws (the SDK silently
 * drops it, which turns `where({ userId: undefined })` into "every user").
 * Every operation yields to the event loop first, so concurrent calls really interleave.
 */
import type {
  CloudAggregate,
  CloudCollection,
  CloudDb,
  CloudDocRef,
  CloudQuery,
  CloudTransaction,
  DbCommand,
  Doc,
  GetResult,
  QueryCommand,
  TxCollection,
  TxDocRef,
  UpdateCommand,
  UpdateResult,
  Where,
} from '../../cloudfunctions/adapters/cloudbase/db';

type QueryOp = 'gt' | 'gte' | 'lt' | 'lte' | 'neq' | 'in' | 'nin' | 'and' | 'or';

export class FakeQueryCommand implements QueryCommand {
  declare readonly __cloudQueryCommand: true;
  constructor(
    readonly op: QueryOp,
    readonly operands: unknown[],
  ) {}
}

export class FakeUpdateCommand implements UpdateCommand {
  declare readonly __cloudUpdateCommand: true;
  constructor(
    readonly op: 'inc' | 'set',
    readonly value: unknown,
  ) {}
}

export class FakeDbError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FakeDbError';
  }
}

export type CallMethod = 'aggregate' | 'get' | 'count' | 'update' | 'remove' | 'add' | 'doc.get' | 'doc.set' | 'doc.update' | 'doc.remove';

/** One recorded call. `query`, `data` are in Mongo-like form: `{ version: { $inc: 1 } }`, `{ $or: [...] }`. */
export interface CallRecord {
  seq: number;
  collection: string;
  method: CallMethod;
  /** Made inside `runTransaction`. */
  tx: boolean;
  docId?: string;
  query?: unknown;
  order?: Array<[string, 'asc' | 'desc']>;
  /** The limit the caller set; undefined when it set none (then the SDK returns 100 rows). */
  limit?: number;
  projection?: Record<string, boolean>;
  data?: unknown;
  result?: unknown;
}

export interface Fault {
  match: (c: Omit<CallRecord, 'seq' | 'result'>) => boolean;
  /** 'before': the call fails and changes nothing; 'after': it is applied, then the caller sees an error (a lost response). */
  when?: 'before' | 'after';
  error?: Error;
  /** How many matching calls fail (default 1). */
  times?: number;
}

const MAX_ROWS = 1000;
const DEFAULT_ROWS = 100;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FakeQueryCommand) && !(v instanceof FakeUpdateCommand);

/** A JSON-like copy: undefined object fields dropped, as the SDK's EJSON serialisation does. */
function clean<T>(v: T): T {
  if (v === undefined) return v;
  return JSON.parse(JSON.stringify(v)) as T;
}

function containsCommand(v: unknown): boolean {
  if (v instanceof FakeQueryCommand || v instanceof FakeUpdateCommand) return true;
  if (Array.isArray(v)) return v.some(containsCommand);
  if (isPlainObject(v)) return Object.values(v).some(containsCommand);
  return false;
}

/** Mongo-like form of filters and update fields, for the records. */
export function describeValue(v: unknown): unknown {
  if (v instanceof FakeQueryCommand) {
    if (v.op === 'in' || v.op === 'nin') return { [`$${v.op}`]: clean(v.operands) };
    if (v.op === 'and' || v.op === 'or') return { [`$${v.op}`]: v.operands.map(describeValue) };
    return { [`$${v.op}`]: clean(v.operands[0]) };
  }
  if (v instanceof FakeUpdateCommand) return { [`$${v.op}`]: clean(v.value) };
  if (Array.isArray(v)) return v.map(describeValue);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeValue(x)]));
  return v;
}

function getPath(doc: Record<string, unknown>, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(cur[part])) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** BSON-like type order: null < numbers < strings < objects < arrays < booleans. */
function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 4;
  if (typeof v === 'object') return 3;
  if (typeof v === 'boolean') return 5;
  return 6;
}

function compare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

/** Comparison operators match only values of the same kind (a number never matches `$gt: 'x'`). */
function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function equalsField(value: unknown, x: unknown): boolean {
  if (x === null) return value === null || value === undefined;
  if (Array.isArray(value) && !Array.isArray(x)) return value.some((v) => deepEqual(v, x));
  return deepEqual(value, x);
}

function matchField(value: unknown, cond: unknown): boolean {
  if (cond === undefined) throw new Error('FakeCloudDb: a filter value is undefined (the SDK would silently drop it)');
  if (cond instanceof FakeUpdateCommand) throw new Error('FakeCloudDb: an update operator in a filter');
  if (!(cond instanceof FakeQueryCommand)) return equalsField(value, cond);
  const [x] = cond.operands;
  switch (cond.op) {
    case 'gt':
      return comparable(value, x) && compare(value, x) > 0;
    case 'gte':
      return comparable(value, x) && compare(value, x) >= 0;
    case 'lt':
      return comparable(value, x) && compare(value, x) < 0;
    case 'lte':
      return comparable(value, x) && compare(value, x) <= 0;
    case 'neq':
      return !equalsField(value, x);
    case 'in':
      return cond.operands.some((o) => equalsField(value, o));
    case 'nin':
      return !cond.operands.some((o) => equalsField(value, o));
    case 'and':
      return cond.operands.every((c) => matchField(value, c));
    case 'or':
      return cond.operands.some((c) => matchField(value, c));
  }
}

function matches(doc: Record<string, unknown>, where: unknown): boolean {
  if (where instanceof FakeQueryCommand) {
    if (where.op === 'and') return where.operands.every((w) => matches(doc, w));
    if (where.op === 'or') return where.operands.some((w) => matches(doc, w));
    throw new Error(`FakeCloudDb: top-level filter must be an object, _.and or _.or (got ${where.op})`);
  }
  if (!isPlainObject(where)) throw new Error('FakeCloudDb: a filter must be an object');
  return Object.entries(where).every(([field, cond]) => {
    if (isPlainObject(cond)) {
      // A nested object is flattened into dotted paths, as the SDK's query serialiser does.
      return Object.entries(cond).every(([k, c]) => matches(doc, { [`${field}.${k}`]: c }));
    }
    return matchField(getPath(doc, field), cond);
  });
}

function validateFilter(where: unknown, field = ''): void {
  if (where === undefined) throw new Error(`FakeCloudDb: filter value of ${field || 'where'} is undefined (the SDK would silently drop it)`);
  if (where instanceof FakeUpdateCommand) throw new Error('FakeCloudDb: an update operator in a filter');
  if (where instanceof FakeQueryCommand) {
    if (where.op === 'and' || where.op === 'or' || where.op === 'in' || where.op === 'nin') where.operands.forEach((o) => validateFilter(o, field));
    else validateFilter(where.operands[0], field);
    return;
  }
  if (isPlainObject(where)) for (const [k, v] of Object.entries(where)) validateFilter(v, field ? `${field}.${k}` : k);
  else if (!field) throw new Error('FakeCloudDb: a filter must be an object, _.and or _.or');
}

/** Update fields as the SDK sends them: dotted paths with $set / $inc / whole-value $set. */
function flattenUpdate(fields: Record<string, unknown>, prefix = ''): Array<[string, FakeUpdateCommand]> {
  const out: Array<[string, FakeUpdateCommand]> = [];
  for (const [k, v] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (v instanceof FakeQueryCommand) throw new Error('FakeCloudDb: a query operator in update fields');
    if (v instanceof FakeUpdateCommand) out.push([path, v]);
    else if (isPlainObject(v)) out.push(...flattenUpdate(v, path));
    else out.push([path, new FakeUpdateCommand('set', v)]);
  }
  return out;
}

function applyUpdate(doc: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [path, cmd] of flattenUpdate(fields)) {
    if (cmd.op === 'set') setPath(doc, path, clean(cmd.value));
    else {
      const cur = getPath(doc, path);
      if (cur !== undefined && typeof cur !== 'number') throw new FakeDbError('DATABASE_REQUEST_FAILED', `cannot $inc non-number ${path}`);
      setPath(doc, path, (typeof cur === 'number' ? cur : 0) + Number(cmd.value));
    }
  }
}

function refuseId(fields: Doc): void {
  if (Object.prototype.hasOwnProperty.call(fields, '_id')) throw new FakeDbError('INVALID_PARAM', '不能更新_id的值');
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface QueryState {
  filter?: Where;
  order: Array<[string, 'asc' | 'desc']>;
  limit?: number;
  projection?: Record<string, boolean>;
}

type Store = Map<string, Map<string, Doc>>;

export class FakeCloudDb implements CloudDb {
  readonly calls: CallRecord[] = [];
  readonly command: DbCommand = {
    gt: (v) => new FakeQueryCommand('gt', [v]),
    gte: (v) => new FakeQueryCommand('gte', [v]),
    lt: (v) => new FakeQueryCommand('lt', [v]),
    lte: (v) => new FakeQueryCommand('lte', [v]),
    neq: (v) => new FakeQueryCommand('neq', [v]),
    in: (vs) => new FakeQueryCommand('in', [...vs]),
    nin: (vs) => new FakeQueryCommand('nin', [...vs]),
    and: (cs) => new FakeQueryCommand('and', [...cs]),
    or: (cs) => new FakeQueryCommand('or', [...cs]),
    inc: (n) => new FakeUpdateCommand('inc', n),
    set: (v) => new FakeUpdateCommand('set', v),
    aggregate: { sum: (v) => ({ $sum: v }) },
  };

  private readonly data: Store = new Map();
  /** Revision of each document (`coll/id`), bumped on every change, kept after removal. */
  private readonly revisions = new Map<string, number>();
  private revision = 0;
  private nextId = 0;
  private seq = 0;
  private faults: Array<Required<Pick<Fault, 'match' | 'when' | 'error'>> & { left: number }> = [];
  private hooks: Array<{ match: Fault['match']; action: () => void }> = [];

  collection(name: string): CloudCollection {
    return new FakeCollection(this, name, { order: [] });
  }

  async runTransaction<T>(fn: (tx: CloudTransaction) => Promise<T>, times = 3): Promise<T> {
    for (let left = times; ; left--) {
      const tx = new FakeTransaction(this);
      try {
        const result = await fn(tx);
        await tick();
        this.commit(tx);
        return result;
      } catch (e) {
        if (left > 0 && e instanceof FakeDbError && e.code === 'DATABASE_TRANSACTION_CONFLICT') continue;
        throw e;
      }
    }
  }

  /** Makes matching calls fail (see Fault). */
  injectFault(f: Fault): void {
    this.faults.push({ match: f.match, when: f.when ?? 'before', error: f.error ?? new FakeDbError('SYS_ERR', 'injected fault'), left: f.times ?? 1 });
  }

  /**
   * Runs `action` once, just before the first matching call executes: another writer acting
   * between the adapter's read and its write. The action may use `seed` to change documents.
   */
  beforeCall(match: Fault['match'], action: () => void): void {
    this.hooks.push({ match, action });
  }

  /** The stored documents of a collection (copies), in insertion order. */
  docs(collection: string): Doc[] {
    return [...(this.data.get(collection)?.values() ?? [])].map((d) => clean(d));
  }

  /** Writes a document directly, unrecorded (test set-up). */
  seed(collection: string, doc: Doc & { _id: string }): void {
    this.coll(collection).set(doc._id, clean(doc));
    this.bump(collection, doc._id);
  }

  callsTo(collection: string, method?: CallMethod): CallRecord[] {
    return this.calls.filter((c) => c.collection === collection && (method === undefined || c.method === method));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  // ---- internals used by the query, document and transaction objects ----

  /** Records the call, applies faults, runs `op` atomically after yielding once. */
  async run<R>(rec: Omit<CallRecord, 'seq' | 'result'>, op: () => R): Promise<R> {
    await tick();
    const record: CallRecord = { seq: ++this.seq, ...rec };
    this.calls.push(record);
    const hook = this.hooks.findIndex((h) => h.match(rec));
    if (hook >= 0) this.hooks.splice(hook, 1)[0]!.action();
    const fault = this.faults.find((f) => f.left > 0 && f.match(rec));
    if (fault) fault.left--;
    if (fault?.when === 'before') throw fault.error;
    const result = op();
    record.result = clean(result);
    if (fault?.when === 'after') throw fault.error;
    return result;
  }

  coll(name: string): Map<string, Doc> {
    let c = this.data.get(name);
    if (!c) this.data.set(name, (c = new Map()));
    return c;
  }

  rev(collection: string, id: string): number {
    return this.revisions.get(`${collection}/${id}`) ?? 0;
  }

  bump(collection: string, id: string): void {
    this.revisions.set(`${collection}/${id}`, ++this.revision);
  }

  newId(): string {
    return `fake${String(++this.nextId).padStart(12, '0')}`;
  }

  select(collection: string, q: QueryState): Doc[] {
    const rows = [...this.coll(collection).values()].filter((d) => q.filter === undefined || matches(d, q.filter));
    if (q.order.length) {
      rows.sort((a, b) => {
        for (const [field, dir] of q.order) {
          const c = compare(getPath(a, field), getPath(b, field));
          if (c !== 0) return dir === 'asc' ? c : -c;
        }
        return 0;
      });
    }
    return rows;
  }

  private commit(tx: FakeTransaction): void {
    for (const [key, base] of tx.touched) {
      const [collection, id] = splitKey(key);
      if (this.rev(collection, id) !== base) throw new FakeDbError('DATABASE_TRANSACTION_CONFLICT', `database transaction conflict on ${key}`);
    }
    for (const [key, doc] of tx.staged) {
      const [collection, id] = splitKey(key);
      if (doc === null) this.coll(collection).delete(id);
      else this.coll(collection).set(id, doc);
      this.bump(collection, id);
    }
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function duplicate(collection: string, id: string): FakeDbError {
  return new FakeDbError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: "${id}" }`);
}

class FakeQuery implements CloudQuery {
  constructor(
    protected readonly db: FakeCloudDb,
    protected readonly name: string,
    protected readonly q: QueryState,
  ) {}

  where(filter: Where): CloudQuery {
    // Validates now, as the SDK serialises the filter when `where` is called.
    validateFilter(filter);
    return new FakeQuery(this.db, this.name, { ...this.q, filter });
  }

  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery {
    return new FakeQuery(this.db, this.name, { ...this.q, order: [...this.q.order.filter(([f]) => f !== field), [field, direction]] });
  }

  limit(n: number): CloudQuery {
    if (!Number.isInteger(n) || n < 0) throw new FakeDbError('INVALID_PARAM', 'limit must be a non-negative integer');
    return new FakeQuery(this.db, this.name, { ...this.q, limit: n });
  }

  field(projection: Record<string, boolean>): CloudQuery {
    return new FakeQuery(this.db, this.name, { ...this.q, projection: { ...projection } });
  }

  private base(method: CallMethod): Omit<CallRecord, 'seq' | 'result'> {
    return {
      collection: this.name,
      method,
      tx: false,
      ...(this.q.filter !== undefined ? { query: describeValue(this.q.filter) } : {}),
      ...(this.q.order.length ? { order: this.q.order.map(([f, d]) => [f, d] as [string, 'asc' | 'desc']) } : {}),
      ...(this.q.limit !== undefined ? { limit: this.q.limit } : {}),
      ...(this.q.projection ? { projection: this.q.projection } : {}),
    };
  }

  get(): Promise<GetResult> {
    return this.db.run(this.base('get'), () => {
      const n = this.q.limit ? Math.min(this.q.limit, MAX_ROWS) : DEFAULT_ROWS;
      const rows = this.db.select(this.name, this.q).slice(0, n);
      const proj = this.q.projection;
      const data = rows.map((d) => {
        if (!proj) return clean(d);
        const out: Doc = { _id: d._id };
        for (const [k, on] of Object.entries(proj)) if (on && d[k] !== undefined) out[k] = clean(d[k]);
        return out;
      });
      return { data };
    });
  }

  count(): Promise<{ total: number }> {
    return this.db.run(this.base('count'), () => ({ total: this.db.select(this.name, this.q).length }));
  }

  update(fields: Doc): Promise<UpdateResult> {
    refuseId(fields);
    return this.db.run({ ...this.base('update'), data: describeValue(fields) }, () => {
      let updated = 0;
      for (const doc of this.db.select(this.name, { ...this.q, order: [] })) {
        const next = clean(doc);
        applyUpdate(next, fields);
        if (deepEqual(next, doc)) continue;
        this.db.coll(this.name).set(String(doc._id), next);
        this.db.bump(this.name, String(doc._id));
        updated++;
      }
      return { updated };
    });
  }

  remove(): Promise<{ deleted: number }> {
    return this.db.run(this.base('remove'), () => {
      const rows = this.db.select(this.name, { ...this.q, order: [] });
      for (const d of rows) {
        this.db.coll(this.name).delete(String(d._id));
        this.db.bump(this.name, String(d._id));
      }
      return { deleted: rows.length };
    });
  }
}

type Stage = { $match: unknown } | { $group: Record<string, unknown> } | { $sort: Record<string, 1 | -1> } | { $limit: number };

/**
 * `aggregate()`: the stages the adapters use (match, group with `$sum`, sort, limit), recorded as
 * one 'aggregate' call whose `query` is the pipeline in Mongo-like form. Without a `limit` stage
 * the fake returns at most 20 rows, so an adapter that relies on a default is caught (the
 * adapters always set one).
 */
class FakeAggregate implements CloudAggregate {
  constructor(
    private readonly db: FakeCloudDb,
    private readonly name: string,
    private readonly stages: Stage[],
  ) {}

  private pipe(stage: Stage): CloudAggregate {
    return new FakeAggregate(this.db, this.name, [...this.stages, stage]);
  }
  match(q: Where): CloudAggregate {
    validateFilter(q);
    return this.pipe({ $match: q });
  }
  group(spec: Record<string, unknown>): CloudAggregate {
    return this.pipe({ $group: spec });
  }
  sort(spec: Record<string, 1 | -1>): CloudAggregate {
    return this.pipe({ $sort: spec });
  }
  limit(n: number): CloudAggregate {
    if (!Number.isInteger(n) || n < 1) throw new FakeDbError('INVALID_PARAM', 'limit must be a positive integer');
    return this.pipe({ $limit: n });
  }

  end(): Promise<{ data: Doc[] }> {
    const pipeline = this.stages.map((st) => ('$match' in st ? { $match: describeValue(st.$match) } : clean(st)));
    return this.db.run({ collection: this.name, method: 'aggregate', tx: false, query: pipeline }, () => {
      let rows: Doc[] = [...this.db.coll(this.name).values()].map((d) => clean(d));
      let limited = false;
      for (const st of this.stages) {
        if ('$match' in st) rows = rows.filter((d) => matches(d, st.$match));
        else if ('$group' in st) rows = groupRows(rows, st.$group);
        else if ('$sort' in st) {
          const spec = Object.entries(st.$sort);
          rows.sort((a, b) => {
            for (const [f, dir] of spec) {
              const c = compare(getPath(a, f), getPath(b, f));
              if (c !== 0) return dir === 1 ? c : -c;
            }
            return 0;
          });
        } else {
          rows = rows.slice(0, st.$limit);
          limited = true;
        }
      }
      return { data: limited ? rows : rows.slice(0, 20) };
    });
  }
}

/** `$group`: `_id` is a '$path', an object of '$path's, or null; accumulators are `{ $sum: 1 | '$path' }`. */
function groupRows(rows: Doc[], spec: Record<string, unknown>): Doc[] {
  const value = (d: Doc, e: unknown): unknown => {
    if (typeof e === 'string' && e.startsWith('$')) return getPath(d, e.slice(1)) ?? null;
    if (isPlainObject(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, value(d, v)]));
    return e;
  };
  const groups = new Map<string, Doc>();
  for (const d of rows) {
    const id = value(d, spec._id);
    const k = JSON.stringify(id);
    let g = groups.get(k);
    if (!g) {
      g = { _id: id as string };
      for (const name of Object.keys(spec)) if (name !== '_id') g[name] = 0;
      groups.set(k, g);
    }
    for (const [name, acc] of Object.entries(spec)) {
      if (name === '_id') continue;
      if (!isPlainObject(acc) || !('$sum' in acc)) throw new FakeDbError('INVALID_PARAM', `unsupported accumulator ${name}`);
      const v = value(d, acc.$sum);
      g[name] = (g[name] as number) + (typeof v === 'number' ? v : 0);
    }
  }
  return [...groups.values()];
}

class FakeCollection extends FakeQuery implements CloudCollection {
  aggregate(): CloudAggregate {
    return new FakeAggregate(this.db, this.name, []);
  }

  doc(id: string): CloudDocRef {
    if (typeof id !== 'string' || id === '') throw new FakeDbError('INVALID_PARAM', 'docId必须为字符串或数字');
    return new FakeDocRef(this.db, this.name, id);
  }

  add(fields: Doc): Promise<{ id: string }> {
    if (containsCommand(fields)) throw new FakeDbError('INVALID_PARAM', 'add takes plain fields');
    return this.db.run({ collection: this.name, method: 'add', tx: false, data: describeValue(fields), ...(fields._id !== undefined ? { docId: fields._id } : {}) }, () => {
      const id = fields._id ?? this.db.newId();
      if (this.db.coll(this.name).has(id)) throw duplicate(this.name, id);
      this.db.coll(this.name).set(id, clean({ ...fields, _id: id }));
      this.db.bump(this.name, id);
      return { id };
    });
  }
}

class FakeDocRef implements CloudDocRef {
  constructor(
    private readonly db: FakeCloudDb,
    private readonly name: string,
    private readonly id: string,
  ) {}

  private rec(method: CallMethod, data?: Doc): Omit<CallRecord, 'seq' | 'result'> {
    return { collection: this.name, method, tx: false, docId: this.id, ...(data !== undefined ? { data: describeValue(data) } : {}) };
  }

  get(): Promise<GetResult> {
    return this.db.run(this.rec('doc.get'), () => {
      const d = this.db.coll(this.name).get(this.id);
      return { data: d ? [clean(d)] : [] };
    });
  }

  set(fields: Doc): Promise<UpdateResult & { upsertedId?: string }> {
    refuseId(fields);
    if (containsCommand(fields)) throw new FakeDbError('DATABASE_REQUEST_FAILED', 'update operator complicit');
    return this.db.run(this.rec('doc.set', fields), () => {
      const before = this.db.coll(this.name).get(this.id);
      const next = clean({ ...fields, _id: this.id });
      this.db.coll(this.name).set(this.id, next);
      if (deepEqual(before, next)) return { updated: 0 };
      this.db.bump(this.name, this.id);
      return before ? { updated: 1 } : { updated: 0, upsertedId: this.id };
    });
  }

  update(fields: Doc): Promise<UpdateResult> {
    refuseId(fields);
    return this.db.run(this.rec('doc.update', fields), () => {
      const before = this.db.coll(this.name).get(this.id);
      if (!before) return { updated: 0 };
      const next = clean(before);
      applyUpdate(next, fields);
      if (deepEqual(before, next)) return { updated: 0 };
      this.db.coll(this.name).set(this.id, next);
      this.db.bump(this.name, this.id);
      return { updated: 1 };
    });
  }

  remove(): Promise<{ deleted: number }> {
    return this.db.run(this.rec('doc.remove'), () => {
      const had = this.db.coll(this.name).delete(this.id);
      if (had) this.db.bump(this.name, this.id);
      return { deleted: had ? 1 : 0 };
    });
  }
}

class FakeTransaction implements CloudTransaction {
  /** `coll/id` → revision when first written by this transaction. */
  readonly touched = new Map<string, number>();
  /** `coll/id` → the document after this transaction, null when removed. */
  readonly staged = new Map<string, Doc | null>();

  constructor(readonly db: FakeCloudDb) {}

  collection(name: string): TxCollection {
    return {
      doc: (id: string) => new FakeTxDocRef(this, name, id),
      add: (fields: Doc) => {
        if (containsCommand(fields)) throw new FakeDbError('INVALID_PARAM', 'add takes plain fields');
        return this.db.run({ collection: name, method: 'add', tx: true, data: describeValue(fields), ...(fields._id !== undefined ? { docId: fields._id } : {}) }, () => {
          const id = fields._id ?? this.db.newId();
          if (this.view(name, id)) throw duplicate(name, id);
          this.write(name, id, clean({ ...fields, _id: id }));
          return { id };
        });
      },
    };
  }

  view(collection: string, id: string): Doc | null {
    const key = `${collection}/${id}`;
    if (this.staged.has(key)) return this.staged.get(key) ?? null;
    return this.db.coll(collection).get(id) ?? null;
  }

  write(collection: string, id: string, doc: Doc | null): void {
    const key = `${collection}/${id}`;
    if (!this.touched.has(key)) this.touched.set(key, this.db.rev(collection, id));
    this.staged.set(key, doc);
  }
}

class FakeTxDocRef implements TxDocRef {
  constructor(
    private readonly tx: FakeTransaction,
    private readonly name: string,
    private readonly id: string,
  ) {}

  private rec(method: CallMethod, data?: Doc): Omit<CallRecord, 'seq' | 'result'> {
    return { collection: this.name, method, tx: true, docId: this.id, ...(data !== undefined ? { data: describeValue(data) } : {}) };
  }

  get(): Promise<{ data: Doc | null }> {
    return this.tx.db.run(this.rec('doc.get'), () => {
      const d = this.tx.view(this.name, this.id);
      return { data: d ? clean(d) : null };
    });
  }

  set(fields: Doc): Promise<UpdateResult> {
    refuseId(fields);
    if (containsCommand(fields)) throw new FakeDbError('DATABASE_REQUEST_FAILED', 'update operator complicit');
    return this.tx.db.run(this.rec('doc.set', fields), () => {
      const existed = this.tx.view(this.name, this.id) !== null;
      this.tx.write(this.name, this.id, clean({ ...fields, _id: this.id }));
      return { updated: existed ? 1 : 0 };
    });
  }

  update(fields: Doc): Promise<UpdateResult> {
    refuseId(fields);
    return this.tx.db.run(this.rec('doc.update', fields), () => {
      const before = this.tx.view(this.name, this.id);
      if (!before) return { updated: 0 };
      const next = clean(before);
      applyUpdate(next, fields);
      this.tx.write(this.name, this.id, next);
      return { updated: deepEqual(before, next) ? 0 : 1 };
    });
  }

  remove(): Promise<{ deleted: number }> {
    return this.tx.db.run(this.rec('doc.remove'), () => {
      const had = this.tx.view(this.name, this.id) !== null;
      this.tx.write(this.name, this.id, null);
      return { deleted: had ? 1 : 0 };
    });
  }
}
