import * as tcb from '@cloudbase/node-sdk';

/**
 * The part of the `@cloudbase/node-sdk` v3 database API the CloudBase adapters use, and nothing
 * more: the adapters are written against this interface, production passes the SDK's `Db`
 * (`initCloudDb`), tests pass `FakeCloudDb` (test/cloudbase/fakeCloudDb.ts).
 *
 * node-sdk behaviour the adapters rely on, and that the fake reproduces:
 * - `add(fields)`, `set(fields)` and `update(fields)` take the fields directly (wx-server-sdk wraps
 *   them in `{ data }`; the two must not be mixed). `set`/`update` refuse an `_id` in the fields;
 *   `add` with an `_id` that exists fails with `DATABASE_DUPLICATE_WRITE`.
 * - `update` MERGES: a nested plain object is flattened into dotted paths (`{ a: { b: 1 } }` sets
 *   only `a.b`, other keys of `a` survive). Replace a subtree with `_.set(value)`.
 * - `set` replaces the whole document (upsert).
 * - A query returns 100 rows unless `limit` is set, and at most 1000 whatever the limit.
 * - `where()` replaces the previous filter of the chain; `orderBy` calls accumulate.
 * - `where(q).update()` and `where(q).remove()` are multi-document and run OUTSIDE any
 *   transaction (the SDK sends no transaction id for them); inside `runTransaction` only the
 *   document API (`doc(id).get/set/update/remove`, `add`) takes part, hence `TxCollection`.
 * - `doc(id).get()` returns `{ data: [doc] }` (or `{ data: [] }`) outside a transaction and
 *   `{ data: doc | null }` inside one.
 * - `updated` counts the documents actually modified: an update that changes nothing reports 0.
 * - Errors are thrown (node-sdk's default `throwOnCode`), with a string `code`.
 */
export interface CloudDb {
  readonly command: DbCommand;
  collection(name: string): CloudCollection;
  /** Runs `fn` in a transaction; retried by the SDK on `DATABASE_TRANSACTION_CONFLICT` (default 3 times). */
  runTransaction<T>(fn: (tx: CloudTransaction) => Promise<T>, times?: number): Promise<T>;
}

export interface CloudStoreOptions {
  /** Prepended to every collection name (a test run in a shared environment); production uses none. */
  prefix?: string;
}

/** A stored document: JSON-like fields plus `_id`. */
export type Doc = Record<string, unknown> & { _id?: string };

/** A query operator (`_.gte(1)`, `_.in([...])`, `_.or([...])`): opaque to the adapters. */
export interface QueryCommand {
  readonly __cloudQueryCommand: true;
}
/** An update operator (`_.inc(1)`, `_.set(value)`): opaque to the adapters. */
export interface UpdateCommand {
  readonly __cloudUpdateCommand: true;
}

/** A filter: field equalities and field-level operators, or a top-level `_.and`/`_.or`. */
export type Where = { [field: string]: unknown } | QueryCommand;

/** `db.command`: only the operators the adapters use. `and`/`or` take an array. */
export interface DbCommand {
  gt(value: number | string): QueryCommand;
  gte(value: number | string): QueryCommand;
  lt(value: number | string): QueryCommand;
  lte(value: number | string): QueryCommand;
  neq(value: unknown): QueryCommand;
  in(values: unknown[]): QueryCommand;
  nin(values: unknown[]): QueryCommand;
  and(conditions: Array<Where | QueryCommand>): QueryCommand;
  or(conditions: Array<Where | QueryCommand>): QueryCommand;
  inc(n: number): UpdateCommand;
  /** Replaces a field's whole value (no merge of nested objects). */
  set(value: unknown): UpdateCommand;
  /** Aggregation operators (`$.sum(1)` is `{ $sum: 1 }`): only those the adapters use. */
  readonly aggregate: AggregateCommand;
}

export interface AggregateCommand {
  sum(value: unknown): unknown;
}

/**
 * `collection.aggregate()`: a pipeline run by the database (`database.aggregateDocuments`), so a
 * count over a million documents returns a few rows. `match` takes the same filters as `where`.
 */
export interface CloudAggregate {
  match(q: Where): CloudAggregate;
  /** `{ _id: <'$field' | { name: '$field' } | null>, <name>: $.sum(1) }`. */
  group(spec: Record<string, unknown>): CloudAggregate;
  sort(spec: Record<string, 1 | -1>): CloudAggregate;
  limit(n: number): CloudAggregate;
  end(): Promise<{ data: Doc[] }>;
}

export interface GetResult {
  data: Doc[];
}

export interface UpdateResult {
  /** Documents modified; absent is 0. */
  updated?: number;
}

export interface CloudQuery {
  where(q: Where): CloudQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery;
  /** 1..1000. Every read of the adapters sets it explicitly. */
  limit(n: number): CloudQuery;
  /** Projection: `{ field: true }`. */
  field(projection: Record<string, boolean>): CloudQuery;
  get(): Promise<GetResult>;
  count(): Promise<{ total: number }>;
  /** Multi-document, merge semantics, outside any transaction. */
  update(fields: Doc): Promise<UpdateResult>;
  remove(): Promise<{ deleted?: number | string }>;
}

export interface CloudCollection extends CloudQuery {
  doc(id: string): CloudDocRef;
  aggregate(): CloudAggregate;
  /** Inserts one document; an existing `_id` throws `DATABASE_DUPLICATE_WRITE`. */
  add(fields: Doc): Promise<{ id?: string }>;
}

export interface CloudDocRef {
  /** `{ data: [] }` when missing. */
  get(): Promise<GetResult>;
  /** Replaces the whole document, creating it if missing. */
  set(fields: Doc): Promise<UpdateResult>;
  /** Merges into an existing document; `updated: 0` when missing or unchanged. */
  update(fields: Doc): Promise<UpdateResult>;
  remove(): Promise<{ deleted?: number | string }>;
}

/** The transaction's view: document operations only (no `where`: it would escape the transaction). */
export interface CloudTransaction {
  collection(name: string): TxCollection;
}

export interface TxCollection {
  doc(id: string): TxDocRef;
  add(fields: Doc): Promise<{ id?: string }>;
}

export interface TxDocRef {
  /** Inside a transaction the SDK returns the document itself, or null. */
  get(): Promise<{ data: Doc | null }>;
  set(fields: Doc): Promise<UpdateResult>;
  update(fields: Doc): Promise<UpdateResult>;
  remove(): Promise<{ deleted?: number | string }>;
}

/** The storage calls of the node-sdk app the file adapter uses. */
export interface CloudStorage {
  uploadFile(o: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  downloadFile(o: { fileID: string }): Promise<{ fileContent?: string | Buffer }>;
  getTempFileURL(o: { fileList: Array<{ fileID: string; maxAge?: number }> }): Promise<{ fileList: Array<{ code: string; fileID: string; tempFileURL: string }> }>;
  getFileInfo(o: { fileList: string[] }): Promise<{ fileList: Array<{ code: string; fileID: string; size?: number; contentType?: string }> }>;
}

/** The node-sdk module surface `initCloudApp` needs (the real module, or a stand-in in tests). */
export interface CloudSdk {
  SYMBOL_CURRENT_ENV: symbol;
  init(config: { env: string | symbol }): CloudApp;
}

/** What the adapters take from the node-sdk app. */
export interface CloudApp extends CloudStorage {
  database(): unknown;
}

/** The app of the current environment (the function's own). One per process. */
export function initCloudApp(sdk: CloudSdk = tcb as unknown as CloudSdk): CloudApp {
  return sdk.init({ env: sdk.SYMBOL_CURRENT_ENV });
}

/** The CloudBase database of the current environment, typed as the subset the adapters use. */
export function initCloudDb(app: CloudApp = initCloudApp()): CloudDb {
  return app.database() as CloudDb;
}
