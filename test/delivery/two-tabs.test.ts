import { expect } from '@open-wc/testing';
import { OUTBOX_KEY_PREFIX } from '../../src/delivery/waiting.js';
import { makeConsentEvent } from '../support/consent-events.js';
import type { ConsentEvent } from '../../src/contract/consent-event.js';

type TabWindow = Window & { __ready?: boolean; __deliver(endpoint: string, event: ConsentEvent): void };

async function openTab(): Promise<{ frame: HTMLIFrameElement; win: TabWindow }> {
  const frame = document.createElement('iframe');
  frame.src = '/test/fixtures/outbox-tab.html';
  document.body.append(frame);
  const deadline = Date.now() + 10_000;
  while (!(frame.contentWindow as TabWindow | null)?.__ready) {
    if (Date.now() > deadline) throw new Error('tab did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { frame, win: frame.contentWindow as TabWindow };
}

const storedIds = () =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith(OUTBOX_KEY_PREFIX))
    .map((key) => (JSON.parse(localStorage.getItem(key)!) as { event: { id: string } }).event.id);

describe('the outbox across tabs', () => {
  // Same-origin frames share one event loop, so they interleave but never truly race;
  // scripts/check-two-tabs.mjs races real tabs in separate processes.
  it('two pages recording one after the other while the ledger is unreachable keep every event (100 trials)', async () => {
    const [a, b] = await Promise.all([openTab(), openTab()]);
    // Port 9 (discard) refuses at once: every send fails and every event must wait.
    const trials = 100;
    const expected: string[] = [];
    for (let trial = 0; trial < trials; trial += 1) {
      const endpoint = `http://127.0.0.1:9/v1/consent-events?trial=${trial}`;
      const [first, second] = await Promise.all([
        makeConsentEvent(`a${trial}@example.ch`),
        makeConsentEvent(`b${trial}@example.ch`),
      ]);
      a.win.__deliver(endpoint, first);
      b.win.__deliver(endpoint, second);
      expected.push(first.id, second.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = new Set(storedIds());
    const lost = expected.filter((id) => !stored.has(id));
    expect(lost, `${lost.length} of ${expected.length} events lost`).to.deep.equal([]);
    a.frame.remove();
    b.frame.remove();
    for (const key of Object.keys(localStorage)) if (key.startsWith(OUTBOX_KEY_PREFIX)) localStorage.removeItem(key);
  });
});
