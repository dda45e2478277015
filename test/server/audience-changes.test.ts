/**
 * GET /v1/staff/audience/changes: a newsletter tool that follows the changes
 * page by page, from cursor 0, holds exactly the audience the ledger gives,
 * whatever was granted, withdrawn and erased, and however the pages fall.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { consentEvent, startLedger, type Ledger } from './ledger-fixture.js';

const PURPOSE = 'email-newsletter';
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

interface Changes {
  next: number;
  complete: boolean;
  changes: { seq: number; change: 'joined' | 'left'; address?: string; reason?: string }[];
}

async function changesAfter(ledger: Ledger, after: number, limit?: number): Promise<Changes> {
  const response = await ledger.staff(
    `/v1/staff/audience/changes?purpose=${PURPOSE}&after=${after}${limit ? `&limit=${limit}` : ''}`,
  );
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Changes;
}

/** Follows the changes from `cursor` to the end, `limit` entries a page, applying them to `held`. */
async function follow(ledger: Ledger, held: Set<string>, cursor: number, limit: number) {
  const seen: Changes['changes'] = [];
  for (;;) {
    const page = await changesAfter(ledger, cursor, limit);
    for (const change of page.changes) {
      seen.push(change);
      if (!change.address) continue; // an erasure: the tool reconciles against the audience (below)
      if (change.change === 'joined') held.add(change.address);
      else held.delete(change.address);
    }
    assert.ok(page.next >= cursor);
    cursor = page.next;
    if (page.complete) return { cursor, seen };
  }
}

async function audience(ledger: Ledger): Promise<Set<string>> {
  const body = await (await ledger.staff(`/v1/staff/audience?purpose=${PURPOSE}`)).json();
  return new Set(body.recipients.map((r: { address: string }) => r.address));
}

describe('audience changes', () => {
  let ledger: Ledger;
  before(async () => {
    ledger = await startLedger();
  });
  after(() => ledger.close());

  it('names who joined and who left since a cursor, and an erasure without its address', async () => {
    const anna = consentEvent();
    const ben = consentEvent();
    await ledger.post('/v1/consent-events', anna);
    await ledger.post('/v1/consent-events', ben);
    const first = await changesAfter(ledger, 0);
    assert.equal(first.complete, true);
    assert.deepEqual(
      first.changes.map(({ change, address }) => [change, address]),
      [
        ['joined', anna.subject.email],
        ['joined', ben.subject.email],
      ],
    );
    // Nothing new: nothing to tell.
    assert.deepEqual((await changesAfter(ledger, first.next)).changes, []);

    await ledger.staff(
      '/v1/staff/withdrawals',
      json({ subject: { email: anna.subject.email }, purposes: [PURPOSE], staffName: 'Lea' }),
    );
    await ledger.staff(
      '/v1/staff/erasures',
      json({ subject: { email: ben.subject.email }, staffName: 'Lea', reason: 'customer-request' }),
    );
    const second = await changesAfter(ledger, first.next);
    assert.deepEqual(
      second.changes.map(({ change, address, reason }) => [change, address ?? reason]),
      [
        ['left', anna.subject.email],
        ['left', 'erased'],
      ],
    );
    // The erased address is named nowhere in the answer.
    assert.doesNotMatch(JSON.stringify(second), new RegExp(ben.subject.email!.replace('.', '\\.')));

    // Erasing a customer who never granted the e-mail newsletter changes nothing for it.
    const cleo = consentEvent({ purposes: [{ purpose: 'sms-newsletter', granted: true }] });
    await ledger.post('/v1/consent-events', cleo);
    const erased = await ledger.staff(
      '/v1/staff/erasures',
      json({ subject: { phone: cleo.subject.phone }, staffName: 'Lea', reason: 'customer-request' }),
    );
    assert.equal(erased.status, 201);
    assert.deepEqual((await changesAfter(ledger, second.next)).changes, []);
  });

  it('refuses an unknown purpose, a cursor that is not a whole number, and a limit out of range', async () => {
    for (const query of [
      'purpose=fax&after=0',
      `purpose=${PURPOSE}`,
      `purpose=${PURPOSE}&after=-1`,
      `purpose=${PURPOSE}&after=1.5`,
      `purpose=${PURPOSE}&after=abc`,
      `purpose=${PURPOSE}&after=0&limit=0`,
      `purpose=${PURPOSE}&after=0&limit=501`,
    ]) {
      const response = await ledger.staff(`/v1/staff/audience/changes?${query}`);
      assert.equal(response.status, 400, query);
      assert.match((await response.json()).error, /purpose|after|limit/);
    }
    assert.equal((await fetch(`${ledger.url}/v1/staff/audience/changes?purpose=${PURPOSE}&after=0`)).status, 401);
  });

  it('a tool that follows the changes holds the audience, whatever happens and however the pages fall', async () => {
    // One ledger over all runs: the tool follows from where the last run left it.
    const tool = new Set(await audience(ledger));
    let { cursor } = await follow(ledger, new Set(), 0, 500);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('grant' as const), who: fc.nat(4) }),
      fc.record({ kind: fc.constant('withdraw' as const), who: fc.nat(4) }),
      fc.record({ kind: fc.constant('erase' as const), who: fc.nat(4) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, limit) => {
          const run = crypto.randomUUID().slice(0, 8);
          const email = (who: number) => `p${who}-${run}@example.ch`;
          for (const s of steps) {
            if (s.kind === 'grant') {
              const event = consentEvent({ subject: { email: email(s.who) } });
              assert.equal((await ledger.post('/v1/consent-events', event)).status, 201);
            } else if (s.kind === 'withdraw') {
              await ledger.staff(
                '/v1/staff/withdrawals',
                json({ subject: { email: email(s.who) }, purposes: [PURPOSE], staffName: 'Lea' }),
              );
            } else {
              await ledger.staff(
                '/v1/staff/erasures',
                json({ subject: { email: email(s.who) }, staffName: 'Lea', reason: 'customer-request' }),
              );
            }
          }
          const followed = await follow(ledger, tool, cursor, limit);
          cursor = followed.cursor;
          const now = await audience(ledger);
          // An erasure names no address: the tool drops what the audience no longer has.
          if (followed.seen.some((change) => change.reason === 'erased')) {
            for (const address of [...tool]) if (!now.has(address)) tool.delete(address);
          }
          assert.deepEqual([...tool].sort(), [...now].sort());
        },
      ),
      { seed: 27, numRuns: 15 },
    );
  });
});
