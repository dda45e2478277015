// Writes the JSON Schemas of the wire contract and the ledger's OpenAPI
// description, both from the zod schemas, for backend teams in other languages.
import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { consentEventSchema, consentReceiptSchema } from '../dist/contract/consent-event.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi } from '../dist/server/app/openapi.js';
import { createLedgerApp, JsonlLedgerStore } from '../dist/server/index.js';

const schema = {
  ...z.toJSONSchema(consentEventSchema, { target: 'draft-2020-12', io: 'input' }),
  $id: 'https://marketing-consent.dev/schema/consent-event.v1.json',
  title: 'Marketing consent event',
  description: 'What <marketing-consent> posts to a consent ledger. See the README, "Wire format".',
};
await writeFile(new URL('../dist/consent-event.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
const receipt = { ...z.toJSONSchema(consentReceiptSchema, { target: 'draft-2020-12' }), title: 'Consent receipt' };
await writeFile(
  new URL('../dist/consent-receipt.schema.json', import.meta.url),
  `${JSON.stringify(receipt, null, 2)}\n`,
);
// The description comes from the app's routes: build one (on an empty store) to read it from.
const store = await JsonlLedgerStore.open(await mkdtemp(join(tmpdir(), 'openapi-')));
const app = createLedgerApp({ store, confirmation: { 'email-newsletter': 'none' } });
await writeFile(
  new URL('../dist/openapi.json', import.meta.url),
  `${JSON.stringify(await buildOpenApi(app), null, 2)}\n`,
);
await app.close();
await store.close();
console.log('wrote dist/consent-event.schema.json, dist/consent-receipt.schema.json, dist/openapi.json');
