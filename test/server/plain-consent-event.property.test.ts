/**
 * The intake's quick check against the contract it stands in for: whatever
 * isPlainConsentEvent accepts, consentEventSchema accepts and leaves exactly
 * as it is (so storing the body as posted stores what zod would have
 * returned). And the events a booking page posts pass it, or the quick
 * check would save nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { consentEventSchema } from '../../src/contract/consent-event.js';
import { isPlainConsentEvent } from '../../src/server/routes/plain-consent-event.js';

type Json = Record<string, unknown>;

const isoTime = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.constantFrom('Z', '+01:00', '-05:30', '+14:00'),
    fc.boolean(),
  )
  .map(([date, zone, millis]) => {
    const text = date.toISOString();
    return (millis ? text : text.replace(/\.\d{3}/, '')).replace('Z', zone);
  });
const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const simpleEmail = fc.tuple(word, word, fc.constantFrom('ch', 'de', 'example')).map(([a, b, c]) => `${a}@${b}.${c}`);

/** Events as booking pages post them. */
const posted = fc.record(
  {
    schemaVersion: fc.constant(1),
    id: fc.uuid(),
    subject: fc.record(
      {
        email: simpleEmail,
        phone: fc.stringMatching(/^\+41 ?79 ?\d{3} ?\d{2} ?\d{2}$/),
        customerId: fc.stringMatching(/^K-\d{1,8}$/),
      },
      { requiredKeys: ['email'] },
    ),
    purposes: fc.uniqueArray(
      fc.record({
        purpose: fc.constantFrom('email-newsletter', 'sms-newsletter', 'birthday-greetings'),
        granted: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3, selector: (decision) => decision.purpose },
    ),
    notice: fc.record({
      textVersion: fc.constantFrom('2026-11-01', 'v2'),
      locale: fc.constantFrom('de', 'fr', 'it', 'en', 'de-CH'),
      text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
      sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
    }),
    clientTime: isoTime,
    method: fc.constant('online-booking'),
    source: fc.record({
      pageUrl: fc.webUrl({ withQueryParameters: true, withFragments: true }),
      widget: fc.record({
        name: fc.constant('marketing-consent'),
        version: fc.stringMatching(/^\d\.\d{1,2}\.\d{1,2}$/),
      }),
    }),
    bookingRef: fc.stringMatching(/^B-\d{1,10}$/),
  },
  { requiredKeys: ['schemaVersion', 'id', 'subject', 'purposes', 'notice', 'clientTime', 'method', 'source'] },
);

/** Values that break a field one way or another: wrong types, padding, lengths at and past the limits, odd text. */
const oddValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map((text) => ` ${text}`),
  fc.string({ maxLength: 20 }).map((text) => `${text}\u00a0`),
  fc.constantFrom('', ' ', '\t', 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128)),
  fc.constantFrom('x'.repeat(129), 'a'.repeat(243) + '@example.ch', 'a'.repeat(244) + '@example.ch'),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-11-25T24:00:00Z', '2026-11-25T10:00:00', '2026-11-25T10:00Z'),
  fc.constantFrom('http://', 'https:/x', 'http:example.ch', 'ftp://x.ch', 'https://x.ch/a b', 'HTTP://X.CH'),
  fc.constantFrom('https://[::1]/', 'http://x', 'https://x.ch/' + 'a'.repeat(2040), 'https://x.ch\n/'),
  fc.constantFrom('http://[::1', 'https://x.ch:99999/', 'http://x%zz.ch/', 'https://a..b/'),
  // A second decision for a purpose the event may already name.
  fc.constantFrom({ purpose: 'email-newsletter', granted: true }, { purpose: 'sms-newsletter', granted: false }),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid'),
  fc.constantFrom('+41 79 123 45 67 ', '+4179', '(079) 123.45/67', 'DE', 'de_CH', 'a@b', 'a@b.c'),
  fc.webUrl(),
  isoTime,
  fc.uuid(),
);

const PATHS = [
  [],
  ['schemaVersion'],
  ['id'],
  ['subject'],
  ['subject', 'email'],
  ['subject', 'phone'],
  ['subject', 'customerId'],
  ['purposes'],
  ['purposes', 0],
  ['purposes', 0, 'purpose'],
  ['purposes', 0, 'granted'],
  ['purposes', 1],
  ['notice'],
  ['notice', 'textVersion'],
  ['notice', 'locale'],
  ['notice', 'text'],
  ['notice', 'sha256'],
  ['clientTime'],
  ['method'],
  ['source'],
  ['source', 'pageUrl'],
  ['source', 'widget'],
  ['source', 'widget', 'name'],
  ['source', 'widget', 'version'],
  ['bookingRef'],
] as const;

type Change = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: oddValue }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'extra')),
    value: fc.jsonValue(),
  }),
);

/** The event with one change at one place (as a body parsed from JSON would carry it). */
function changed(event: Json, path: readonly (string | number)[], how: Change): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  if (path.length === 0 && how.kind === 'set') return how.value;
  // A key added at the top goes on the event itself.
  let parent: Json = path.length === 0 ? { event: copy } : copy;
  if (path.length === 0) path = ['event'];
  for (const step of path.slice(0, -1)) {
    const next = parent[step as string];
    if (typeof next !== 'object' || next === null) return copy;
    parent = next as Json;
  }
  const last = path.at(-1)! as string;
  if (how.kind === 'set') parent[last] = how.value;
  else if (how.kind === 'delete') delete parent[last];
  else {
    const target = parent[last];
    // An own key, even "__proto__", as JSON.parse makes it (only objects: JSON gives arrays no named keys).
    if (typeof target === 'object' && target !== null && !Array.isArray(target))
      Object.defineProperty(target, how.key, {
        value: how.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}

function assertSound(body: unknown): void {
  if (!isPlainConsentEvent(body)) return;
  const parsed = z.safeParse(consentEventSchema, body);
  assert.ok(parsed.success, `the quick check took what zod refuses: ${JSON.stringify(body)}`);
  assert.deepEqual(parsed.data, body, 'zod would have changed what the quick check took as it is');
}

describe('the intake quick check (property-based, against consentEventSchema)', () => {
  it('takes the events booking pages post, and zod takes them unchanged', () => {
    fc.assert(
      fc.property(posted, (event) => {
        const body = JSON.parse(JSON.stringify(event));
        assert.ok(isPlainConsentEvent(body), `a posted event went the slow way: ${JSON.stringify(body)}`);
        assertSound(body);
      }),
      { numRuns: 1000 },
    );
  });

  it('whatever it takes after one change anywhere, zod takes unchanged', () => {
    fc.assert(
      fc.property(posted, fc.constantFrom(...PATHS), change, (event, path, how) => {
        assertSound(changed(JSON.parse(JSON.stringify(event)), path, how));
      }),
      { numRuns: 5000 },
    );
  });

  it('at every length limit: takes the longest value zod takes, and nothing one longer', () => {
    const purposes = (n: number) => Array.from({ length: n }, (_, i) => ({ purpose: `purpose-${i}`, granted: true }));
    const limits: [path: (string | number)[], longest: unknown, tooLong: unknown][] = [
      [['subject', 'email'], `${'a'.repeat(243)}@example.ch`, `${'a'.repeat(244)}@example.ch`],
      [['subject', 'customerId'], 'k'.repeat(128), 'k'.repeat(129)],
      [['purposes'], purposes(16), purposes(17)],
      [['purposes', 0, 'purpose'], 'p'.repeat(64), 'p'.repeat(65)],
      [['notice', 'textVersion'], 'v'.repeat(64), 'v'.repeat(65)],
      [['notice', 'text'], 't'.repeat(20_000), 't'.repeat(20_001)],
      [['source', 'pageUrl'], `https://x.ch/${'a'.repeat(2035)}`, `https://x.ch/${'a'.repeat(2036)}`],
      [['source', 'widget', 'name'], 'n'.repeat(64), 'n'.repeat(65)],
      [['source', 'widget', 'version'], '1'.repeat(32), '1'.repeat(33)],
      [['bookingRef'], 'b'.repeat(128), 'b'.repeat(129)],
    ];
    const event = fc.sample(posted, { numRuns: 1, seed: 13 })[0]!;
    for (const [path, longest, tooLong] of limits) {
      const within = changed(event, path, { kind: 'set', value: longest });
      assert.ok(isPlainConsentEvent(within), `${path.join('.')} at its limit went the slow way`);
      assertSound(within);
      assert.equal(isPlainConsentEvent(changed(event, path, { kind: 'set', value: tooLong })), false, path.join('.'));
    }
  });

  it('takes a page address only as zod would keep it (property-based)', () => {
    const odd = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .tuple(fc.webUrl(), fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u00a0', 'é', '\u2028'), fc.nat(40))
        .map(([url, inserted, at]) => url.slice(0, at) + inserted + url.slice(at)),
      fc.constantFrom('http://', 'https:/x', 'http:example.ch', 'ftp://x.ch', 'HTTP://X.CH', 'https://[::1]/'),
      fc.constantFrom('http://[::1', 'https://x.ch:99999/', 'http://x%zz.ch/', 'https://a..b/', 'https://x.ch/a b'),
      fc.constantFrom('javascript:alert(1)', 'https://x.ch/\\evil', '//x.ch/', 'https://user:pw@x.ch/'),
    );
    fc.assert(
      fc.property(posted, odd, (event, url) => {
        assertSound(changed(event, ['source', 'pageUrl'], { kind: 'set', value: url }));
      }),
      { numRuns: 2000 },
    );
  });
});
