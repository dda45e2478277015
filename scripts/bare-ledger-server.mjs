// The ledger's peer in `npm run bench:ledger`: a bare node:http server that
// does only what makes a consent durable, with the same group commit as the
// file store (appends arriving during a write share the next write and
// fdatasync), and answers 201 once the line is on disk. No framework, no
// validation, no hash chain, no sealing: what the ledger's work is measured
// against.
//
//   node scripts/bare-ledger-server.mjs DIR     prints "listening on http://127.0.0.1:PORT"
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';

const file = await open(join(process.argv[2] ?? '.', 'bare.jsonl'), 'a');
let seq = 0;
let queue = [];
let flushing;

async function flush() {
  while (queue.length > 0) {
    const batch = queue;
    queue = [];
    await file.appendFile(batch.map((pending) => pending.line).join(''));
    await file.datasync();
    for (const pending of batch) pending.done();
  }
  flushing = undefined;
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }
    seq += 1;
    const receipt = JSON.stringify({ id: event.id, seq, receivedAt: new Date().toISOString() });
    queue.push({
      line: `${JSON.stringify({ seq, event })}\n`,
      done: () => response.writeHead(201, { 'content-type': 'application/json' }).end(receipt),
    });
    flushing ??= flush();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
