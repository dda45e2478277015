/**
 * Many salons on one deployment, as a platform runs it: `salons add` and
 * `serve --salons`, on the file store and on PostgreSQL. Each salon's staff
 * reaches only its own records, whatever id, path, link or token they try;
 * a disabled salon answers nothing and keeps its records.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChainEntry } from '../../src/server/store/ledger-store.js';
import { hashStaffToken, newSecret } from '../../src/server/app/secrets.js';
import { cli, killHard, servePlatform, servePlatformWithFileLimit } from './cli-fixture.js';
import { consentEvent } from './ledger-fixture.js';
import { createPlatformApp } from '../../src/server/salons/platform-app.js';
import {
  FileSalonRegistry,
  PostgresSalonRegistry,
  type SalonSettings,
} from '../../src/server/salons/salon-registry.js';
import {
  migratePostgres,
  openPostgresPool,
  PostgresLedgerStore,
} from '../../src/server/store/postgres/postgres-ledger-store.js';
import { JsonlLedgerStore } from '../../src/server/store/file/jsonl-ledger-store.js';
import { databaseText, freshDatabase, stopPostgres } from './postgres-fixture.js';

after(stopPostgres);

const BELLA = 'https://salon-bella.example';
const CHIC = 'https://coiffure-chic.example';

/** `salons add`, returning the staff token it prints once. */
function addSalon(where: string[], id: string, ...flags: string[]): string {
  const added = cli('salons', 'add', id, ...where, ...flags);
  assert.equal(added.code, 0, added.output);
  const token = /shown once[^\n]*\n(\S+)/.exec(added.stdout)?.[1];
  assert.ok(token, `a token in: ${added.stdout}`);
  return token;
}

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const stores = [
  { name: 'file store', where: async () => ['--data', await mkdtemp(join(tmpdir(), 'platform-'))] },
  { name: 'PostgreSQL', where: async () => ['--database-url', await freshDatabase()] },
];

for (const store of stores) {
  describe(`salons on one platform (${store.name})`, () => {
    it("a salon's staff reach only their own salon's records, with any token, id, path or link", async () => {
      const where = await store.where();
      const keyFile = join(await mkdtemp(join(tmpdir(), 'platform-key-')), 'checkpoint.pem');
      assert.equal(cli('keygen', '--key', keyFile, '--name', 'platform.example/consent').code, 0);
      const bellaToken = addSalon(
        where,
        'bella',
        '--salon',
        'Salon Bella',
        '--origin',
        BELLA,
        '--single-opt-in',
        'email-newsletter',
      );
      const chicToken = addSalon(
        where,
        'chic',
        '--salon',
        'Coiffure Chic',
        '--locale',
        'fr',
        '--origin',
        CHIC,
        '--single-opt-in',
        'email-newsletter',
      );
      const platform = await servePlatform(...where, '--key', keyFile);
      try {
        const bella = `${platform.url}/salons/bella`;
        const chic = `${platform.url}/salons/chic`;
        const staff = (token: string) => ({ authorization: `Bearer ${token}` });

        const anna = consentEvent();
        const booked = await post(`${bella}/v1/consent-events`, anna, { origin: BELLA });
        assert.equal(booked.status, 201, await booked.clone().text());
        const receipt = (await booked.json()) as { seq: number; checkpoint: string };
        assert.equal(receipt.seq, 1);
        assert.match(receipt.checkpoint, /^platform\.example\/consent\/bella\n1\n/, "signed as bella's chain");

        // Bella's booking page cannot post to chic, even with a fresh event.
        const crossPost = await post(`${chic}/v1/consent-events`, consentEvent(), { origin: BELLA });
        assert.equal(crossPost.status, 403);
        const ben = consentEvent({ subject: { email: 'ben@example.ch' } });
        const chicBooked = await post(`${chic}/v1/consent-events`, ben, { origin: CHIC });
        assert.equal(((await chicBooked.json()) as { seq: number }).seq, 1, 'chic has a chain of its own');

        // Tokens: each only at home.
        for (const [url, token] of [
          [`${chic}/v1/staff/entries`, bellaToken],
          [`${bella}/v1/staff/entries`, chicToken],
          [`${bella}/v1/staff/entries`, ''],
        ] as const) {
          const answer = await fetch(url, { headers: token ? staff(token) : {} });
          assert.equal(answer.status, 401, `${url} with ${token ? 'the other salon’s token' : 'no token'}`);
        }
        const bellaEntries = (await (
          await fetch(`${bella}/v1/staff/entries`, { headers: staff(bellaToken) })
        ).json()) as {
          entries: ChainEntry[];
        };
        assert.deepEqual(
          bellaEntries.entries.map((entry) => entry.event.id),
          [anna.id],
          "bella's staff see bella's records only",
        );
        // Bella's staff asking for chic's customer by address find nobody.
        const status = await fetch(`${bella}/v1/staff/status?email=ben@example.ch`, { headers: staff(bellaToken) });
        const statusBody = (await status.json()) as { purposes: { state: string }[] };
        assert.deepEqual(
          statusBody.purposes.map((purpose) => purpose.state),
          statusBody.purposes.map(() => 'never'),
        );
        const history = await fetch(`${bella}/v1/staff/history?email=ben@example.ch`, { headers: staff(bellaToken) });
        assert.deepEqual(((await history.json()) as { entries: unknown[] }).entries, []);

        // Guessed ids and paths find no salon, and no salon's data.
        for (const path of [
          '/salons/BELLA/v1/staff/entries',
          '/salons/bella%2F..%2Fchic/v1/staff/entries',
          '/salons/..%2Fchic/v1/staff/entries',
          '/salons/nosuch/v1/staff/entries',
          '/salons/bella-/v1/health',
          '/v1/staff/entries',
          '/v1/consent-events',
        ]) {
          const answer = await fetch(`${platform.url}${path}`, { headers: staff(bellaToken) });
          assert.equal(answer.status, 404, path);
          assert.doesNotMatch(await answer.text(), /ben@|anna-/, path);
        }

        // Links one salon signs are refused by another.
        const link = await post(
          `${bella}/v1/staff/unsubscribe-links`,
          { purpose: 'email-newsletter', address: anna.subject.email },
          staff(bellaToken),
        );
        const unsubscribeUrl = ((await link.json()) as { url: string }).url;
        assert.ok(unsubscribeUrl.startsWith(`${bella}/v1/unsubscribe?`), unsubscribeUrl);
        const elsewhere = await fetch(unsubscribeUrl.replace('/salons/bella/', '/salons/chic/'), { method: 'POST' });
        assert.equal(elsewhere.status, 400, "bella's unsubscribe link is invalid at chic");
        const proofLink = await post(
          `${bella}/v1/staff/proof-links`,
          { subject: { email: anna.subject.email } },
          staff(bellaToken),
        );
        const proofUrl = ((await proofLink.json()) as { url: string }).url;
        assert.equal((await fetch(proofUrl)).status, 200, 'the proof link works at home');
        const proofElsewhere = await fetch(proofUrl.replace('/salons/bella/', '/salons/chic/'));
        assert.notEqual(proofElsewhere.status, 200, "bella's proof link shows nothing at chic");
        assert.doesNotMatch(await proofElsewhere.text(), new RegExp(anna.subject.email!));
        // At home the link withdraws.
        assert.equal((await fetch(unsubscribeUrl, { method: 'POST' })).status, 200);

        // An erasure at chic leaves bella as it was.
        const erased = await post(
          `${chic}/v1/staff/erasures`,
          { subject: { email: 'ben@example.ch' }, staffName: 'Lea', reason: 'customer-request' },
          staff(chicToken),
        );
        assert.equal(erased.status, 201, await erased.clone().text());
        const after = (await (await fetch(`${bella}/v1/staff/entries`, { headers: staff(bellaToken) })).json()) as {
          entries: ChainEntry[];
        };
        assert.equal(after.entries.length, 2, "bella's booking and withdrawal, nothing of chic's");
      } finally {
        await killHard(platform.child);
      }
      // Each salon's chain verifies on its own, under its own name.
      for (const [id, entries] of [
        ['bella', 2],
        ['chic', 2],
      ] as const) {
        const verified = cli('verify', ...where, '--salon-id', id, '--public-key', `${keyFile}.pub`);
        assert.equal(verified.code, 0, verified.output);
        assert.match(verified.output, new RegExp(`OK, ${entries} entries`));
        assert.match(verified.output, new RegExp(`entries 1–${entries} are covered by a signature`));
      }
      const unknown = cli('verify', ...where, '--salon-id', 'nosuch');
      assert.equal(unknown.code, 2);
      assert.match(unknown.output, /no salon "nosuch"/);
    });

    it('salons list, disable, enable and new-token take effect on the running platform; records are kept', async () => {
      const where = await store.where();
      const token = addSalon(
        where,
        'bella',
        '--salon',
        'Salon Bella',
        '--origin',
        BELLA,
        '--mail-from',
        'Salon Bella <hallo@salon-bella.example>',
        '--single-opt-in',
        'email-newsletter',
      );
      const platform = await servePlatform(...where);
      try {
        const bella = `${platform.url}/salons/bella`;
        // Added while the platform runs: served within a moment.
        addSalon(where, 'chic', '--salon', 'Coiffure Chic', '--origin', CHIC, '--single-opt-in', 'email-newsletter');
        await waitFor(
          async () => (await fetch(`${platform.url}/salons/chic/v1/health`)).status === 200,
          'chic is served',
        );
        const listed = cli('salons', 'list', ...where);
        assert.equal(listed.code, 0);
        assert.match(listed.stdout, /^bella\tenabled\tSalon Bella\thttps:\/\/salon-bella\.example\t/m);
        assert.match(listed.stdout, /^chic\tenabled\tCoiffure Chic\t/m);
        assert.doesNotMatch(listed.stdout, new RegExp(token), 'the token is never shown again');

        const event = consentEvent();
        assert.equal((await post(`${bella}/v1/consent-events`, event, { origin: BELLA })).status, 201);
        assert.equal(cli('salons', 'disable', 'bella', ...where).code, 0);
        await waitFor(async () => (await fetch(`${bella}/v1/health`)).status === 404, 'bella stops answering');
        assert.equal((await post(`${bella}/v1/consent-events`, consentEvent(), { origin: BELLA })).status, 404);
        assert.equal(
          (await fetch(`${bella}/v1/staff/entries`, { headers: { authorization: `Bearer ${token}` } })).status,
          404,
        );
        assert.equal((await fetch(`${platform.url}/salons/chic/v1/health`)).status, 200, 'chic is served on');
        assert.match(cli('salons', 'list', ...where).stdout, /^bella\tdisabled since \S+\tSalon Bella/m);

        assert.equal(cli('salons', 'enable', 'bella', ...where).code, 0);
        await waitFor(async () => (await fetch(`${bella}/v1/health`)).status === 200, 'bella answers again');
        const entries = (await (
          await fetch(`${bella}/v1/staff/entries`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { entries: ChainEntry[] };
        assert.deepEqual(
          entries.entries.map((entry) => entry.event.id),
          [event.id],
          'the record made before disabling is still there',
        );

        const renewed = cli('salons', 'new-token', 'bella', ...where);
        const newToken = /shown once[^\n]*\n(\S+)/.exec(renewed.stdout)?.[1];
        assert.ok(newToken, renewed.output);
        const answerWith = async (t: string) =>
          (await fetch(`${bella}/v1/staff/entries`, { headers: { authorization: `Bearer ${t}` } })).status;
        await waitFor(async () => (await answerWith(token)) === 401, 'the old token stops working');
        assert.equal(await answerWith(newToken), 200);
      } finally {
        await killHard(platform.child);
      }
      if (where[0] === '--data') {
        assert.deepEqual((await readdir(join(where[1]!, 'salons'))).sort(), ['bella', 'chic']);
        const registry = await registryText(where[1]!);
        assert.match(registry, /Salon Bella/);
        assert.doesNotMatch(registry, new RegExp(token), 'the registry keeps only a hash of the token');
      } else {
        assert.doesNotMatch(await databaseText(where[1]!), new RegExp(token));
      }
    });
  });
}

describe('salons: settings that cannot work', () => {
  for (const store of stores) {
    it(`${store.name}: a salon the platform cannot serve answers 503 and is named in the log once; the others are served`, async () => {
      const where = await store.where();
      addSalon(where, 'bella', '--salon', 'Salon Bella', '--origin', BELLA, '--single-opt-in', 'email-newsletter');
      // Double opt-in with a sender, but the platform is started without a mail server.
      addSalon(where, 'chic', '--salon', 'Coiffure Chic', '--origin', CHIC, '--mail-from', 'Chic <hallo@chic.example>');
      const platform = await servePlatform(...where);
      try {
        const chic = await post(`${platform.url}/salons/chic/v1/consent-events`, consentEvent(), { origin: CHIC });
        assert.equal(chic.status, 503);
        assert.match(((await chic.json()) as { error: string }).error, /salon "chic" cannot be served now/);
        const bella = await post(`${platform.url}/salons/bella/v1/consent-events`, consentEvent(), { origin: BELLA });
        assert.equal(bella.status, 201);
        assert.match(
          platform.output(),
          /salon chic cannot be served: .*--smtp-url/,
          'the log names the salon and the fix',
        );
        // Asked for again, it is still refused, and not logged again.
        for (let i = 0; i < 3; i += 1) {
          const again = await post(`${platform.url}/salons/chic/v1/consent-events`, consentEvent(), { origin: CHIC });
          assert.equal(again.status, 503);
        }
        assert.equal(platform.output().match(/salon chic cannot be served/g)?.length, 1);
      } finally {
        await killHard(platform.child);
      }
    });
  }

  it('are refused with the fix named, and the registry is left as it was', async () => {
    const where = ['--data', await mkdtemp(join(tmpdir(), 'platform-bad-'))];
    addSalon(where, 'bella', '--salon', 'Salon Bella', '--single-opt-in', 'email-newsletter');
    const before = await registryText(where[1]!);
    const cases: [string[], RegExp][] = [
      [['add', 'Bella!', '--salon', 'X', '--single-opt-in', 'email-newsletter'], /not a salon id/],
      [['add', 'bella', '--salon', 'Other', '--single-opt-in', 'email-newsletter'], /already registered/],
      [['add', 'chic', '--single-opt-in', 'email-newsletter'], /--salon is missing/],
      [['add', 'chic', '--salon', 'Chic'], /--mail-from is missing.*--single-opt-in email-newsletter/],
      [
        [
          'add',
          'chic',
          '--salon',
          'Chic',
          '--origin',
          'https://chic.example/booking',
          '--single-opt-in',
          'email-newsletter',
        ],
        /is not an origin/,
      ],
      [
        ['add', 'chic', '--salon', 'Chic', '--locale', 'es', '--single-opt-in', 'email-newsletter'],
        /--locale must be one of de, fr, it, en/,
      ],
      [['disable', 'nosuch'], /no salon "nosuch"/],
      [['remove', 'bella'], /salons needs one of: add, set, list, disable, enable, new-token/],
    ];
    for (const [args, message] of cases) {
      const result = cli('salons', ...args, ...where);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.match(result.output, message, args.join(' '));
    }
    assert.equal(await registryText(where[1]!), before);
    const mixed = cli('serve', '--salons', ...where, '--origin', BELLA);
    assert.equal(mixed.code, 2);
    assert.match(
      mixed.output,
      /--origin is each salon's own when serving --salons: set it with .*salons set ID --origin/,
    );
  });
});

/** Every file of a file-store registry (each salon's salon.json, the log of changes), as one text. */
async function registryText(dir: string): Promise<string> {
  const ids = (await readdir(join(dir, 'salons')).catch(() => [])).sort();
  const files = [...ids.map((id) => join(dir, 'salons', id, 'salon.json')), join(dir, 'salon-changes.log')];
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  return files.map((file, i) => `${file}\n${texts[i]}`).join('\n');
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A platform folder with `count` salons registered at once (as many `salons add` would), one staff token for all. */
async function manySalons(count: number): Promise<{ dir: string; token: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'platform-many-'));
  const token = newSecret();
  const salons = Array.from({ length: count }, (_, i) => salonWithToken(`s${i}`, token));
  await writeFile(join(dir, 'salons.json'), JSON.stringify({ salons }));
  return { dir, token };
}

/** Salon `id`'s settings, as `salons add` makes them, with `token` as its staff token. */
function salonWithToken(id: string, token: string): SalonSettings {
  return {
    id,
    controller: { name: `Salon ${id}` },
    origins: [BELLA],
    staffOrigins: [],
    staffTokenSha256: hashStaffToken(token),
    linkSecret: newSecret(),
    texts: [],
    singleOptIn: ['email-newsletter'],
    createdAt: new Date().toISOString(),
  };
}

/** The salons whose folder is open now (an open file store holds its lock file). */
async function openSalons(dir: string): Promise<string[]> {
  const ids = await readdir(join(dir, 'salons')).catch(() => []);
  const open = await Promise.all(
    ids.map((id) =>
      stat(join(dir, 'salons', id, 'ledger.lock')).then(
        () => id,
        () => '',
      ),
    ),
  );
  return open.filter(Boolean).sort();
}

const entriesOf = async (url: string, id: string, token: string) =>
  (
    (await (
      await fetch(`${url}/salons/${id}/v1/staff/entries`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { entries: ChainEntry[] }
  ).entries;

describe('a platform of many salons', () => {
  it('closes a salon nobody asked for a while, and opens it again when asked, its records whole', async () => {
    const { dir, token } = await manySalons(2);
    // Idle after 0.6 s (0.01 minutes).
    const platform = await servePlatform('--data', dir, '--salon-idle-minutes', '0.01');
    try {
      assert.equal(
        (await post(`${platform.url}/salons/s0/v1/consent-events`, consentEvent(), { origin: BELLA })).status,
        201,
      );
      let open = await openSalons(dir);
      for (let waited = 0; open.includes('s0') && waited < 100; waited += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = await openSalons(dir);
      }
      assert.deepEqual(open, [], 'both salons closed once idle');
      assert.equal(
        (await post(`${platform.url}/salons/s0/v1/consent-events`, consentEvent(), { origin: BELLA })).status,
        201,
      );
      assert.equal((await entriesOf(platform.url, 's0', token)).length, 2);
    } finally {
      await killHard(platform.child);
    }
  });

  it('keeps at most --max-open-salons open, closing the one asked for least recently; every booking is kept', async () => {
    const { dir, token } = await manySalons(8);
    const platform = await servePlatform('--data', dir, '--max-open-salons', '3');
    try {
      for (let i = 0; i < 8; i += 1) {
        const booked = await post(`${platform.url}/salons/s${i}/v1/consent-events`, consentEvent(), { origin: BELLA });
        assert.equal(booked.status, 201);
        assert.ok((await openSalons(dir)).length <= 3, `${(await openSalons(dir)).join(', ')} open at once`);
      }
      assert.ok((await openSalons(dir)).includes('s7'), 'the salon asked for last is open');
      for (let i = 0; i < 8; i += 1) assert.equal((await entriesOf(platform.url, `s${i}`, token)).length, 1);
    } finally {
      await killHard(platform.child);
    }
  });

  it('with too few files for --max-open-salons, the cap is lowered to what fits, said once, and every booking is kept', async () => {
    const { dir, token } = await manySalons(80);
    // About five files a salon: 250 files hold about 20 open salons beside the rest, not 1,000.
    const platform = await servePlatformWithFileLimit(250, '--data', dir, '--max-open-salons', '1000');
    try {
      const answers = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          post(`${platform.url}/salons/s${i}/v1/consent-events`, consentEvent(), { origin: BELLA }),
        ),
      );
      assert.deepEqual(
        answers.map((answer) => answer.status),
        answers.map(() => 201),
      );
      assert.ok((await openSalons(dir)).length <= 20, `${(await openSalons(dir)).length} salons open`);
      for (const i of [0, 41, 79]) assert.equal((await entriesOf(platform.url, `s${i}`, token)).length, 1);
      assert.match(
        platform.output(),
        /--max-open-salons 1000 needs about 5150 open files, and this process may open 250: at most 20 salons are open at once \(raise the limit/,
      );
      assert.doesNotMatch(platform.output(), /EMFILE/);
    } finally {
      await killHard(platform.child);
    }
  });

  it('salons whose store cannot open answer 503, the others are served, and each one’s cause is logged once with the fix', async () => {
    const { dir } = await manySalons(12);
    const logged: string[] = [];
    const original = console.error;
    console.error = (...parts: unknown[]) => void logged.push(parts.map(String).join(' '));
    const app = createPlatformApp({
      registry: new FileSalonRegistry(dir),
      async openSalon(id) {
        // Every salon past s3 meets a process out of files, each at a file of its own.
        if (Number(id.slice(1)) > 3) {
          throw Object.assign(
            new Error(`EMFILE: too many open files, open '${join(dir, 'salons', id, 'ledger.jsonl')}'`),
            {
              code: 'EMFILE',
            },
          );
        }
        return { store: await JsonlLedgerStore.open(FileSalonRegistry.salonDirectory(dir, id)) };
      },
    });
    try {
      await app.start();
      const statuses = [];
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 12; i += 1) {
          const answer = await app.request(`/salons/s${i}/v1/consent-events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: BELLA },
            body: JSON.stringify(consentEvent()),
          });
          statuses.push(answer.status);
        }
      }
      assert.deepEqual(
        statuses,
        [...Array(2)].flatMap(() => [201, 201, 201, 201, ...Array(8).fill(503)]),
      );
      // Each failing salon named once, though asked for twice (and opened by the background too).
      const said = logged.filter((line) => /EMFILE/.test(line));
      assert.deepEqual(
        said.map((line) => /salon (s\d+) cannot be served/.exec(line)?.[1]),
        ['s4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'],
        logged.join('\n'),
      );
      assert.match(said[0]!, /raise its limit \(ulimit -n, LimitNOFILE\) or lower --max-open-salons/);
    } finally {
      console.error = original;
      await app.close();
    }
  });

  it('requests that come while their salon closes wait, and it opens again: none is lost', async () => {
    const { dir, token } = await manySalons(3);
    // One salon open at a time, idle at once: bookings for three salons in turn open and close them all the time.
    const platform = await servePlatform('--data', dir, '--max-open-salons', '1', '--salon-idle-minutes', '0.001');
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          new Promise((resolve) => setTimeout(resolve, i * 15)).then(() =>
            post(`${platform.url}/salons/s${i % 3}/v1/consent-events`, consentEvent(), { origin: BELLA }),
          ),
        ),
      );
      assert.deepEqual(
        answers.map((answer) => answer.status),
        Array.from({ length: 60 }, () => 201),
      );
      const total = (await Promise.all(['s0', 's1', 's2'].map((id) => entriesOf(platform.url, id, token)))).flat();
      assert.equal(total.length, 60);
    } finally {
      await killHard(platform.child);
    }
  });

  it('answers as soon as it has read the registry; a salon opens when first asked for, once, however many ask at the same time', async () => {
    const { dir, token } = await manySalons(300);
    const platform = await servePlatform('--data', dir);
    try {
      assert.match(platform.output(), /consent ledger for 300 salons listening/);
      // It listened before opening them all (each open salon holds five files).
      const openFiles = (await readdir(`/proc/${platform.child.pid}/fd`)).length;
      assert.ok(openFiles < 5 * 150, `${openFiles} files open as it began to listen`);
      // Twenty bookings for the last salon at once, while the background is still opening the first ones:
      // each waits for the one opening (a second open of its folder would be refused by its lock).
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          post(`${platform.url}/salons/s299/v1/consent-events`, consentEvent(), { origin: BELLA }),
        ),
      );
      assert.deepEqual(
        answers.map((answer) => answer.status),
        Array.from({ length: 20 }, () => 201),
      );
      const { entries } = (await (
        await fetch(`${platform.url}/salons/s299/v1/staff/entries`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { entries: ChainEntry[] };
      assert.equal(entries.length, 20);
      assert.doesNotMatch(platform.output(), /cannot be served/);
    } finally {
      await killHard(platform.child);
    }
  });
});

describe('a platform’s salons opened and closed while work is under way (both stores, in process)', () => {
  const places = [
    {
      name: 'file store',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'platform-under-way-'));
        return {
          registry: new FileSalonRegistry(dir),
          openSalon: async (id: string) => ({
            store: await JsonlLedgerStore.open(FileSalonRegistry.salonDirectory(dir, id)),
          }),
          done: async () => undefined,
        };
      },
    },
    {
      name: 'PostgreSQL',
      async open() {
        const url = await freshDatabase();
        const pool = openPostgresPool(url, 6);
        await migratePostgres(pool);
        return {
          registry: new PostgresSalonRegistry(pool),
          openSalon: async (id: string) => ({
            store: await PostgresLedgerStore.open({ connectionString: url, pool, salon: id }),
          }),
          done: () => pool.end(),
        };
      },
    },
  ];
  for (const place of places) {
    it(`${place.name}: bookings, an erasure and a retention run while one salon at a time is open lose nothing`, async () => {
      const { registry, openSalon, done } = await place.open();
      const token = 'staff-token-under-way-0123456789abcdef';
      for (const id of ['s0', 's1', 's2']) await registry.add(salonWithToken(id, token));
      // One salon open at a time, closed as soon as it is idle: every request below opens its salon again.
      const app = createPlatformApp({ registry, openSalon, maxOpen: 1, idleMs: 1 });
      const staff = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const book = (salon: string, email: string) =>
        app.request(`/salons/${salon}/v1/consent-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: BELLA },
          body: JSON.stringify(consentEvent({ subject: { email } })),
        });
      try {
        await app.start();
        for (let i = 0; i < 30; i += 1) assert.equal((await book(`s${i % 2}`, `kundin-${i}@example.ch`)).status, 201);
        // All at once: bookings to every salon, an erasure at s0 and a retention run at s1.
        const [erasure, retention, ...bookings] = await Promise.all([
          app.request('/salons/s0/v1/staff/erasures', {
            method: 'POST',
            headers: staff,
            body: JSON.stringify({
              subject: { email: 'kundin-0@example.ch' },
              staffName: 'Lea',
              reason: 'customer-request',
            }),
          }),
          app.request('/salons/s1/v1/staff/retention', { method: 'POST', headers: staff, body: '{}' }),
          ...Array.from({ length: 45 }, (_, i) => book(`s${i % 3}`, `neu-${i}@example.ch`)),
        ]);
        assert.equal(erasure.status, 201, await erasure.clone().text());
        assert.equal(retention.status, 200, await retention.clone().text());
        assert.deepEqual(
          bookings.map((answer) => answer.status),
          bookings.map(() => 201),
        );
        assert.ok(app.served().length <= 1, `${app.served().join(', ')} open`);
        // Each chain whole: 15 earlier bookings at s0 and s1, 15 new ones everywhere, and s0's erasure.
        for (const [id, entries] of [
          ['s0', 31],
          ['s1', 30],
          ['s2', 15],
        ] as const) {
          const verified = (await (await app.request(`/salons/${id}/v1/staff/verify`, { headers: staff })).json()) as {
            entries: number;
            intact: boolean;
            problems: string[];
          };
          assert.deepEqual([verified.entries, verified.intact, verified.problems], [entries, true, []], id);
        }
        const erased = await app.request(`/salons/s0/v1/staff/status?email=kundin-0%40example.ch`, { headers: staff });
        assert.doesNotMatch(await erased.text(), /"state":"granted"/, 'the erased customer is nobody now');
        const kept = await app.request(`/salons/s0/v1/staff/status?email=kundin-2%40example.ch`, { headers: staff });
        assert.match(await kept.text(), /"state":"granted"/, 'the others keep their consent');
      } finally {
        await app.close();
        await done();
      }
    });
  }
});

describe('a platform’s background, when the cap leaves it no room', () => {
  it('a salon it could not open while every open salon was in use is opened once one is free', async () => {
    const { dir, token } = await manySalons(2);
    const app = createPlatformApp({
      registry: new FileSalonRegistry(dir),
      openSalon: async (id) => ({ store: await JsonlLedgerStore.open(FileSalonRegistry.salonDirectory(dir, id)) }),
      maxOpen: 1,
      idleMs: 100,
      shared: { rateLimit: false },
    });
    try {
      // s0 is asked for first, and held in use: its audience of 300 customers streams, unread.
      const start = app.start();
      for (let i = 0; i < 300; i += 30) {
        const booked = await Promise.all(
          Array.from({ length: 30 }, (_, k) =>
            app.request('/salons/s0/v1/consent-events', {
              method: 'POST',
              headers: { 'content-type': 'application/json', origin: BELLA },
              body: JSON.stringify(consentEvent({ subject: { email: `kundin-${i + k}@example.ch` } })),
            }),
          ),
        );
        assert.ok(booked.every((answer) => answer.status === 201));
      }
      const held = await app.request('/salons/s0/v1/staff/audience?purpose=email-newsletter&format=csv', {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(held.status, 200);
      await start;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.deepEqual(app.served(), ['s0'], 'no room for s1 while s0 answers');
      await held.text();
      // s0 idles out; the background opens s1 in its turn (its retention and waiting mails start).
      const deadline = Date.now() + 5_000;
      while (!app.served().includes('s1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(app.served(), ['s1']);
    } finally {
      await app.close();
    }
  });
});
