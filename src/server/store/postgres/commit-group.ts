/**
 * The writes of many salons' chains in one transaction. On a platform,
 * bookings spread over many salons would otherwise each be a transaction of
 * their own: a commit, a WAL flush and a few round trips per booking. Each
 * salon's store still writes one batch at a time (see the store's queue);
 * the group gathers the batches of every salon that wait while earlier ones
 * commit, as a single salon's store gathers its bookings, and the writer
 * writes them together.
 *
 * The batches are handed over in the order of their salons' ids, so two
 * processes grouping the same salons lock them in the same order and never
 * wait for each other in a circle. A group that fails is tried again one
 * salon per transaction: one salon's failure stays its own. (A batch may so
 * be tried twice: the writer reads the head and the ids already written
 * under the lock, so a second try is a repeat.)
 */
import type pg from 'pg';
import { inTransaction } from './transaction.js';

/** Writes the batches (one per salon, sorted by salon) in the transaction `client` holds; a result for each. */
export type GroupWriter<Batch, Result> = (client: pg.PoolClient, batches: readonly Batch[]) => Promise<Result[]>;

interface Job<Batch, Result> {
  salon: string;
  batch: Batch;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class CommitGroup<Batch, Result> {
  readonly #pool: pg.Pool;
  readonly #write: GroupWriter<Batch, Result>;
  /** Transactions of the group at once: the rest of the pool is left for reads and opens. */
  readonly #transactions: number;
  #waiting: Job<Batch, Result>[] = [];
  #running = 0;

  constructor(pool: pg.Pool, write: GroupWriter<Batch, Result>) {
    this.#pool = pool;
    this.#write = write;
    this.#transactions = Math.max(1, Math.floor((pool.options.max ?? 10) / 2));
  }

  /** Writes one salon's batch, perhaps with other salons' in the same transaction; settles once committed. */
  run(salon: string, batch: Batch): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#waiting.push({ salon, batch, resolve, reject });
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

  async #commit(jobs: Job<Batch, Result>[]): Promise<void> {
    if (jobs.length > 1) {
      try {
        const results = await inTransaction(this.#pool, (client) =>
          this.#write(
            client,
            jobs.map((job) => job.batch),
          ),
        );
        jobs.forEach((job, index) => job.resolve(results[index]!));
        return;
      } catch {
        // One salon's write failed the whole group: each on its own now, to find whose it was.
      }
    }
    await Promise.all(
      jobs.map((job) =>
        inTransaction(this.#pool, (client) => this.#write(client, [job.batch])).then(
          ([result]) => job.resolve(result!),
          (error: unknown) => job.reject(error),
        ),
      ),
    );
  }
}

const groups = new WeakMap<pg.Pool, CommitGroup<never, unknown>>();

/** The group of every store writing through this pool with this writer. */
export function commitGroupOf<Batch, Result>(
  pool: pg.Pool,
  write: GroupWriter<Batch, Result>,
): CommitGroup<Batch, Result> {
  let group = groups.get(pool) as CommitGroup<Batch, Result> | undefined;
  if (!group) {
    group = new CommitGroup(pool, write);
    groups.set(pool, group as unknown as CommitGroup<never, unknown>);
  }
  return group;
}
