/**
 * The real ledger the test runner started (see web-test-runner.config.mjs),
 * reached over HTTP like any client would.
 */
import type { ConsentEvent } from '../../src/contract/consent-event.js';
import type { ChainEntry, LedgerEntry } from '../../src/server/store/ledger-store.js';

/** An entry the widget made: its record is a consent event. */
export type ConsentEntry = LedgerEntry & { event: ConsentEvent };

export interface LedgerInfo {
  /** The ledger itself, for reading what it stored. */
  url: string;
  staffToken: string;
  /** The intake as the element reaches it: through the fault layer. */
  intake: string;
  /** A second ledger, with double opt-in for the e-mail newsletter (its mails: `mailsTo`). */
  doubleOptIn: string;
}

let info: Promise<LedgerInfo> | undefined;

export function ledger(): Promise<LedgerInfo> {
  info ??= fetch('/__ledger.json')
    .then(
      (response) =>
        response.json() as Promise<{ url: string; proxyUrl: string; doubleOptInUrl: string; staffToken: string }>,
    )
    .then((raw) => ({
      url: raw.url,
      staffToken: raw.staffToken,
      intake: `${raw.proxyUrl}/v1/consent-events`,
      doubleOptIn: raw.doubleOptInUrl,
    }));
  return info;
}

/** The ledger's entries for one subject e-mail, read through the staff API. */
export async function entriesFor(email: string): Promise<ConsentEntry[]> {
  const { url, staffToken } = await ledger();
  const response = await fetch(`${url}/v1/staff/entries`, { headers: { authorization: `Bearer ${staffToken}` } });
  if (!response.ok) throw new Error(`staff API answered ${response.status}`);
  // The export also holds erasures and erased records (no subject): another test may have erased a customer.
  const { entries } = (await response.json()) as { entries: ChainEntry[] };
  return entries.filter(
    (entry): entry is ConsentEntry =>
      !('erased' in entry) && entry.event.method === 'online-booking' && entry.event.subject.email === email,
  );
}

/** Polls until the ledger holds `count` entries for the e-mail, then returns them. */
export async function waitForEntries(email: string, count = 1, timeoutMs = 8000): Promise<ConsentEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await entriesFor(email);
    if (entries.length >= count || Date.now() > deadline) return entries;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits a moment and returns what arrived: for asserting that nothing was posted. */
export async function entriesAfterQuietPeriod(email: string, ms = 800): Promise<ConsentEntry[]> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return entriesFor(email);
}

/** A fresh address per test, so engines and tests sharing one ledger never see each other's records. */
export function uniqueEmail(): string {
  return `kundin-${crypto.randomUUID().slice(0, 8)}@example.ch`;
}
