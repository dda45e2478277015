/**
 * The demo's stand-in for the salon's newsletter service: it receives the
 * ledger's webhooks (verifying each with `standardwebhooks` and reading it
 * with the `cloudevents` SDK, as a real tool would), keeps its subscriber
 * list from them, and posts an unsubscribe made in the tool back to the
 * ledger as a suppression, with its integration token. Its list is kept in
 * a file beside the demo's data, as a tool keeps its own database.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { HTTP } from 'cloudevents';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { Webhook } from 'standardwebhooks';

const PURPOSE_NAMES = { 'email-newsletter': 'E-Mail-Newsletter', 'sms-newsletter': 'SMS-Newsletter' };
const CHANGE_NAMES = {
  granted: 'angemeldet',
  pending: 'wartet auf Bestätigung',
  withdrawn: 'abgemeldet',
  lapsed: 'nie bestätigt',
  erased: 'gelöscht',
};

/** A secret kept with the demo's data, so a restarted demo still verifies what it receives. */
async function keptSecret(file, make) {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const secret = make();
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The tool's settings for the ledger (its webhook secret and token) and its
 * routes; `connect(ledger, staff)` hands it the ledger once that runs.
 */
export async function newsletterTool({ dataDir, page }) {
  const webhookSecret = await keptSecret(
    `${dataDir}/webhook-secret`,
    () => `whsec_${randomBytes(32).toString('base64')}`,
  );
  const integrationToken = await keptSecret(`${dataDir}/integration-token`, () =>
    randomBytes(32).toString('base64url'),
  );
  const listFile = `${dataDir}/newsletter-tool.json`;
  /** Subscribers by purpose and address, and the latest deliveries (newest first). */
  const state = JSON.parse(await readFile(listFile, 'utf8').catch(() => '{"subscribers":{},"deliveries":[]}'));
  const save = () => writeFile(listFile, JSON.stringify(state, null, 2));
  const verifier = new Webhook(webhookSecret);
  let ledger;

  const app = new Hono();
  app.post('/newsletter-tool/webhook', async (c) => {
    const body = await c.req.text();
    const headers = Object.fromEntries(c.req.raw.headers);
    try {
      verifier.verify(body, headers);
    } catch {
      return c.json({ error: 'signature does not verify' }, 401);
    }
    const event = HTTP.toEvent({ headers, body });
    const change = event.type.slice(event.type.lastIndexOf('.') + 1);
    const { purpose, address, seq } = event.data;
    const key = `${purpose} ${address}`;
    // A redelivery (the same webhook-id) changes nothing.
    if (state.deliveries.some((delivery) => delivery.id === headers['webhook-id'])) return c.body(null, 204);
    if (change === 'granted') state.subscribers[key] = { purpose, address, since: event.time };
    else delete state.subscribers[key];
    state.deliveries.unshift({
      id: headers['webhook-id'],
      change,
      purpose,
      address,
      seq,
      at: new Date().toISOString(),
    });
    state.deliveries.length = Math.min(state.deliveries.length, 30);
    await save();
    return c.body(null, 204);
  });

  app.get('/newsletter-tool', (c) => {
    const subscribers = Object.values(state.subscribers).sort((a, b) =>
      `${a.purpose}${a.address}`.localeCompare(`${b.purpose}${b.address}`),
    );
    const notice = c.req.query('done');
    return c.html(
      page(
        'de',
        'Newsletter-Tool',
        html`<section class="card">
            <h1>Newsletter-Tool</h1>
            <p>
              So sieht das Newsletter-Tool des Salons die Einwilligungen: Jede Änderung kommt als signierter Webhook vom
              Einwilligungsprotokoll. Eine Abmeldung hier geht als Suppression zurück an das Protokoll.
            </p>
            ${notice ? html`<p class="hint" role="status">${notice}</p>` : ''}
            <p class="hint">Eine Demo-Seite: Echte Salons verbinden ihr eigenes Newsletter-Tool.</p>
          </section>
          <section class="card" aria-labelledby="subscribers">
            <h2 id="subscribers">Abonnentinnen und Abonnenten (${subscribers.length})</h2>
            ${
              subscribers.length === 0
                ? html`<p>Noch niemand: Einwilligungen erscheinen hier, sobald sie gelten.</p>`
                : html`<table class="tool-list">
                    <thead>
                      <tr>
                        <th scope="col">Adresse</th>
                        <th scope="col">Kanal</th>
                        <th scope="col">Seit</th>
                        <th scope="col"><span class="visually-hidden">Aktion</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${subscribers.map(
                        (s) =>
                          html`<tr>
                            <td>${s.address}</td>
                            <td>${PURPOSE_NAMES[s.purpose] ?? s.purpose}</td>
                            <td><time datetime="${s.since}">${new Date(s.since).toLocaleString('de-CH')}</time></td>
                            <td>
                              <form method="post" action="/newsletter-tool/unsubscribe">
                                <input type="hidden" name="address" value="${s.address}" />
                                <input type="hidden" name="purpose" value="${s.purpose}" />
                                <button class="button" type="submit">
                                  Abmelden<span class="visually-hidden"> ${s.address}</span>
                                </button>
                              </form>
                            </td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
            }
          </section>
          <section class="card" aria-labelledby="deliveries">
            <h2 id="deliveries">Empfangene Webhooks</h2>
            <ol class="tool-deliveries">
              ${state.deliveries.map(
                (d) =>
                  html`<li>
                    <code>${d.id}</code> · ${CHANGE_NAMES[d.change] ?? d.change} ·
                    ${PURPOSE_NAMES[d.purpose] ?? d.purpose} · ${d.address} · Eintrag #${d.seq} · Signatur geprüft
                  </li>`,
              )}
            </ol>
          </section>`,
      ),
    );
  });

  // The tool's own unsubscribe (the customer clicked its link, or the salon removed them): back to the ledger.
  app.post('/newsletter-tool/unsubscribe', async (c) => {
    const form = await c.req.parseBody();
    const answer = await ledger.request('/v1/integrations/suppressions', {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        address: String(form.address),
        purpose: String(form.purpose),
        kind: 'unsubscribe',
        source: 'Newsletter-Tool der Demo',
        occurredAt: new Date().toISOString(),
        reference: `demo-${randomBytes(6).toString('hex')}`,
      }),
    });
    // The tool stops writing at once; the ledger's webhook for the withdrawal confirms it.
    if (answer.ok) {
      delete state.subscribers[`${form.purpose} ${form.address}`];
      await save();
    }
    const done = answer.ok
      ? `${form.address} ist abgemeldet; das Einwilligungsprotokoll hat den Widerruf erfasst.`
      : `Das Protokoll hat die Abmeldung nicht angenommen (${answer.status}).`;
    return c.redirect(`/newsletter-tool?done=${encodeURIComponent(done)}`, 303);
  });

  return {
    app,
    webhookSecret,
    integrationToken,
    connect(ledgerApp) {
      ledger = ledgerApp;
    },
  };
}
