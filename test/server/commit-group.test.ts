/**
 * The writes of many salons sharing transactions on one pool (a platform
 * on PostgreSQL): each booking lands in its own salon's chain, and one
 * salon's failure is its own.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresPool, PostgresLedgerStore } from '../../src/server/store/postgres/postgres-ledger-store.js';
import { consentEvent } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(() => stopPostgres());

/** `count` salons' stores (s0, s1, …) on one pool of 4 connections in a fresh database, closed after `work`. */
async function withSalons(
  count: number,
  work: (stores: PostgresLedgerStore[], url: string) => Promise<void>,
): Promise<void> {
  const url = await freshDatabase();
  const pool = openPostgresPool(url, 4);
  try {
    const stores = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        PostgresLedgerStore.open({ connectionString: url, pool, salon: `s${i}` }),
      ),
    );
    await work(stores, url);
    await Promise.all(stores.map((store) => store.close()));
  } finally {
    await pool.end();
  }
}

describe('salons writing through one pool (PostgreSQL)', () => {
  it('bookings for many salons at once each land in their own chain, in order, none lost', async () => {
    await withSalons(12, async (stores) => {
      const outcomes = await Promise.all(
        Array.from({ length: 240 }, (_, i) => stores[i % 12]!.append(consentEvent()).then((o) => [i % 12, o] as const)),
      );
      assert.ok(outcomes.every(([, outcome]) => outcome.kind === 'created'));
      for (const [i, store] of stores.entries()) {
        const entries = await store.entries();
        assert.deepEqual(
          entries.map((entry) => entry.seq),
          Array.from({ length: 20 }, (_, k) => k + 1),
          `salon s${i}: 20 entries, numbered 1–20`,
        );
        const ids = outcomes.filter(([salon]) => salon === i).map(([, outcome]) => outcome.entry.seq);
        assert.deepEqual(
          [...ids].sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, k) => k + 1),
        );
      }
    });
  });

  it("one salon's failing write fails only its own bookings: the other salons' are written", async () => {
    await withSalons(6, async (stores, url) => {
      // Salon s3's chain head is gone (a hand-made mistake in the database): its writes cannot be made.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DELETE FROM ledger_checkpoints WHERE salon = 's3'`);
      await admin.query(`DELETE FROM ledger_salons WHERE salon = 's3'`);
      await admin.end();
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) => stores[i % 6]!.append(consentEvent())),
      );
      results.forEach((result, i) =>
        assert.equal(result.status, i % 6 === 3 ? 'rejected' : 'fulfilled', `booking ${i} at salon s${i % 6}`),
      );
      for (const i of [0, 1, 2, 4, 5]) assert.equal((await stores[i]!.entries()).length, 10);
    });
  });
});
