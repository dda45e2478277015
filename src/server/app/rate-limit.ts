/**
 * A token bucket per client address for the public endpoints: a booking page
 * posts a few times per customer, a flood is refused with 429 and
 * Retry-After (which the widget honours). The buckets live in this process,
 * or, when the store keeps them (PostgreSQL), in the database, so the limit
 * holds across every process serving the salon.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { socketAddress } from './client-address.js';

export interface RateLimitOptions {
  /** Sustained requests per minute per address. Default 120. */
  perMinute?: number;
  /** Requests allowed at once before the rate applies. Default 30. */
  burst?: number;
  /** The client's address; default: the socket's remote address under Node (see client-address.ts for proxies). */
  clientAddress?: (c: Context) => string;
  /** Where the buckets live; default: this process's memory. */
  buckets?: RateBuckets;
}

/** Takes one token from an address's bucket, refilled at `refillPerMs` up to `burst`; says how long to wait when empty. */
export interface RateBuckets {
  take(address: string, now: number, burst: number, refillPerMs: number): Promise<{ granted: boolean; tokens: number }>;
}

/** Buckets in this process's memory. */
export function memoryBuckets(): RateBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take: async (address, now, burst, refillPerMs) => {
      const bucket = buckets.get(address) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      const granted = bucket.tokens >= 1;
      if (granted) bucket.tokens -= 1;
      buckets.set(address, bucket);
      // Forget idle addresses so the map does not grow without bound.
      if (buckets.size > 10_000) for (const [key, value] of buckets) if (value.tokens >= burst) buckets.delete(key);
      return { granted, tokens: bucket.tokens };
    },
  };
}

export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler {
  const perMinute = options.perMinute ?? 120;
  const burst = options.burst ?? 30;
  const clientAddress = options.clientAddress ?? socketAddress;
  const refillPerMs = perMinute / 60_000;
  const buckets = options.buckets ?? memoryBuckets();
  return async (c, next) => {
    const { granted, tokens } = await buckets.take(clientAddress(c), Date.now(), burst, refillPerMs);
    if (!granted) {
      const wait = Math.ceil((1 - tokens) / refillPerMs / 1000);
      c.header('retry-after', String(wait));
      return c.json({ error: `too many requests from this address; try again in ${wait} s` }, 429);
    }
    await next();
  };
}
