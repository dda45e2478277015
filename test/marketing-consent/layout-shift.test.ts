/**
 * The README's booking page must not move when the element's script arrives
 * and renders: a tap aimed at the button below must not land on a box that
 * appears under it (a tick the customer did not mean to give), and Core Web
 * Vitals count every shift against the salon's page.
 *
 * The page's first script records, in every frame from the first paint on,
 * where the button below the element is; Chromium also reports its layout
 * shifts (PerformanceObserver `layout-shift`; Firefox and WebKit have no such
 * entries). The bundle arrives 800 ms late, so the page paints before it.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { clickAsCustomer } from '../support/booking-form.js';

interface Frame {
  top: number;
  defined: boolean;
  boxes: number;
}
type WatchedWindow = Window & { __frames: Frame[]; __layoutShifts: number[]; __stopWatching?: boolean };

const BUNDLE_DELAY_MS = 800;

/** Opens the page, waits until the element rendered and a few frames more, and returns what was seen. */
async function watchLoad(query: string, width = 800) {
  const frame = document.createElement('iframe');
  frame.style.width = `${width}px`;
  frame.style.height = '700px';
  document.body.append(frame);
  // A page of its own each time: a page the browser has cached would name a bundle it has cached too.
  frame.src = `/test/fixtures/layout-page.html?delay=${BUNDLE_DELAY_MS}&load=${crypto.randomUUID()}&${query}`;
  await waitUntil(
    () => {
      const frames = (frame.contentWindow as WatchedWindow | null)?.__frames ?? [];
      const rendered = frames.findIndex((f) => f.defined && f.boxes >= 2);
      return rendered >= 0 && frames.length > rendered + 10;
    },
    'the element renders and ten more frames are painted',
    { timeout: 10_000 },
  );
  const win = frame.contentWindow as WatchedWindow;
  win.__stopWatching = true;
  return { frame, win, frames: [...win.__frames], shifts: [...win.__layoutShifts] };
}

describe('the booking page keeps its layout while the element loads', () => {
  it('rendered on the server: the button below never moves while the element upgrades and renders', async () => {
    const { frame, win, frames, shifts } = await watchLoad('rendered=1');
    // The page was painted before the script ran: otherwise there was nothing to move.
    expect(frames.filter((f) => !f.defined).length, 'frames painted before the script').to.be.greaterThan(0);
    expect(new Set(frames.map((f) => f.top)), 'the button’s positions').to.have.property('size', 1);
    expect(frames.at(-1)!.boxes, 'boxes shown').to.equal(2);
    expect(
      shifts.reduce((sum, value) => sum + value, 0),
      'layout shift score',
    ).to.equal(0);
    // And the boxes it shows are the element's own, working ones.
    const consent = frame.contentDocument!.querySelector('marketing-consent')!;
    const box = consent.shadowRoot!.querySelector<HTMLInputElement>('#box-email-newsletter')!;
    expect(consent.shadowRoot!.querySelectorAll('fieldset')).to.have.length(1);
    await clickAsCustomer(box, frame);
    expect((consent as unknown as { grantedPurposes: string[] }).grantedPurposes).to.deep.equal(['email-newsletter']);
    expect(win.getComputedStyle(box).inlineSize).to.equal('24px');
    frame.remove();
  });

  it('rendered on the server, at 320 CSS px: nothing moves, and nothing is wider than the page', async () => {
    const { frame, frames } = await watchLoad('rendered=1', 320);
    expect(frames.filter((f) => !f.defined).length, 'frames painted before the script').to.be.greaterThan(0);
    expect(new Set(frames.map((f) => f.top)), 'the button’s positions').to.have.property('size', 1);
    expect(frames.at(-1)!.boxes, 'boxes shown').to.equal(2);
    const page = frame.contentDocument!.documentElement;
    expect(page.scrollWidth, 'the page’s width').to.be.at.most(page.clientWidth);
    frame.remove();
  });

  it('not rendered on the server: the button moves down when the element renders (what the rendering prevents)', async () => {
    const { frame, frames, shifts } = await watchLoad('');
    const before = frames.find((f) => !f.defined)!;
    const after = frames.at(-1)!;
    expect(before, 'a frame painted before the script').to.not.equal(undefined);
    expect(after.top - before.top).to.be.greaterThan(100);
    if (PerformanceObserver.supportedEntryTypes?.includes('layout-shift')) {
      expect(shifts.reduce((sum, value) => sum + value, 0)).to.be.greaterThan(0);
    }
    frame.remove();
  });
});
