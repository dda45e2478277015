/**
 * `marketing-consent-ledger import`: the consents a salon brings from other
 * software, as an operator runs it on a stopped ledger. Each row keeps when
 * the customer decided and where it came from; a file with a bad row is
 * refused whole; a row never overrides a later decision; the same file
 * twice adds nothing; a dry run writes nothing; the audience can leave
 * imported consents out, and says how many.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from './cli-fixture.js';
import { LEDGER_FILE_NAME } from '../../src/server/store/file/jsonl-ledger-store.js';
import { startLedger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';

const HEADER = 'email,phone,customer_id,purpose,decision,occurred_at,source,evidence,staff_name';

async function csvFile(...rows: string[]): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'import-csv-')), 'consents.csv');
  await writeFile(file, `${[HEADER, ...rows].join('\n')}\n`);
  return file;
}

interface PurposeStatus {
  purpose: string;
  state: string;
  since?: string;
  method?: string;
  optInLevel: string;
  imported?: { source: string; at: string; evidence?: string };
}

/** The ledger as the salon reads it afterwards: started on the same folder. */
async function readBack<T>(data: string, read: (ledger: Awaited<ReturnType<typeof startLedger>>) => Promise<T>) {
  const ledger = await startLedger(
    { controller: { name: 'Salon Bella', jurisdiction: 'CH', locale: 'de' } },
    {
      dataDir: data,
    },
  );
  try {
    return await read(ledger);
  } finally {
    await ledger.close();
  }
}

const statusOf = (ledger: Awaited<ReturnType<typeof startLedger>>, email: string) =>
  ledger
    .staff(`/v1/staff/status?email=${encodeURIComponent(email)}`)
    .then((r) => r.json() as Promise<{ purposes: PurposeStatus[] }>);

describe('import', () => {
  it('records each row with the time the customer decided and the software it came from; the same file again adds nothing', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    const file = await csvFile(
      'anna@example.ch,+41 79 123 45 67,K-1,email-newsletter,granted,2023-03-01T10:00:00+01:00,SalonPro,"Formular 2023-03-01, Ordner 4",Lea',
      'anna@example.ch,+41 79 123 45 67,K-1,sms-newsletter,granted,2023-03-01T10:00:00+01:00,SalonPro,Formular 2023-03-01,Lea',
      'ben@example.ch,,K-2,email-newsletter,granted,2022-05-10T09:00:00Z,SalonPro,Formular,',
      'ben@example.ch,,K-2,email-newsletter,withdrawn,2024-01-15T12:30:00Z,SalonPro,,',
    );
    const first = cli('import', '--data', data, '--file', file);
    assert.equal(first.code, 0, first.output);
    assert.match(first.stdout, /imported 4 of 4 rows/);
    assert.ok(!first.output.includes('anna@example.ch'), 'no address in the output');

    const bytes = await readFile(join(data, LEDGER_FILE_NAME));
    const again = cli('import', '--data', data, '--file', file);
    assert.equal(again.code, 0, again.output);
    assert.match(again.stdout, /imported 0 of 4 rows/);
    assert.match(again.stdout, /skips line 2: already on record/);
    assert.deepEqual(await readFile(join(data, LEDGER_FILE_NAME)), bytes, 'nothing written the second time');

    await readBack(data, async (ledger) => {
      const anna = (await statusOf(ledger, 'anna@example.ch')).purposes;
      const email = anna.find((p) => p.purpose === 'email-newsletter')!;
      assert.equal(email.state, 'granted');
      assert.equal(email.method, 'import');
      assert.equal(email.since, '2023-03-01T09:00:00.000Z', 'when the customer decided');
      assert.equal(email.optInLevel, 'imported');
      assert.equal(email.imported?.source, 'SalonPro');
      assert.equal(email.imported?.evidence, 'Formular 2023-03-01, Ordner 4');
      assert.ok(Date.parse(email.imported!.at) > Date.parse('2026-01-01'), 'and when it came here');
      assert.equal(anna.find((p) => p.purpose === 'sms-newsletter')!.state, 'granted');
      const ben = (await statusOf(ledger, 'ben@example.ch')).purposes.find((p) => p.purpose === 'email-newsletter')!;
      assert.equal(ben.state, 'withdrawn');
      assert.equal(ben.since, '2024-01-15T12:30:00.000Z');
      // The proof, in the salon's language, shows the date and the source.
      const proof = await (await ledger.staff('/v1/staff/proof?email=anna%40example.ch')).text();
      assert.match(proof, /Entschieden am/);
      assert.match(proof, /2023-03-01T09:00:00.000Z/);
      assert.match(proof, /Übernommen aus/);
      assert.match(proof, /SalonPro/);
      const receipts = (await (await ledger.staff('/v1/staff/proof?email=anna%40example.ch&format=json')).json()) as {
        records: { kantara?: { consentTimestamp: number } }[];
      };
      assert.ok(
        receipts.records.some((r) => r.kantara?.consentTimestamp === Date.parse('2023-03-01T09:00:00Z') / 1000),
        'the Kantara receipt dates the consent when it was given',
      );
    });
  });

  it('never overrides a later decision on record, and adds a later one', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    assert.equal(
      cli(
        'import',
        '--data',
        data,
        '--file',
        await csvFile('cleo@example.ch,,,email-newsletter,withdrawn,2024-06-01T08:00:00Z,OldCRM,,'),
      ).code,
      0,
    );
    const older = await csvFile(
      'cleo@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,OtherTool,Formular,',
      'cleo@example.ch,,,email-newsletter,granted,2025-02-01T08:00:00Z,OtherTool,Formular 2025,',
    );
    const run = cli('import', '--data', data, '--file', older);
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /skips line 2: a later decision is on record/);
    assert.match(run.stdout, /adds line 3/);
    await readBack(data, async (ledger) => {
      const cleo = (await statusOf(ledger, 'cleo@example.ch')).purposes.find((p) => p.purpose === 'email-newsletter')!;
      assert.equal(cleo.state, 'granted');
      assert.equal(cleo.since, '2025-02-01T08:00:00.000Z');
    });
  });

  it('refuses a file with any bad row whole, naming each bad line, and writes nothing', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    cli(
      'import',
      '--data',
      data,
      '--file',
      await csvFile('dora@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,X,Formular,'),
    );
    const bytes = await readFile(join(data, LEDGER_FILE_NAME));
    const file = await csvFile(
      'ok@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      'noevidence@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,,',
      'baddate@example.ch,,,email-newsletter,granted,01.03.2023,SalonPro,Formular,',
      'nozone@example.ch,,,email-newsletter,granted,2023-03-01T10:00:00,SalonPro,Formular,',
      'x@example.ch,,,postcards,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      ',079 12,,sms-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      'y@example.ch,,,email-newsletter,maybe,2023-01-01T08:00:00Z,SalonPro,Formular,',
      ',,K-9,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      'z@example.ch,,,email-newsletter,granted,2099-01-01T08:00:00Z,SalonPro,Formular,',
    );
    const run = cli('import', '--data', data, '--file', file);
    assert.equal(run.code, 1);
    assert.match(run.output, /nothing was written/);
    for (const [line, problem] of [
      [3, /evidence is empty/],
      [4, /occurred_at "01\.03\.2023"/],
      [5, /occurred_at "2023-03-01T10:00:00" is not an ISO 8601 time with its zone/],
      [6, /purpose "postcards"/],
      [7, /phone/],
      [8, /decision must be granted or withdrawn/],
      [9, /email-newsletter needs email/],
      [10, /occurred_at 2099-01-01T08:00:00Z is in the future/],
    ] as const) {
      assert.match(run.output, new RegExp(`line ${line}: ${problem.source}`), `line ${line}`);
    }
    assert.ok(!/line 2:/.test(run.output), 'the good row is not named');
    assert.deepEqual(await readFile(join(data, LEDGER_FILE_NAME)), bytes);
    const header = join(await mkdtemp(join(tmpdir(), 'import-csv-')), 'bad-header.csv');
    await writeFile(header, 'mail,purpose\nx@example.ch,email-newsletter\n');
    const wrongHeader = cli('import', '--data', data, '--file', header);
    assert.equal(wrongHeader.code, 1);
    assert.match(wrongHeader.output, /line 1: the header must name the columns/);
  });

  it('prints what a dry run would add and writes nothing, with or without a ledger', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    const file = await csvFile(
      'eva@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      'eva@example.ch,,,email-newsletter,withdrawn,2023-02-01T08:00:00Z,SalonPro,,',
    );
    const fresh = cli('import', '--data', data, '--file', file, '--dry-run');
    assert.equal(fresh.code, 0, fresh.output);
    assert.match(fresh.stdout, /would add line 2/);
    assert.match(fresh.stdout, /would add line 3/);
    assert.match(fresh.stdout, /dry run: 2 of 2 rows would be added; nothing was written/);
    await assert.rejects(readFile(join(data, LEDGER_FILE_NAME)), 'no ledger made');

    cli(
      'import',
      '--data',
      data,
      '--file',
      await csvFile('eva@example.ch,,,email-newsletter,granted,2023-01-15T08:00:00Z,X,Formular,'),
    );
    const bytes = await readFile(join(data, LEDGER_FILE_NAME));
    const dry = cli('import', '--data', data, '--file', file, '--dry-run');
    assert.match(dry.stdout, /skips line 2: a later decision is on record/);
    assert.match(dry.stdout, /would add line 3/);
    assert.deepEqual(await readFile(join(data, LEDGER_FILE_NAME)), bytes);
  });

  it('lets the audience leave out consents that came only by import, and counts them', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    cli(
      'import',
      '--data',
      data,
      '--file',
      await csvFile(
        'fabio@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
        'gina@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,',
      ),
    );
    await readBack(data, async (ledger) => {
      // Gina confirms here, in the salon: her grant is no longer only the import.
      await ledger.staff('/v1/staff/grants', {
        method: 'POST',
        body: JSON.stringify({
          subject: { email: 'gina@example.ch' },
          purposes: ['email-newsletter'],
          staffName: 'Lea',
          evidence: 'Formular 2026',
          customerAgreed: true,
        }),
      });
      const all = (await (await ledger.staff('/v1/staff/audience?purpose=email-newsletter')).json()) as {
        recipients: { address: string }[];
        leftOut: { imported: number };
      };
      assert.deepEqual(all.recipients.map((r) => r.address).sort(), ['fabio@example.ch', 'gina@example.ch']);
      const fresh = (await (
        await ledger.staff('/v1/staff/audience?purpose=email-newsletter&excludeImported=true')
      ).json()) as typeof all;
      assert.deepEqual(
        fresh.recipients.map((r) => r.address),
        ['gina@example.ch'],
      );
      assert.equal(fresh.leftOut.imported, 1);
      assert.equal((await ledger.staff('/v1/staff/audience?purpose=email-newsletter&excludeImported=yes')).status, 400);
    });
  });

  it('refuses to import into a running ledger', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-'));
    const running = await startLedger({}, { dataDir: data });
    try {
      const run = cli(
        'import',
        '--data',
        data,
        '--file',
        await csvFile('hans@example.ch,,,email-newsletter,granted,2023-01-01T08:00:00Z,SalonPro,Formular,'),
      );
      assert.equal(run.code, 1);
      assert.match(run.output, /Stop the ledger first/);
    } finally {
      await running.close();
    }
  });

  it('imports into PostgreSQL as into the file store, once', async () => {
    const databaseUrl = await freshDatabase();
    const file = await csvFile(
      'ida@example.ch,+41 79 555 66 77,,sms-newsletter,granted,2023-04-01T10:00:00+02:00,SalonPro,Formular,Lea',
    );
    const first = cli('import', '--database-url', databaseUrl, '--file', file);
    assert.equal(first.code, 0, first.output);
    assert.match(first.stdout, /imported 1 of 1 rows/);
    assert.match(cli('import', '--database-url', databaseUrl, '--file', file).stdout, /imported 0 of 1 rows/);
    const ledger = await startLedger({}, { databaseUrl });
    try {
      const status = (await (await ledger.staff('/v1/staff/status?phone=%2B41795556677')).json()) as {
        purposes: PurposeStatus[];
      };
      const sms = status.purposes.find((p) => p.purpose === 'sms-newsletter')!;
      assert.equal(sms.state, 'granted');
      assert.equal(sms.since, '2023-04-01T08:00:00.000Z');
    } finally {
      await ledger.close();
    }
  });
});

after(stopPostgres);
