/**
 * The salon registry as a platform's operator and its running ledger use
 * it: adding or changing one salon touches only that salon, a running
 * ledger follows the changes from where it left off and ends where a full
 * read does, and PostgreSQL tells it at once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type pg from 'pg';
import {
  FileSalonRegistry,
  PostgresSalonRegistry,
  type SalonRegistry,
  type SalonSettings,
} from '../../src/server/salons/salon-registry.js';
import { hashStaffToken, newSecret } from '../../src/server/app/secrets.js';
import { migratePostgres, openPostgresPool } from '../../src/server/store/postgres/postgres-ledger-store.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

after(() => stopPostgres());

const salon = (id: string, name = `Salon ${id}`): SalonSettings => ({
  id,
  controller: { name },
  origins: ['https://salon.example'],
  staffOrigins: [],
  staffTokenSha256: hashStaffToken(`token-of-${id}-0123456789abcdef`),
  linkSecret: newSecret(),
  texts: [],
  singleOptIn: ['email-newsletter'],
  createdAt: '2026-12-01T10:00:00.000Z',
});

const pools: pg.Pool[] = [];
after(() => Promise.all(pools.map((pool) => pool.end())));

const stores: [string, () => Promise<{ open: () => SalonRegistry }>][] = [
  [
    'file store',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'registry-'));
      return { open: () => new FileSalonRegistry(dir) };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await freshDatabase();
      const pool = openPostgresPool(url, 4);
      pools.push(pool);
      await migratePostgres(pool);
      return { open: () => new PostgresSalonRegistry(pool) };
    },
  ],
];

for (const [name, place] of stores) {
  describe(`salon registry (${name})`, () => {
    it('a ledger following the changes from its cursor ends where a full read does, whatever is added, changed or disabled', async () => {
      const { open } = await place();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 7 }) }),
              fc.record({
                kind: fc.constant('rename' as const),
                id: fc.integer({ min: 0, max: 7 }),
                name: fc.string({ minLength: 1, maxLength: 12 }),
              }),
              fc.record({ kind: fc.constant('disable' as const), id: fc.integer({ min: 0, max: 7 }) }),
              fc.record({ kind: fc.constant('follow' as const) }),
            ),
            { maxLength: 25 },
          ),
          async (steps) => {
            run += 1;
            // Each run on salons of its own, in the one registry: the follower starts from a full read.
            const id = (n: number) => `r${run}-s${n}`;
            const writer = open();
            const follower = open();
            const seen = new Map((await follower.list()).map((found) => [found.id, found]));
            let cursor = (await follower.changes()).cursor;
            const follow = async () => {
              const changed = await follower.changes(cursor);
              cursor = changed.cursor;
              for (const found of changed.salons) seen.set(found.id, found);
            };
            for (const step of steps) {
              if (step.kind === 'follow') await follow();
              else if (step.kind === 'add') await writer.add(salon(id(step.id))).catch(() => undefined);
              else {
                await writer
                  .update(id(step.id), (found) =>
                    step.kind === 'rename'
                      ? { ...found, controller: { ...found.controller, name: step.name } }
                      : { ...found, disabledAt: '2026-12-02T10:00:00.000Z' },
                  )
                  .catch(() => undefined);
              }
            }
            await follow();
            await writer.close();
            await follower.close();
            const full = new Map((await open().list()).map((found) => [found.id, found]));
            assert.deepEqual(seen, full);
          },
        ),
        { numRuns: name === 'PostgreSQL' ? 15 : 40, seed: 25 },
      );
    });

    it('an id is taken once, even by two adds at the same time; an unknown id cannot be changed', async () => {
      const { open } = await place();
      const results = await Promise.allSettled([open().add(salon('bella', 'A')), open().add(salon('bella', 'B'))]);
      assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
      assert.match(
        String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason),
        /already registered/,
      );
      assert.equal((await open().list()).length, 1);
      await assert.rejects(
        open().update('nosuch', (found) => found),
        /no salon "nosuch" in the registry/,
      );
    });
  });
}

describe('salon registry (file store): one salon, one file', () => {
  it('adding or changing a salon reads and writes only its own file: another salon’s broken file is no obstacle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-own-'));
    const registry = new FileSalonRegistry(dir);
    await registry.add(salon('bella'));
    await registry.add(salon('chic'));
    // Someone broke chic's file by hand; bella's operator goes on working.
    await writeFile(join(dir, 'salons', 'chic', 'salon.json'), '{"id": "chic", "controller": ');
    await registry.add(salon('nova'));
    const changed = await registry.update('bella', (found) => ({ ...found, origins: ['https://bella.example'] }));
    assert.deepEqual(changed.origins, ['https://bella.example']);
    // A full read names the broken file.
    await assert.rejects(registry.list(), /salons\/chic\/salon\.json/);
  });

  it('a registry kept in one salons.json by an earlier version is moved into the salons’ folders, nothing lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-moved-'));
    const before = [salon('bella'), salon('chic')];
    await writeFile(join(dir, 'salons.json'), JSON.stringify({ salons: before }, null, 2));
    const registry = new FileSalonRegistry(dir);
    assert.deepEqual(await registry.list(), before);
    assert.deepEqual((await readdir(dir)).sort(), ['salons', 'salons.json.moved']);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'salons', 'bella', 'salon.json'), 'utf8')), before[0]);
    // Opened again (another process), nothing is moved twice.
    assert.deepEqual(await new FileSalonRegistry(dir).list(), before);
  });
});

describe('salon registry (PostgreSQL): a running ledger is told', () => {
  it('a salon added or changed by another process is announced (LISTEN/NOTIFY) without waiting for a refresh', async () => {
    const url = await freshDatabase();
    const pool = openPostgresPool(url, 4);
    pools.push(pool);
    await migratePostgres(pool);
    const watching = new PostgresSalonRegistry(pool);
    let told = 0;
    watching.watch(() => (told += 1));
    let { cursor } = await watching.changes();
    // Its LISTEN connection is made in the background.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const otherPool = openPostgresPool(url, 2);
    pools.push(otherPool);
    const other = new PostgresSalonRegistry(otherPool);
    await other.add(salon('bella'));
    await until(() => told >= 1, 'the add is announced');
    const added = await watching.changes(cursor);
    assert.deepEqual(
      added.salons.map((found) => found.id),
      ['bella'],
    );
    cursor = added.cursor;
    await other.update('bella', (found) => ({ ...found, disabledAt: '2026-12-02T10:00:00.000Z' }));
    await until(() => told >= 2, 'the change is announced');
    const changed = await watching.changes(cursor);
    assert.equal(changed.salons[0]?.disabledAt, '2026-12-02T10:00:00.000Z');
    assert.deepEqual((await watching.changes(changed.cursor)).salons, []);
    await watching.close();
  });
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
