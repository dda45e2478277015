/**
 * Webhooks on PostgreSQL, with two ledger processes sharing the database (as
 * behind a load balancer): the endpoint's cursor is a row of ledger_state,
 * one process delivers to an endpoint at a time, so every event arrives once
 * and in chain order, whichever process took the record; an erasure's notice
 * is gone once delivered.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { consentEvent, PAGE_ORIGIN, startLedger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';
import { startReceiver, WEBHOOK_SECRET } from './webhook-receiver.js';

after(stopPostgres);

describe('webhooks on PostgreSQL', () => {
  it('two processes deliver each event once, in chain order, and keep nothing of an erased customer', async () => {
    const databaseUrl = await freshDatabase();
    const receiver = await startReceiver();
    const settings = {
      webhooks: {
        endpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
        salon: { name: 'Salon Bella' },
        pollMs: 200,
      },
    };
    const first = await startLedger(settings, { databaseUrl });
    const second = await startLedger(settings, { databaseUrl });
    try {
      const customers = Array.from({ length: 6 }, () => consentEvent());
      await Promise.all(
        customers.map((event, index) =>
          (index % 2 ? second : first).post('/v1/consent-events', event, { origin: PAGE_ORIGIN }),
        ),
      );
      const withdrawn = customers[0]!.subject.email!;
      await second.staff('/v1/staff/withdrawals', {
        method: 'POST',
        body: JSON.stringify({ subject: { email: withdrawn }, purposes: ['email-newsletter'], staffName: 'Lea' }),
      });
      const erased = customers[1]!.subject.email!;
      const erasure = await first.staff('/v1/staff/erasures', {
        method: 'POST',
        body: JSON.stringify({ subject: { email: erased }, staffName: 'Lea', reason: 'customer-request' }),
      });
      assert.equal(erasure.status, 201);
      // 6 grants, 1 withdrawal, 1 erasure (with her e-mail address; her phone number was never granted a purpose
      // of its own, yet the tool may hold it: it is named too).
      await receiver.until(() => receiver.delivered.filter((d) => d.event.type.endsWith('.erased')).length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const ids = receiver.delivered.map((d) => d.webhookId);
      assert.equal(new Set(ids).size, ids.length, `each event once: ${ids.join(', ')}`);
      const seqs = receiver.delivered.map((d) => Number(d.event.data?.['seq']));
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'in chain order',
      );
      assert.equal(receiver.typesFor(withdrawn).join(), 'granted,withdrawn');
      // Every other customer's grant arrives; the erased one's grant may not, had the erasure come first
      // (an erased record's address is gone), but her erasure always does, last.
      for (const event of customers.filter((c) => c.subject.email !== erased))
        assert.equal(receiver.typesFor(event.subject.email!)[0], 'granted');
      assert.equal(receiver.typesFor(erased).at(-1), 'erased');
      assert.deepEqual(receiver.rejected, []);

      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string; value: string }>('SELECT name, value FROM ledger_state');
        assert.ok(
          rows.some((row) => row.name.startsWith('webhook-')),
          'the cursor is a row',
        );
        for (const row of rows) assert.ok(!row.value.includes(erased), `${row.name} holds no erased address`);
        assert.ok(!rows.some((row) => row.name.startsWith('webhook-erasure:')), 'no notice waits');
      } finally {
        await client.end();
      }
    } finally {
      await first.close();
      await second.close();
      await receiver.close();
    }
  });
});
