/**
 * A newsletter tool's webhook endpoint, as a salon's developer would write
 * one: every delivery is verified with the `standardwebhooks` library and
 * read with the `cloudevents` SDK; a delivery that fails either is answered
 * 400 and remembered, so a test sees it. `answer` decides what it replies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { HTTP, type CloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  webhookId: string;
  event: CloudEvent<Record<string, unknown>>;
  contentType: string;
}

export type Answer = 'ok' | 'fail' | 'hang';

export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

export async function startReceiver(secret = WEBHOOK_SECRET) {
  let verifier = new Webhook(secret);
  const delivered: Delivery[] = [];
  /** Every attempt, answered or not: its webhook-id. */
  const attempts: string[] = [];
  const rejected: string[] = [];
  const hanging = new Set<ServerResponse>();
  let answer: Answer = 'ok';
  let waiters: (() => void)[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = request.headers as Record<string, string>;
      attempts.push(headers['webhook-id'] ?? '');
      try {
        verifier.verify(body, headers);
      } catch (error) {
        rejected.push(`signature: ${(error as Error).message}`);
        response.writeHead(400).end();
        return;
      }
      if (answer === 'hang') {
        hanging.add(response);
        waiters.forEach((wake) => wake());
        return;
      }
      if (answer === 'fail') {
        response.writeHead(500).end('down for maintenance');
        waiters.forEach((wake) => wake());
        return;
      }
      let event: CloudEvent<Record<string, unknown>>;
      try {
        event = HTTP.toEvent({ headers, body }) as CloudEvent<Record<string, unknown>>;
      } catch (error) {
        rejected.push(`cloudevent: ${(error as Error).message}`);
        response.writeHead(400).end();
        return;
      }
      delivered.push({ webhookId: headers['webhook-id']!, event, contentType: headers['content-type'] ?? '' });
      response.writeHead(204).end();
      waiters.forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/marketing-consent`;
  return {
    url,
    delivered,
    attempts,
    rejected,
    answer(next: Answer) {
      answer = next;
    },
    /** The secret to verify with, once the ledger made it (a platform salon's endpoint). */
    verifyWith(next: string) {
      verifier = new Webhook(next);
    },
    /** Resolves once `done()` holds, checked after every request (fails after `ms`). */
    async until(done: () => boolean, ms = 20_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!done()) {
        if (Date.now() > deadline)
          throw new Error(
            `the receiver waited ${ms} ms in vain; it has ${JSON.stringify(delivered.map((d) => d.event.type))}`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiters = [];
      }
    },
    /** The events about one address, in the order they arrived: their types' last part. */
    typesFor(address: string): string[] {
      return delivered
        .filter((d) => d.event.data?.['address'] === address)
        .map((d) => d.event.type.slice(d.event.type.lastIndexOf('.') + 1));
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
