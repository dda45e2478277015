/**
 * The writes of many salons' chains in one transaction. On a platform,
 * bookings spread over many salons would otherwise each be a transaction of
 * their own: a commit, a WAL flush and two round trips more per booking.
 * Each salon's store still writes one batch at a time (see the store's
 * queue); the group gathers the batches of every salon that wait while
 * earlier ones commit, as a single salon's store gathers its bookings.
 *
 * Salons are locked in the order of their ids, so two processes grouping
 * the same salons never wait for each other in a circle. A group that fails
 * is tried again one salon per transaction: one salon's failure stays its
 * own. (A batch may be tried twice: the store's write reads the head and
 * the ids already written under the lock, so a second try is a repeat.)
 */
import type pg from 'pg';
import { inTransaction } from './transaction.js';

interface Job {
  salon: string;
  work: (client: pg.PoolClient) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class CommitGroup {
  readonly #pool: pg.Pool;
  /** Transactions of the group at once: the rest of the pool is left for reads and opens. */
  readonly #transactions: number;
  #waiting: Job[] = [];
  #running = 0;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#transactions = Math.max(1, Math.floor((pool.options.max ?? 10) / 2));
  }

  /** Runs `work` in a transaction that may hold other salons' writes; settles once it is committed. */
  run<T>(salon: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ salon, work, resolve: resolve as (value: unknown) => void, reject });
      this.#next();
    });
  }

  #next(): void {
    while (this.#running < this.#transactions && this.#waiting.length > 0) {
      const jobs = this.#waiting.sort((a, b) => (a.salon < b.salon ? -1 : a.salon > b.salon ? 1 : 0));
      this.#waiting = [];
      this.#running += 1;
      void this.#commit(jobs).finally(() => {
        this.#running -= 1;
        this.#next();
      });
    }
  }

  async #commit(jobs: Job[]): Promise<void> {
    if (jobs.length > 1) {
      try {
        const results = await inTransaction(this.#pool, async (client) => {
          const done: unknown[] = [];
          for (const job of jobs) done.push(await job.work(client));
          return done;
        });
        jobs.forEach((job, index) => job.resolve(results[index]));
        return;
      } catch {
        // One salon's write failed the whole group: each on its own now, to find whose it was.
      }
    }
    await Promise.all(
      jobs.map((job) =>
        inTransaction(this.#pool, job.work).then(
          (result) => job.resolve(result),
          (error: unknown) => job.reject(error),
        ),
      ),
    );
  }
}

const groups = new WeakMap<pg.Pool, CommitGroup>();

/** The group of every store writing through this pool. */
export function commitGroupOf(pool: pg.Pool): CommitGroup {
  let group = groups.get(pool);
  if (!group) {
    group = new CommitGroup(pool);
    groups.set(pool, group);
  }
  return group;
}
