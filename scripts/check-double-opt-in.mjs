// Double opt-in as a customer does it, in Chromium, Firefox and WebKit: book
// on the demo's page with the e-mail box ticked, find the confirmation mail
// in the demo's mailbox (a real SMTP server), open its link, press the
// button, and see the ledger record the confirmation. Also checks that
// opening the link alone confirms nothing and that a used link says so.
//   node scripts/check-double-opt-in.mjs      (BROWSERS=chromium,firefox,webkit)
import { openBrowser, underDisplay, wantedEngines } from './browsers.mjs';
import { startDemo } from './demo-process.mjs';

const engines = wantedEngines();

const unescape = (text) => text.replace(/&amp;/g, '&');

/** The confirmation link mailed to `email`, from the demo's mailbox page. */
async function linkFor(base, email) {
  for (let i = 0; i < 100; i += 1) {
    const page = await (await fetch(`${base}/mailbox`)).text();
    const article = page.split('<article').find((part) => part.includes(email));
    const link = article && /href="([^"]*\/v1\/confirm\?[^"]*)"/.exec(article)?.[1];
    if (link) return unescape(link);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no confirmation mail for ${email} in the mailbox`);
}

/** The ledger's records about `email` by method, from the demo's record page. */
async function recordsFor(base, email, method) {
  const page = await (await fetch(`${base}/received`)).text();
  return page.split('<article').filter((part) => part.includes(email) && part.includes(`data-method="${method}"`));
}

async function walk(name, base) {
  const problems = [];
  const browser = await openBrowser(name);
  try {
    const tab = await browser.newTab();
    const email = `doi-${name}-${Date.now()}@example.ch`;
    await tab.goto(`${base}/?lang=de`);
    await tab.run(
      (mail, phone) => {
        document.querySelector('input[name=name]').value = 'Anna Muster';
        document.querySelector('input[name=email]').value = mail;
        document.querySelector('input[name=phone]').value = phone;
      },
      email,
      `079 ${300 + Math.floor(Math.random() * 600)} 45 67`,
    );
    await tab.click('input[name=time][value="11:30"]');
    await tab.click({ host: 'marketing-consent', shadow: '#box-email-newsletter' });
    await tab.click('button[type=submit]', { navigates: true });

    const link = await linkFor(base, email);
    await tab.goto(link);
    const asked = await tab.run(() => document.body.innerText);
    if (!asked.includes('Möchten Sie «Newsletter per E-Mail» von Salon Bella'))
      problems.push(`the link's page does not ask: ${asked.slice(0, 100)}`);
    if ((await recordsFor(base, email, 'double-opt-in')).length !== 0)
      problems.push('opening the link alone recorded a confirmation');
    await tab.click('button[type=submit]', { navigates: true });
    const done = await tab.run(() => document.body.innerText);
    if (!done.includes('Danke!')) problems.push(`after the button: ${done.slice(0, 100)}`);
    const clicks = await recordsFor(base, email, 'double-opt-in');
    if (clicks.length !== 1) problems.push(`${clicks.length} confirmations recorded, expected 1`);

    // Used once: the link's page now says so, with no button.
    await tab.goto(link);
    const again = await tab.run(() => document.body.innerText);
    if (!again.includes('bereits bestätigt')) problems.push(`a used link: ${again.slice(0, 100)}`);
    if ((await recordsFor(base, email, 'double-opt-in')).length !== 1) problems.push('a used link recorded again');
  } catch (error) {
    problems.push(String(error?.message ?? error));
  } finally {
    await browser.close();
  }
  console.log(
    `${name.padEnd(8)} booking → mail → link → button: ${problems.length ? `FAILED\n  ✗ ${problems.join('\n  ✗ ')}` : 'confirmed, recorded once; the link alone and a used link record nothing'}`,
  );
  return problems.length === 0;
}

if (!underDisplay(engines)) {
  const demo = await startDemo();
  let ok = true;
  try {
    for (const name of engines) ok = (await walk(name, demo.base)) && ok;
  } finally {
    demo.stop();
  }
  console.log(ok ? 'double opt-in check passed' : 'double opt-in check FAILED');
  process.exitCode = ok ? 0 : 1;
}
