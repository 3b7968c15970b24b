import type { Transaction } from 'better-sqlite3';
import type { SqliteDb } from './db';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Job {
  write: () => unknown;
  /** Atomic by itself: run without a savepoint of its own. */
  atomic: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes asked for during one turn of the event loop are saved in one
 * transaction, each inside its own savepoint, and each caller's promise settles once that
 * transaction has committed.
 *
 * Why: a submission dirties about 58 pages (the ticket, its 17 indexes, the search row, the
 * facts, the alarms), and every commit writes each dirty page to the WAL whole. Tickets created
 * together share most of those pages (the ends of the time-ordered indexes, the daily counts, the
 * search index's structure): on a copy of the 100k bench store, 8 creates per commit wrote 13.5
 * WAL frames each instead of 58.3. Under concurrent requests the local runtime's handlers reach
 * the store in the same turn, so they share a commit; a lone request waits for no one (the flush
 * runs in the same turn's check phase). The outbox drainer's writes go through the same group:
 * each of its writes waits for a flush, so a fan-out to 50 users is spread over turns instead of
 * holding the loop (and the next submission) for the whole fan-out.
 *
 * What does not change: a write is saved whole or not at all (a write that throws rolls back its
 * savepoint only, and only its caller sees the error), and no caller hears of success before the
 * commit. If the commit itself fails, every write of the group fails with that error and none
 * is saved.
 */
export class GroupCommit {
  private static readonly byDb = new WeakMap<SqliteDb, GroupCommit>();

  /** The one group of a connection, shared by its stores (a ticket's create and the drainer's delivery records share commits). */
  static of(db: SqliteDb): GroupCommit {
    let g = GroupCommit.byDb.get(db);
    if (!g) GroupCommit.byDb.set(db, (g = new GroupCommit(db)));
    return g;
  }

  private queue: Job[] = [];
  /** The outbox drainer's writes: behind the requests' (see `run`). */
  private background: Job[] = [];
  private scheduled = false;
  private readonly inSavepoint: (write: () => unknown) => unknown;
  private readonly group: Transaction<(jobs: Job[]) => Outcome[]>;

  constructor(db: SqliteDb) {
    // Called inside `group`'s transaction, a better-sqlite3 transaction function is a savepoint.
    this.inSavepoint = db.transaction((write: () => unknown) => write());
    this.group = db.transaction((jobs: Job[]) =>
      jobs.map((j): Outcome => {
        try {
          return { ok: true, value: j.atomic ? j.write() : this.inSavepoint(j.write) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * `write` (synchronous SQLite work) in the next group; resolves with its result after the commit.
   * A `background` write (the drainer's) joins a group that holds a request's writes only up to
   * BACKGROUND_WITH_REQUESTS of them, so a large fan-out in flight adds little to a request's wait;
   * with no request waiting, all of them go.
   * `atomic`: the write is one statement, or a better-sqlite3 transaction function (which runs as
   * a savepoint inside the group), so it needs no savepoint of its own: SQLite undoes a failed
   * statement by itself. Most grouped writes are one short statement, where the two statements
   * of a savepoint are a large part of the cost.
   */
  run<T>(write: () => T, opts: { background?: boolean; atomic?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (opts.background ? this.background : this.queue).push({ write, atomic: opts.atomic === true, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once the writes already asked for are committed (or have failed): call it before closing the connection. */
  async flushed(): Promise<void> {
    // As a background write, so a group with no request's writes in it takes every background write at once.
    while (this.queue.length || this.background.length) await this.run(() => undefined, { background: true }).catch(() => undefined);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue;
    this.queue = [];
    jobs.push(...this.background.splice(0, jobs.length ? BACKGROUND_WITH_REQUESTS : this.background.length));
    if (this.background.length) this.schedule();
    let results: Outcome[];
    try {
      results = this.group.immediate(jobs);
    } catch (error) {
      for (const j of jobs) j.reject(error);
      return;
    }
    jobs.forEach((j, i) => {
      const r = results[i]!;
      if (r.ok) j.resolve(r.value);
      else j.reject(r.error);
    });
  }
}

/** `run` options of a write that is one statement or a better-sqlite3 transaction function. */
export const ATOMIC_WRITE = { atomic: true } as const;
/** The same, for the outbox drainer's writes: they wait behind the requests'. */
export const BACKGROUND_WRITE = { background: true, atomic: true } as const;

/** How many of the drainer's writes may join a group that holds a request's writes. */
const BACKGROUND_WITH_REQUESTS = 2;
