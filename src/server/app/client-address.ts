/**
 * Which address a request comes from. Behind a reverse proxy (the README
 * recommends one for TLS) the socket's peer is the proxy, and every
 * customer would share one rate-limit bucket; the proxy names the client in
 * X-Forwarded-For. That header is only believed as far as the operator says
 * the proxies go (`trustProxy`), because a client can send it too.
 */
import type { Context } from 'hono';
import { requestHeader } from './http.js';

/**
 * How far to believe X-Forwarded-For: a hop count (1: one proxy in front,
 * use the address it saw), or the addresses of trusted proxies (walked from
 * the right; the first address that is not a trusted proxy is the client).
 * Default: no proxy, the socket's peer is the client.
 */
export type TrustProxy = number | readonly string[];

/** The remote address @hono/node-server hands over in `c.env.incoming`. */
export function socketAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

const normalize = (address: string) =>
  address
    .trim()
    .replace(/^::ffff:/, '')
    .replace(/^\[(.*)\]$/, '$1');

/** The client's address for this request under the given trust. */
export function clientAddress(c: Context, trust: TrustProxy | undefined): string {
  const peer = normalize(socketAddress(c));
  if (trust === undefined || trust === 0 || (Array.isArray(trust) && trust.length === 0)) return peer;
  const forwarded = (requestHeader(c, 'x-forwarded-for') ?? '').split(',').map(normalize).filter(Boolean);
  // Nearest hop last: the proxy that talked to us appended what it saw.
  const chain = [...forwarded, peer];
  if (typeof trust === 'number') return chain[Math.max(0, chain.length - 1 - trust)]!;
  const trusted = new Set((trust as readonly string[]).map(normalize));
  for (let i = chain.length - 1; i >= 0; i -= 1) if (!trusted.has(chain[i]!)) return chain[i]!;
  return chain[0]!;
}

/** Reads `--trust-proxy`: a hop count, or a comma-separated list of proxy addresses. */
export function parseTrustProxy(value: string): TrustProxy {
  if (/^\d+$/.test(value.trim())) return Number(value);
  const addresses = value
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  if (addresses.length === 0 || addresses.some((address) => !/^[0-9a-fA-F.:]+$/.test(address))) {
    throw new Error(`--trust-proxy must be a hop count (1) or proxy addresses (127.0.0.1,10.0.0.2), not "${value}"`);
  }
  return addresses;
}
