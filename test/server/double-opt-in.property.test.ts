/**
 * The double opt-in rule, over random histories, against the one function
 * every reader asks (ConsentView): an online tick alone never puts an
 * address in the audience; it counts once a click confirmed a grant for
 * that address made after its customer's last withdrawal; a staff entry
 * with evidence counts at once; a withdrawal undoes both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LedgerEntry, LedgerRecord } from '../../src/contract/ledger-records.js';
import { AddressBook } from '../../src/server/consent/addresses.js';
import { ConsentView } from '../../src/server/consent/consent-status.js';
import { consentEvent } from './ledger-fixture.js';

const PURPOSE = 'email-newsletter';
const EMAILS = ['anna@example.ch', 'ben@example.ch'];

const step = fc.record({
  who: fc.nat(EMAILS.length - 1),
  kind: fc.constantFrom('tick', 'tick', 'click', 'click', 'staff', 'withdraw'),
  /** For a click: which of the address's earlier ticks it confirms (counted from the latest). */
  back: fc.nat(3),
  /** E-mail spelled in another case: still the same address. */
  upper: fc.boolean(),
});

describe('double opt-in decisions (property-based)', () => {
  it('an address is in the audience exactly when a staff entry or a confirmed tick after the last withdrawal says so', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const view = new ConsentView(new AddressBook('CH'), { needsConfirmation: (p) => p === PURPOSE });
        // The model: per address, seq of the last withdrawal, of the latest staff grant and tick, and the confirmed ticks.
        const model = EMAILS.map(() => ({
          withdrawal: 0,
          staff: 0,
          tick: 0,
          ticks: [] as { id: string; seq: number }[],
          confirmed: 0,
        }));
        let seq = 0;
        const append = (record: LedgerRecord) => {
          seq += 1;
          const entry: LedgerEntry = {
            seq,
            receivedAt: new Date(Date.now() + seq).toISOString(),
            event: record,
            flags: [],
            prevHash: '',
            hash: '',
          };
          view.absorb(entry);
        };
        for (const { who, kind, back, upper } of steps) {
          const email = upper ? EMAILS[who]!.toUpperCase() : EMAILS[who]!;
          const m = model[who]!;
          const base = { schemaVersion: 1 as const, id: crypto.randomUUID(), subject: { email } };
          if (kind === 'tick') {
            append(consentEvent({ id: base.id, subject: { email } }));
            m.tick = seq;
            m.ticks.push({ id: base.id, seq });
          } else if (kind === 'staff') {
            append({
              ...base,
              purposes: [{ purpose: PURPOSE, granted: true }],
              method: 'staff',
              staff: { name: 'Lea', evidence: 'form' },
            });
            m.staff = seq;
          } else if (kind === 'withdraw') {
            append({
              ...base,
              purposes: [{ purpose: PURPOSE, granted: false }],
              method: 'staff',
              staff: { name: 'Lea' },
            });
            m.withdrawal = seq;
          } else {
            const grant = m.ticks[m.ticks.length - 1 - back];
            if (!grant) continue;
            append({
              ...base,
              purposes: [],
              method: 'double-opt-in',
              purpose: PURPOSE,
              grantId: grant.id,
              mailId: crypto.randomUUID(),
            });
            m.confirmed = Math.max(m.confirmed, grant.seq);
          }
        }
        const audience = view.audience(PURPOSE).recipients.map((r) => r.address.toLowerCase());
        EMAILS.forEach((email, who) => {
          const m = model[who]!;
          const granted = m.staff > m.withdrawal || (m.tick > m.withdrawal && m.confirmed > m.withdrawal);
          const pending = !granted && m.tick > m.withdrawal;
          assert.equal(audience.includes(email), granted, `${email}: ${JSON.stringify(m)}`);
          const state = view.decide(PURPOSE, `email:${email}`).state;
          assert.equal(state, granted ? 'granted' : pending ? 'pending' : m.withdrawal ? 'withdrawn' : 'never');
          const status = view.status({ email }, [PURPOSE]).purposes[0]!;
          assert.equal(status.state, state, 'status agrees with the audience');
          if (granted && m.staff <= m.withdrawal) assert.equal(status.optInLevel, 'confirmed');
        });
      }),
      { numRuns: 300 },
    );
  });
});
