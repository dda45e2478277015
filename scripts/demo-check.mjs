// Walks the demo as customers would, in headless Chromium: starts the demo
// server on a free port with an empty ledger, books once in each language
// with the box ticked (in Italian both boxes) and once without, then checks
// the ledger page shows exactly one correct record per ticked booking and
// none for the other. Fails on any console error or CSP violation, anything
// axe or the Nu HTML Checker finds, or a page wider than 320 px. Saves
// screenshots (phone and desktop) to look at.
//   node scripts/demo-check.mjs [screenshot-dir]
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vnuJar from 'vnu-jar';
import { launchChromium } from './chromium.mjs';
import { startDemo } from './demo-process.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const out = process.argv[2] ?? 'screenshots';
await mkdir(out, { recursive: true });
const demo = await startDemo();
const { base } = demo;

const browser = await launchChromium();
const problems = [];
const expectations = [];
try {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (['error', 'warn', 'warning'].includes(message.type()))
      problems.push(`console ${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });

  // The ledger page speaks the salon's language (German), with the widget's purpose names.
  const PURPOSE_NAMES_DE = { 'email-newsletter': 'Newsletter per E-Mail', 'sms-newsletter': 'Neuigkeiten per SMS' };
  const book = async ({ lang, purposes, shot }) => {
    // Long and without a hyphen, as many are: the back office must wrap it at 320 px, not run past the screen.
    const email = `${lang}${purposes.length}kundinmuster${Date.now()}@example.ch`;
    await page.goto(`${base}/?lang=${lang}`, { waitUntil: 'networkidle0' });
    await page.type('input[name=name]', 'Anna Muster');
    await page.type('input[name=email]', email);
    // Each customer has a number of their own (a shared number would make them one customer to the ledger).
    const phone = `+41 79 ${String(100 + expectations.length)} 45 67`;
    await page.type('input[name=phone]', phone);
    await page.click('input[name=time][value="11:30"]');
    for (const purpose of purposes) await page.click(`marketing-consent >>> #box-${purpose}`);
    if (shot) await page.screenshot({ path: `${out}/${shot}`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expectations.push({ email, lang, purposes, phone: phone.replace(/\s/g, '') });
  };

  // An iPhone-sized viewport first: that is where most customers book.
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
  await page.screenshot({ path: `${out}/booking-de-phone.png`, fullPage: true });
  await book({ lang: 'de', purposes: ['email-newsletter'] });
  await page.screenshot({ path: `${out}/confirmation-de-phone.png`, fullPage: true });

  await page.setViewport({ width: 1100, height: 900 });
  await book({ lang: 'fr', purposes: ['email-newsletter'], shot: 'booking-fr-ticked-desktop.png' });
  await book({ lang: 'it', purposes: ['email-newsletter', 'sms-newsletter'] });
  await book({ lang: 'en', purposes: ['sms-newsletter'] });
  await book({ lang: 'de', purposes: [] });

  // keepalive posts may still be in flight right after the navigation.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await page.goto(`${base}/received`, { waitUntil: 'networkidle0' });
  await page.screenshot({ path: `${out}/received.png`, fullPage: true });
  const records = await page.$$eval('article.record[data-method="online-booking"]', (nodes) =>
    nodes.map((node) => ({ text: node.textContent.replace(/\s+/g, ' ') })),
  );
  for (const { email, lang, purposes } of expectations) {
    const mine = records.filter((record) => record.text.includes(email));
    const expected = purposes.length === 0 ? 0 : 1;
    if (mine.length !== expected) {
      problems.push(`${email}: ${mine.length} records on the ledger page, expected ${expected}`);
      continue;
    }
    if (expected === 0) continue;
    const text = mine[0].text;
    for (const purpose of purposes)
      if (!text.includes(`${PURPOSE_NAMES_DE[purpose]}: erteilt`)) problems.push(`${email}: ${purpose} not recorded`);
    if (!text.includes(`Version 2026-11-01, Sprache ${lang},`))
      problems.push(`${email}: not recorded with text version 2026-11-01 in ${lang}`);
  }
  // The demo's register is made from its booking page: no record may be flagged as an unpublished text.
  const flagged = await page.$$eval('article.record .bad', (nodes) => nodes.map((node) => node.textContent.trim()));
  if (flagged.length) problems.push(`records flagged against the register made from the page: ${flagged.join('; ')}`);
  if (!(await page.$eval('main', (main) => main.textContent.includes('intakt'))))
    problems.push('hash chain not reported intact');

  // Double opt-in: the customer finds the mail in the demo's mailbox, opens the link, confirms.
  const booked = expectations[0];
  await page.goto(`${base}/mailbox`, { waitUntil: 'networkidle0' });
  const mailLinks = await page.$$eval('article.mail', (mails) =>
    mails.map((mail) => ({ text: mail.textContent, link: mail.querySelector('pre a')?.href })),
  );
  const mailFor = (email) => mailLinks.filter((mail) => mail.text.includes(email));
  for (const { email, purposes } of expectations) {
    const expected = purposes.includes('email-newsletter') ? 1 : 0;
    if (mailFor(email).length !== expected)
      problems.push(`mailbox: ${mailFor(email).length} confirmation mails for ${email}, expected ${expected}`);
  }
  await page.screenshot({ path: `${out}/mailbox.png`, fullPage: true });
  const confirmLink = mailFor(booked.email)[0]?.link;
  if (confirmLink) {
    await page.goto(confirmLink, { waitUntil: 'networkidle0' });
    await page.screenshot({ path: `${out}/confirm-ask.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const confirmed = await page.$eval('body', (body) => body.textContent);
    if (!confirmed.includes('Danke!')) problems.push(`confirmation page: ${confirmed.trim().slice(0, 120)}`);
    await page.screenshot({ path: `${out}/confirm-done.png`, fullPage: true });
  }
  const fileText = async () =>
    page.$eval('marketing-consent-file', (el) => el.shadowRoot.textContent.replace(/\s+/g, ' '));
  // SMS double opt-in: one confirmation SMS per booking with the SMS box ticked, in the customer's language, at the
  // demo's SMSC; the customer answers from /sms as from their phone. YES confirms; STOP withdraws, acknowledged once.
  const smsBooked = expectations.filter(({ purposes }) => purposes.includes('sms-newsletter'));
  const smsOnPage = () =>
    page.$$eval('article.sms:not(.reply)', (nodes) =>
      nodes.map((node) => ({ to: node.dataset.to, text: node.querySelector('.sms-text').textContent })),
    );
  await page.goto(`${base}/sms`, { waitUntil: 'networkidle0' });
  const asked = await smsOnPage();
  const askedWord = { it: 'Allora risponda SI.', en: 'Then reply YES.' };
  for (const { lang, phone } of smsBooked) {
    const mine = asked.filter((sms) => sms.to === phone);
    if (mine.length !== 1 || !mine[0].text.startsWith('Salon Bella:') || !mine[0].text.includes(askedWord[lang]))
      problems.push(`/sms: ${mine.length} confirmation SMS to ${phone} (${lang}): ${mine[0]?.text}`);
  }
  if (asked.length !== smsBooked.length) problems.push(`/sms: ${asked.length} SMS, expected ${smsBooked.length}`);
  const smsCustomer = smsBooked.find(({ lang }) => lang === 'en');
  const smsState = async () => {
    await page.goto(`${base}/back-office`, { waitUntil: 'networkidle0' });
    return page.evaluate(async (phone) => {
      const response = await fetch(`/back-office/api/v1/staff/status?phone=${encodeURIComponent(phone)}`);
      return (await response.json()).purposes.find((p) => p.purpose === 'sms-newsletter');
    }, smsCustomer.phone);
  };
  const replyFromPhone = async (text) => {
    await page.goto(`${base}/sms`, { waitUntil: 'networkidle0' });
    await page.select('form.sms-reply select', smsCustomer.phone);
    await page.$eval('form.sms-reply input[name=text]', (input) => (input.value = ''));
    await page.type('form.sms-reply input[name=text]', text);
    await Promise.all([page.waitForNavigation(), page.click('form.sms-reply button')]);
  };
  if ((await smsState())?.state !== 'pending') problems.push('SMS: the ticked SMS newsletter is not pending');
  await replyFromPhone('yes');
  const confirmedBySms = await smsState();
  if (confirmedBySms?.state !== 'granted' || confirmedBySms.addresses[0]?.confirmation?.confirmedBy !== 'sms-reply')
    problems.push(`SMS: YES did not confirm: ${JSON.stringify(confirmedBySms)}`);
  await replyFromPhone('Stop');
  if ((await smsState())?.state !== 'withdrawn') problems.push('SMS: STOP did not withdraw');
  await page.goto(`${base}/sms`, { waitUntil: 'networkidle0' });
  const acknowledged = (await smsOnPage()).filter((sms) => sms.to === smsCustomer.phone);
  if (acknowledged.length !== 2 || !acknowledged[0].text.includes('you are unsubscribed from "News by SMS"'))
    problems.push(`/sms: the STOP was not acknowledged once: ${JSON.stringify(acknowledged)}`);
  await page.screenshot({ path: `${out}/sms.png`, fullPage: true });
  // The proof a lawyer reads: the SMS sent, the reply that confirmed, the STOP and its acknowledgement.
  await page.goto(`${base}/back-office`, { waitUntil: 'networkidle0' });
  await page.goto(`${base}/back-office/api/v1/staff/proof?phone=${encodeURIComponent(smsCustomer.phone)}`, {
    waitUntil: 'networkidle0',
  });
  const smsProof = await page.evaluate(() => document.body.textContent.replace(/\s+/g, ' '));
  for (const line of [
    'Neuigkeiten per SMS: BESTÄTIGUNGS-SMS VERSANDT',
    'Durch Antwort auf die SMS (double opt-in)',
    'Neuigkeiten per SMS: WIDERRUFEN',
    'Neuigkeiten per SMS: SMS ZUR ABMELDUNG VERSANDT',
    'Then reply YES.',
  ]) {
    if (!smsProof.includes(line)) problems.push(`SMS proof: "${line}" missing`);
  }
  await page.screenshot({ path: `${out}/sms-proof.png`, fullPage: true });
  // The customer file says the same in the salon's words.
  await page.goto(`${base}/back-office?customer=${encodeURIComponent(smsCustomer.email)}`, {
    waitUntil: 'networkidle0',
  });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );
  const smsFile = await fileText();
  for (const line of [
    'per SMS mit STOP abgemeldet',
    'per Antwort auf die Bestätigungs-SMS bestätigt',
    'SMS an die Kundin bzw. den Kunden versandt',
  ]) {
    if (!smsFile.includes(line)) problems.push(`back office: the SMS customer's file lacks "${line}"`);
  }
  await page.screenshot({ path: `${out}/sms-file.png`, fullPage: true });
  console.log(
    'SMS: a confirmation SMS per SMS tick in its language; YES confirmed, STOP withdrew and was acknowledged',
  );

  // A consent forged by a script (no browser, no origin) never reaches the audience.
  const forged = `forged-${Date.now()}@example.ch`;
  const forgedEvent = await page.evaluate(async (email) => {
    const text = 'Ja. Widerruf jederzeit.';
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return {
      schemaVersion: 1,
      id: crypto.randomUUID(),
      subject: { email },
      purposes: [{ purpose: 'email-newsletter', granted: true }],
      notice: { textVersion: '2026-11-01', locale: 'de', text, sha256 },
      clientTime: new Date().toISOString(),
      method: 'online-booking',
      source: { pageUrl: 'https://attacker.example/', widget: { name: 'marketing-consent', version: '0.1.0' } },
    };
  }, forged);
  const forgedPost = await fetch(`${base}/ledger/v1/consent-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(forgedEvent),
  });
  if (forgedPost.status !== 201) problems.push(`forged post answered ${forgedPost.status}`);

  // The salon owner's side: the customer who just booked, in the back office.
  const audienceCount = async () =>
    Number(
      (
        await page.$eval('marketing-consent-audience', (el) => el.shadowRoot.querySelector('.count')?.textContent ?? '')
      ).split(' ')[0],
    );
  const waitForCount = (n) =>
    page.waitForFunction(
      (expected) =>
        Number(
          document
            .querySelector('marketing-consent-audience')
            .shadowRoot.querySelector('.count')
            ?.textContent.split(' ')[0],
        ) === expected,
      {},
      n,
    );
  await page.goto(`${base}/back-office?customer=${encodeURIComponent(booked.email)}`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );
  const bookedFile = await fileText();
  if (!bookedFile.includes('per Link in der Bestätigungs-E-Mail bestätigt (Double-Opt-in)'))
    problems.push(`back office: ${booked.email} not shown as confirmed by double opt-in`);
  if (
    !bookedFile.includes('Einwilligung liegt vor') ||
    !bookedFile.includes('Onlinebuchung') ||
    !bookedFile.includes('Textversion 2026-11-01 (de)')
  ) {
    problems.push(
      `back office: ${booked.email} not shown as consented online under text 2026-11-01: ${bookedFile.slice(0, 200)}`,
    );
  }
  await page.click('marketing-consent-file >>> details summary');
  await page.screenshot({ path: `${out}/back-office-file.png`, fullPage: true });
  await waitForCount(await audienceCount());
  const before = await audienceCount();
  const recipients = await page.$eval('marketing-consent-audience', (el) => el.shadowRoot.textContent);
  if (!recipients.includes(booked.email)) problems.push(`audience: the confirmed ${booked.email} is missing`);
  for (const { email } of expectations.slice(1))
    if (recipients.includes(email)) problems.push(`audience: ${email} is in it without confirming`);
  if (recipients.includes(forged)) problems.push('audience: a consent forged by a script reached it');

  // A staff entry needs evidence: without it nothing is recorded.
  const grantForm = 'marketing-consent-file >>> form[aria-labelledby="grant-title"]';
  await page.click('.customers li:nth-child(3) button'); // Sophie Dubois: no consent yet
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file').shadowRoot.textContent.includes('Keine Einwilligung'),
  );
  await page.click(`${grantForm} input[value="email-newsletter"]`);
  await page.click(`${grantForm} input[name="agreed"]`);
  await page.click(`${grantForm} button[type="submit"]`);
  await page.screenshot({ path: `${out}/back-office-no-evidence.png`, fullPage: true });
  if (!(await fileText()).includes('Bitte «Nachweis» ausfüllen'))
    problems.push('back office: a staff entry without evidence was not refused');
  await page.type(`${grantForm} input[name="evidence"]`, 'unterschriebenes Formular, 24.11.2026, Ordner 12');
  await page.click(`${grantForm} button[type="submit"]`);
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file').shadowRoot.textContent.includes('Ordner 12'),
  );
  await waitForCount(before + 1);

  // A withdrawal shows at once, and the audience follows.
  const withdrawForm = 'marketing-consent-file >>> form[aria-labelledby="withdraw-title"]';
  await page.click(`${withdrawForm} input[value="email-newsletter"]`);
  await page.click(`${withdrawForm} button[type="submit"]`);
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file').shadowRoot.querySelector('.badge.withdrawn'),
  );
  await waitForCount(before);
  await page.screenshot({ path: `${out}/back-office-withdrawn.png`, fullPage: true });

  console.log(
    `back office: audience ${before} → ${before + 1} after a staff entry → ${await audienceCount()} after the withdrawal`,
  );
  // The salon's newsletter tool follows the ledger (signed webhooks) and sends its unsubscribes back.
  const toolText = async () => {
    await page.goto(`${base}/newsletter-tool`, { waitUntil: 'networkidle0' });
    return page.$eval('main', (main) => main.textContent.replace(/\s+/g, ' '));
  };
  const toolShows = async (holds, what) => {
    const deadline = Date.now() + 15_000;
    while (!holds(await toolText())) {
      if (Date.now() > deadline) {
        problems.push(`newsletter tool: ${what}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  const subscribers = (text) => text.slice(0, text.indexOf('Empfangene Webhooks'));
  // The file's withdrawal (above) reached the tool: Sophie granted, then withdrawn, so she is not on its list.
  await toolShows(
    (text) =>
      subscribers(text).includes(booked.email) && text.includes('abgemeldet · E-Mail-Newsletter · sophie.dubois'),
    'the withdrawal made in the customer file did not reach it',
  );
  if (subscribers(await toolText()).includes('sophie.dubois@example.ch'))
    problems.push('newsletter tool: lists a customer withdrawn in the customer file');
  await page.screenshot({ path: `${out}/newsletter-tool-after-file-withdrawal.png`, fullPage: true });
  // An unsubscribe in the tool: the customer file shows the withdrawal, with the tool named.
  await Promise.all([
    page.waitForNavigation(),
    page.click('form[action="/newsletter-tool/unsubscribe"]:has(input[value="mia.rossi@example.ch"]) button'),
  ]);
  await page.goto(`${base}/back-office?customer=mia.rossi%40example.ch`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );
  const miaFile = await fileText();
  if (!miaFile.includes('im Newsletter-Tool abgemeldet (Newsletter-Tool der Demo)') || !miaFile.includes('Widerrufen'))
    problems.push(`back office: the tool's unsubscribe is not in Mia Rossi's file: ${miaFile.slice(0, 300)}`);
  await page.screenshot({ path: `${out}/back-office-after-tool-unsubscribe.png`, fullPage: true });
  await toolShows(
    (text) =>
      !subscribers(text).includes('mia.rossi@example.ch · E-Mail') &&
      text.includes('abgemeldet · E-Mail-Newsletter · mia.rossi'),
    'the unsubscribe made in it did not come back as a webhook',
  );
  await page.screenshot({ path: `${out}/newsletter-tool-after-unsubscribe.png`, fullPage: true });
  console.log('newsletter tool: a withdrawal in the customer file left it; an unsubscribe in it reached the file');
  // Back to Sophie's file, for her erasure.
  await page.goto(`${base}/back-office?customer=sophie.dubois%40example.ch`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );

  // The front desk: on a tablet, a customer reads the booking page's text, ticks and signs; the proof shows it.
  await page.setViewport({ width: 820, height: 1180, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await page.goto(`${base}/back-office/front-desk?customer=marco.bianchi%40example.ch`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-front-desk')?.shadowRoot.querySelector('canvas'),
  );
  await page.click('marketing-consent-front-desk >>> #box-email-newsletter');
  // A finger on the tablet's screen: the box is scrolled into view, as the customer would.
  const canvas = await page.$('marketing-consent-front-desk >>> canvas');
  await canvas.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const pad = await canvas.boundingBox();
  const point = (x, y) => ({ x: pad.x + pad.width * x, y: pad.y + pad.height * y });
  await page.touchscreen.touchStart(point(0.08, 0.6).x, point(0.08, 0.6).y);
  for (const [x, y] of [
    [0.2, 0.3],
    [0.35, 0.7],
    [0.5, 0.3],
    [0.65, 0.65],
    [0.85, 0.4],
  ])
    await page.touchscreen.touchMove(point(x, y).x, point(x, y).y);
  await page.touchscreen.touchEnd();
  await page.screenshot({ path: `${out}/front-desk-tablet.png`, fullPage: true });
  await page.click('marketing-consent-front-desk >>> button[type="submit"]');
  await page.waitForFunction(() =>
    document
      .querySelector('marketing-consent-front-desk')
      .shadowRoot.querySelector('[role="status"]')
      ?.textContent.includes('gespeichert'),
  );
  await page.screenshot({ path: `${out}/front-desk-saved.png`, fullPage: true });
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`${base}/back-office?customer=marco.bianchi%40example.ch`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );
  if (
    !(await fileText()).includes('am Empfang selbst unterschrieben (Personal: Lea Meier, Gerät: Empfang iPad (Demo))')
  )
    problems.push('front desk: the customer file does not show the signed consent');
  const signedProofTarget = browser.waitForTarget((target) => target.url().includes('/v1/proof'));
  await page.click('marketing-consent-file >>> button.secondary');
  const signedProof = await (await signedProofTarget).page();
  await signedProof.waitForFunction(() => document.readyState === 'complete');
  const signature = await signedProof.$eval('img.signature', (img) => ({
    loaded: img.complete && img.naturalWidth > 0,
    src: img.src.slice(0, 22),
  }));
  if (!signature.loaded || signature.src !== 'data:image/png;base64,')
    problems.push(`front desk: the proof does not show the signature (${JSON.stringify(signature)})`);
  await signedProof.screenshot({ path: `${out}/proof-with-signature.png`, fullPage: true });
  await signedProof.close();
  console.log('front desk: a customer signed on the tablet; the file and the proof show it');
  // Back to Sophie's file, for her erasure.
  await page.goto(`${base}/back-office?customer=sophie.dubois%40example.ch`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );

  // Erasure on request: her personal data goes from every record; the ledger keeps that records existed.
  const eraseForm = 'marketing-consent-file >>> form.erase';
  await page.type(`${eraseForm} input[name="note"]`, 'Brief vom 24.11.2026');
  await page.click(`${eraseForm} input[name="agreed"]`);
  await page.click(`${eraseForm} button[type="submit"]`);
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file').shadowRoot.querySelector('.badge.erased'),
  );
  await page.screenshot({ path: `${out}/back-office-erased.png`, fullPage: true });
  const erasedFile = await fileText();
  if (!/personenbezogenen Daten dieser Kundin bzw\. dieses Kunden wurden am .* gelöscht/.test(erasedFile))
    problems.push('back office: the erased customer’s file does not say she was erased');
  await page.goto(`${base}/received`, { waitUntil: 'networkidle0' });
  const ledgerPage = await page.evaluate(() => document.body.textContent);
  if (ledgerPage.includes('sophie.dubois@example.ch')) problems.push('erasure: /received still shows her address');
  if (!ledgerPage.includes('Löschung: Die Kundin bzw. der Kunde hat die Löschung verlangt'))
    problems.push('erasure: /received does not show the erasure');
  await page.screenshot({ path: `${out}/received-after-erasure.png`, fullPage: true });
  console.log('back office: a customer erased on request; her records keep their place without her data');

  // Reflow (WCAG 1.4.10): at 320 CSS px nothing scrolls sideways, the proof included.
  await page.setViewport({ width: 320, height: 800 });
  // The customer file last: its proof is checked next.
  const reflowPages = [
    '/',
    '/received',
    '/datenschutz',
    '/newsletter-tool',
    '/sms',
    '/back-office/front-desk?customer=mia.rossi%40example.ch',
    `/back-office?customer=${encodeURIComponent(booked.email)}`,
  ];
  for (const path of reflowPages) {
    await page.goto(`${base}${path}`, { waitUntil: 'networkidle0' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) problems.push(`reflow: ${path} is ${width} px wide at a 320 px viewport`);
  }
  await page.waitForFunction(() =>
    document.querySelector('marketing-consent-file')?.shadowRoot.querySelector('.purposes'),
  );
  const proofTarget = browser.waitForTarget((target) => target.url().includes('/v1/proof'));
  await page.click('marketing-consent-file >>> button.secondary');
  const proof = await (await proofTarget).page();
  const proofUrl = proof.url();
  await proof.setViewport({ width: 320, height: 800 });
  await proof.waitForFunction(() => document.readyState === 'complete');
  const proofText = await proof.evaluate(() => document.body.textContent);
  if (!proofText.includes(booked.email)) problems.push('proof: the printable proof does not name the customer');
  const proofWidth = await proof.evaluate(() => document.documentElement.scrollWidth);
  if (proofWidth > 320) problems.push(`reflow: the proof is ${proofWidth} px wide at a 320 px viewport`);
  await proof.screenshot({ path: `${out}/proof-320.png`, fullPage: true });
  await proof.close();

  // Forced colours (Windows high contrast): what a background colour meant is carried by a border or outline.
  // puppeteer's allow-list lacks forced-colors; Chromium's DevTools protocol has it.
  const devtools = await page.createCDPSession();
  await devtools.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
  await page.click('.customers li:nth-child(2) button');
  const current = await page.$eval('.customers button[aria-current="true"]', (el) => getComputedStyle(el).outlineStyle);
  if (current !== 'solid') problems.push(`forced colours: the selected customer has outline ${current}`);
  await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
  const bookBorder = await page.$eval('button[type=submit]', (el) => getComputedStyle(el).borderTopWidth);
  if (parseFloat(bookBorder) < 2) problems.push(`forced colours: the book button's border is ${bookBorder}`);
  const language = await page.$eval(
    '.languages button[aria-pressed="true"]',
    (el) => getComputedStyle(el).borderTopWidth,
  );
  if (parseFloat(language) < 3) problems.push(`forced colours: the chosen language's border is ${language}`);
  await devtools.send('Emulation.setEmulatedMedia', { features: [] });
  console.log(`reflow at 320 px checked on ${reflowPages.length + 1} pages; forced colours on 3 controls`);

  // axe (WCAG 2.2 A/AA) on every page a customer, the salon or a lawyer reads, the elements' shadow
  // DOM included. A page of its own with CSP bypassed, so axe can be injected; the checks above ran
  // under the real policy.
  const audit = await browser.newPage();
  await audit.setBypassCSP(true);
  // The unsubscribe page a newsletter links to, asked for as the back office would (its session cookie).
  await audit.goto(`${base}/back-office`, { waitUntil: 'networkidle0' });
  const unsubscribeLink = await audit.evaluate(async (email) => {
    const response = await fetch('/back-office/api/v1/staff/unsubscribe-links', {
      method: 'POST',
      body: JSON.stringify({ purpose: 'email-newsletter', address: email, locale: 'it' }),
    });
    return (await response.json()).url;
  }, booked.email);
  const audited = [
    '/',
    '/?lang=fr',
    '/datenschutz',
    '/received',
    '/mailbox',
    '/sms',
    '/newsletter-tool',
    '/back-office/front-desk?customer=mia.rossi%40example.ch',
    `/back-office?customer=${encodeURIComponent(booked.email)}`,
    ...(confirmLink ? [confirmLink] : []),
    proofUrl,
    unsubscribeLink,
  ];
  for (const path of audited) {
    const url = path.startsWith('http') ? path : `${base}${path}`;
    await audit.goto(url, { waitUntil: 'networkidle0' });
    await audit.addScriptTag({ path: AXE });
    const violations = await audit.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
      });
      return result.violations.map((v) => `${v.id} (${v.nodes.length}×: ${v.nodes[0]?.target.join(' ')})`);
    });
    for (const violation of violations) problems.push(`axe on ${new URL(url).pathname}: ${violation}`);
  }
  await audit.close();
  console.log(`axe (WCAG 2.2 AA) on ${audited.length} pages`);

  // The Nu HTML Checker (the W3C's validator, on the machine's Java) on the same pages as served.
  const served = await mkdtemp(join(tmpdir(), 'nu-html-'));
  const pages = new Map();
  for (const [index, path] of audited.entries()) {
    const url = path.startsWith('http') ? path : `${base}${path}`;
    const file = join(served, `page-${index}.html`);
    await writeFile(file, await (await fetch(url)).text());
    pages.set(file, new URL(url).pathname);
  }
  const nu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...pages.keys()].map(String), {
    encoding: 'utf8',
  });
  if (nu.error) {
    problems.push(`the Nu HTML Checker needs Java: sudo apt-get install -y default-jre-headless (${nu.error.message})`);
  } else {
    // The checker names each file as a file: URL.
    const pageOf = (url) => [...pages].find(([file]) => url.endsWith(file))?.[1] ?? url;
    for (const message of JSON.parse(nu.stderr).messages)
      problems.push(`Nu HTML Checker on ${pageOf(message.url)}, line ${message.lastLine}: ${message.message}`);
    console.log(`Nu HTML Checker on ${pages.size} pages`);
  }
  await rm(served, { recursive: true, force: true });
  console.log(`demo check: ${expectations.length} bookings, ${records.length} records on the ledger page`);
} finally {
  await browser.close();
  demo.stop();
}
for (const problem of problems) console.error(`  ✗ ${problem}`);
console.log(
  problems.length === 0
    ? `demo check passed; screenshots in ${out}/`
    : `demo check FAILED: ${problems.length} problem(s)`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
