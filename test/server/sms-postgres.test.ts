/**
 * SMS on PostgreSQL with two ledger processes sharing the database (as
 * behind a load balancer), both bound to the SMSC: one confirmation SMS per
 * sign-up whichever process took it, a reply recorded by whichever process
 * the SMSC delivered it to and read by both, one acknowledgement per STOP.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { consentEvent, PAGE_ORIGIN, startLedger, type Ledger } from './ledger-fixture.js';
import { freshDatabase, stopPostgres } from './postgres-fixture.js';
import { startSmsc } from '../../scripts/smsc.mjs';

after(stopPostgres);

const SALON = '+41445550101';

async function smsState(ledger: Ledger, phone: string) {
  const status = await (await ledger.staff(`/v1/staff/status?phone=${encodeURIComponent(phone)}`)).json();
  return status.purposes.find((p: { purpose: string }) => p.purpose === 'sms-newsletter');
}

describe('SMS on PostgreSQL', () => {
  it('two processes: one SMS per sign-up, replies recorded once and read by both, one acknowledgement per STOP', async () => {
    const databaseUrl = await freshDatabase();
    const smsc = await startSmsc();
    const settings = {
      controller: { name: 'Salon Bella', jurisdiction: 'CH' },
      sms: { smppUrl: smsc.url, from: SALON },
    };
    const first = await startLedger(settings, { databaseUrl });
    const second = await startLedger(settings, { databaseUrl });
    try {
      const phones = ['+41791110001', '+41791110002', '+41791110003', '+41791110004'];
      await Promise.all(
        phones.map(async (phone, index) => {
          const event = consentEvent({ subject: { phone }, purposes: [{ purpose: 'sms-newsletter', granted: true }] });
          const response = await (index % 2 ? second : first).post('/v1/consent-events', event, {
            origin: PAGE_ORIGIN,
          });
          assert.equal(response.status, 201);
        }),
      );
      await smsc.waitFor(phones.length);
      for (const phone of phones) {
        for (
          let i = 0;
          i < 100 && (await smsState(first, phone)).addresses[0]?.confirmation?.mails.length !== 1;
          i += 1
        )
          await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // A process that starts now finds nothing more to send: every sign-up has its SMS on record.
      const third = await startLedger(settings, { databaseUrl });
      await new Promise((resolve) => setTimeout(resolve, 800));
      await third.close();
      assert.deepEqual(
        phones.map((phone) => smsc.messagesTo(phone).length),
        [1, 1, 1, 1],
      );

      assert.equal(await smsc.deliver(phones[0]!, SALON, 'JA'), 0);
      assert.equal((await smsState(second, phones[0]!)).state, 'granted');
      assert.equal((await smsState(first, phones[0]!)).state, 'granted');
      assert.equal(await smsc.deliver(phones[0]!, SALON, 'STOP'), 0);
      assert.equal((await smsState(second, phones[0]!)).state, 'withdrawn');
      for (let i = 0; i < 100 && smsc.messagesTo(phones[0]!).length < 2; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(smsc.messagesTo(phones[0]!).length, 2, 'one acknowledgement');
      const entries = (await (await first.staff('/v1/staff/entries?limit=100')).json()).entries as {
        event: { method: string };
      }[];
      assert.deepEqual(
        entries
          .map((entry) => entry.event.method)
          .filter((method) => method !== 'online-booking')
          .sort(),
        [
          'confirmation-sms',
          'confirmation-sms',
          'confirmation-sms',
          'confirmation-sms',
          'confirmation-sms',
          'double-opt-in',
          'sms-reply',
        ].sort(),
      );
    } finally {
      await first.close();
      await second.close();
      await smsc.close();
    }
  });
});
