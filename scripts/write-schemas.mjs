// Writes the JSON Schemas of the wire contract and the ledger's OpenAPI
// description, both from the zod schemas, for backend teams in other languages.
import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { consentEventSchema, consentReceiptSchema } from '../dist/contract/consent-event.js';
import { buildOpenApi } from '../dist/server/openapi.js';

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
await writeFile(new URL('../dist/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log('wrote dist/consent-event.schema.json, dist/consent-receipt.schema.json, dist/openapi.json');
