/**
 * The erasure invariants, over random histories posted to a real ledger over
 * HTTP: erasing by any identifier takes exactly that customer (every
 * identifier linked to it) out of status, history and every audience, leaves
 * every other identifier's status as it was, and the chain still verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { consentEvent, startLedger, type Ledger } from './ledger-fixture.js';

const PURPOSES = ['email-newsletter', 'sms-newsletter'] as const;

const step = fc.record({
  person: fc.nat(2),
  kind: fc.constantFrom('grant', 'grant', 'withdraw'),
  purpose: fc.constantFrom(...PURPOSES),
  names: fc.record({ customerId: fc.boolean(), email: fc.boolean(), phone: fc.boolean() }),
});

describe('erasure takes one customer out, and only them (property-based, real ledger over HTTP)', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  const post = (path: string, body: unknown) => ledger.staff(path, { method: 'POST', body: JSON.stringify(body) });
  const statusBy = async (query: Record<string, string>) =>
    (await ledger.staff(`/v1/staff/status?${new URLSearchParams(query)}`)).json();

  it('after erasing by any identifier: that customer is erased everywhere, everyone else is unchanged, verify holds', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.nat(2),
        fc.constantFrom('customerId', 'email', 'phone'),
        async (steps, target, by) => {
          run += 1;
          const people = [0, 1, 2].map((i) => {
            const tag = `${run}-${i}-${Math.random().toString(36).slice(2, 8)}`;
            return {
              customerId: `K-${tag}`,
              email: `p-${tag}@example.ch`,
              phone: `+4179${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
            };
          });
          for (const s of steps) {
            const person = people[s.person]!;
            const subject: Record<string, string> = {};
            if (s.names.customerId) subject['customerId'] = person.customerId;
            if (s.names.email || (s.kind === 'grant' && s.purpose === 'email-newsletter'))
              subject['email'] = person.email;
            if (s.names.phone || (s.kind === 'grant' && s.purpose === 'sms-newsletter'))
              subject['phone'] = person.phone;
            if (Object.keys(subject).length === 0) subject['customerId'] = person.customerId;
            const response =
              s.kind === 'grant'
                ? await ledger.post(
                    '/v1/consent-events',
                    consentEvent({ subject, purposes: [{ purpose: s.purpose, granted: true }] }),
                  )
                : await post('/v1/staff/withdrawals', { subject, purposes: [s.purpose], staffName: 'Lea' });
            assert.equal(response.status, 201, await response.text());
          }
          const queries = people.flatMap((person) =>
            (['customerId', 'email', 'phone'] as const).map((key) => ({ [key]: person[key] })),
          );
          const before = await Promise.all(queries.map(statusBy));
          const query = { [by]: people[target]![by] };
          const known = await statusBy(query);
          const erasedIds = new Set<string>([
            ...known.linked.customerIds,
            ...known.linked.emails,
            ...known.linked.phones,
          ]);

          const response = await post('/v1/staff/erasures', {
            subject: query,
            staffName: 'Lea',
            reason: 'customer-request',
          });
          assert.equal(response.status, erasedIds.size > 0 ? 201 : 404, await response.text());

          for (const [i, q] of queries.entries()) {
            const value = Object.values(q)[0]!;
            const status = await statusBy(q);
            if (erasedIds.has(value)) {
              assert.ok(status.erasure, `${value} was erased with the customer, its status must say so`);
              assert.deepEqual(status.linked, { customerIds: [], emails: [], phones: [] });
              const history = await (await ledger.staff(`/v1/staff/history?${new URLSearchParams(q)}`)).json();
              assert.deepEqual(history.entries, []);
            } else {
              assert.deepEqual(status, before[i], `${value} was not erased, its status must not change`);
            }
          }
          for (const purpose of PURPOSES) {
            const audience = await (await ledger.staff(`/v1/staff/audience?purpose=${purpose}`)).json();
            for (const { address } of audience.recipients as { address: string }[]) {
              assert.ok(!erasedIds.has(address), `${address} was erased but is in the ${purpose} audience`);
            }
          }
          const verified = await (await ledger.staff('/v1/staff/verify')).json();
          assert.equal(verified.intact, true, JSON.stringify(verified.problems));
        },
      ),
      { numRuns: 40 },
    );
  });
});
