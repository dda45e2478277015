// A loopback port no other process holds right now: the OS picks it (listen
// on port 0), we release it and hand it on. Tests share the machine with
// other work, so no fixed port anywhere.
import { createServer } from 'node:net';

export async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
