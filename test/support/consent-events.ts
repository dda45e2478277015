/** Valid consent events for tests that talk to the ledger without the element. */
import type { ConsentEvent } from '../../src/contract/consent-event.js';
import { sha256Hex } from '../../src/contract/fingerprint.js';

export async function makeConsentEvent(email: string): Promise<ConsentEvent> {
  const text =
    'News from Salon Bella (optional)\n\nNewsletter by e-mail\nYes, send me the newsletter.\n\nWithdraw any time. [Privacy notice](/privacy)';
  return {
    schemaVersion: 1,
    id: crypto.randomUUID(),
    subject: { email },
    purposes: [{ purpose: 'email-newsletter', granted: true }],
    notice: { textVersion: '2026-11-01', locale: 'en', text, sha256: await sha256Hex(text) },
    clientTime: new Date().toISOString(),
    method: 'online-booking',
    source: { pageUrl: location.origin + location.pathname, widget: { name: 'marketing-consent', version: 'test' } },
  };
}
