/**
 * The identity invariants, over random histories: grants and withdrawals
 * naming random subsets of a customer's identifiers in random spellings,
 * posted to a real ledger over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { consentEvent, startLedger, type Ledger } from './ledger-fixture.js';

const PURPOSES = ['email-newsletter', 'sms-newsletter'] as const;

/** One person: a customer id, an e-mail and a Swiss mobile number, each spelled several ways. */
interface Person {
  customerId: string;
  email: string;
  phoneDigits: string; // 7 digits after +41 79
}

const spellEmail = (email: string, style: number) =>
  style === 0 ? email : style === 1 ? email.toUpperCase() : `${email[0]!.toUpperCase()}${email.slice(1)}`;
const spellPhone = (digits: string, style: number) =>
  [
    `+41 79 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`,
    `079 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`,
    `0041 79${digits}`,
    `+4179${digits}`,
    `(079) ${digits.slice(0, 3)}-${digits.slice(3)}`,
  ][style % 5]!;

const step = fc.record({
  person: fc.nat(2),
  kind: fc.constantFrom('grant', 'grant', 'withdraw'),
  purpose: fc.constantFrom(...PURPOSES),
  // Which identifiers the record names: customer id, e-mail, phone.
  names: fc.record({ customerId: fc.boolean(), email: fc.boolean(), phone: fc.boolean() }),
  style: fc.nat(4),
});

describe('one customer, one truth (property-based, real ledger over HTTP)', () => {
  let ledger: Ledger;
  before(async () => (ledger = await startLedger()));
  after(() => ledger.close());

  const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

  it('after any withdrawal no linked address is in the audience until a newer grant for it; status by any identifier agrees with the audience', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run += 1;
        const people: Person[] = [0, 1, 2].map((i) => ({
          customerId: `run${run}-p${i}-${Math.random().toString(36).slice(2, 8)}`,
          email: `run${run}.p${i}.${Math.random().toString(36).slice(2, 8)}@example.ch`,
          phoneDigits: String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
        }));
        // The model: which identifiers each record named, per person (people never share one).
        const records: { person: number; kind: string; purpose: string; named: Set<string>; index: number }[] = [];
        for (const [index, s] of steps.entries()) {
          const person = people[s.person]!;
          const subject: Record<string, string> = {};
          if (s.names.customerId) subject['customerId'] = person.customerId;
          if (s.names.email || (s.kind === 'grant' && s.purpose === 'email-newsletter'))
            subject['email'] = spellEmail(person.email, s.style);
          if (s.names.phone || (s.kind === 'grant' && s.purpose === 'sms-newsletter'))
            subject['phone'] = spellPhone(person.phoneDigits, s.style);
          if (Object.keys(subject).length === 0) subject['customerId'] = person.customerId;
          const named = new Set(
            Object.keys(subject).map((key) => (key === 'customerId' ? 'c' : key === 'email' ? 'e' : 'p')),
          );
          if (s.kind === 'grant') {
            const response = await ledger.post(
              '/v1/consent-events',
              consentEvent({ subject, purposes: [{ purpose: s.purpose, granted: true }] }),
            );
            assert.equal(response.status, 201, await response.text());
          } else {
            const response = await ledger.staff(
              '/v1/staff/withdrawals',
              json({ subject, purposes: [s.purpose], staffName: 'Lea' }),
            );
            assert.equal(response.status, 201, await response.text());
          }
          records.push({ person: s.person, kind: s.kind, purpose: s.purpose, named, index });
        }
        /** The identifiers linked to `id` of a person: every record naming two of them links them. */
        const linked = (person: number, id: string): Set<string> => {
          const component = new Set([id]);
          for (let grew = true; grew;) {
            grew = false;
            for (const r of records) {
              if (r.person !== person || ![...r.named].some((n) => component.has(n))) continue;
              for (const n of r.named) {
                if (component.has(n)) continue;
                component.add(n);
                grew = true;
              }
            }
          }
          return component;
        };
        const touched = new Set(records.map((r) => r.person));
        for (const purpose of PURPOSES) {
          const audience = await (await ledger.staff(`/v1/staff/audience?purpose=${purpose}`)).json();
          const inAudience = new Set<string>(
            audience.recipients.map((r: { address: string }) => r.address.toLowerCase()),
          );
          for (const [i, person] of people.entries()) {
            if (!touched.has(i)) continue;
            const address = purpose === 'email-newsletter' ? person.email : `+4179${person.phoneDigits}`;
            const own = purpose === 'email-newsletter' ? 'e' : 'p';
            const component = linked(i, own);
            const lastGrant = records.findLast((r) => r.person === i && r.kind === 'grant' && r.purpose === purpose);
            const lastReaching = records.findLast(
              (r) =>
                r.person === i &&
                r.kind === 'withdraw' &&
                r.purpose === purpose &&
                [...r.named].some((n) => component.has(n)),
            );
            // In the audience exactly when granted and no withdrawal that reaches the address came later.
            const expected = lastGrant !== undefined && (!lastReaching || lastReaching.index < lastGrant.index);
            assert.equal(
              inAudience.has(address),
              expected,
              `${address} ${expected ? 'missing from' : 'wrongly in'} the ${purpose} audience`,
            );
            // Status by every identifier of the person agrees with the audience.
            for (const query of [
              `customerId=${encodeURIComponent(person.customerId)}`,
              `email=${encodeURIComponent(spellEmail(person.email, 1))}`,
              `phone=${encodeURIComponent(spellPhone(person.phoneDigits, 1))}`,
            ]) {
              const status = await (await ledger.staff(`/v1/staff/status?${query}`)).json();
              const entry = status.purposes.find((p: { purpose: string }) => p.purpose === purpose);
              for (const a of entry.addresses as { address: string; state: string }[]) {
                assert.equal(
                  a.state === 'granted',
                  inAudience.has(a.address.toLowerCase()),
                  `status by ${query} says ${a.address} is ${a.state}, the audience disagrees`,
                );
              }
              assert.equal(
                entry.state === 'granted',
                (entry.addresses as { state: string }[]).some((a) => a.state === 'granted'),
              );
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
