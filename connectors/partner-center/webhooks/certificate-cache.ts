/**
 * Fetches signing certificates over HTTPS and caches them by URL, so a burst of webhooks costs
 * one download. Only URLs that passed the host allow-list ever reach this.
 */
import type { Clock } from '../../../src/core/clock.js';
import { createHttpTransport } from '../http.js';

export function fetchCertificateOverHttps(args: { ca?: string; timeoutMs?: number } = {}): (url: string) => Promise<string> {
  const transport = createHttpTransport({ system: 'partnerCenter', ...(args.ca === undefined ? {} : { ca: args.ca }) });
  return async (url) => {
    const res = await transport.send({ method: 'GET', url: new URL(url), headers: { accept: '*/*' }, timeoutMs: args.timeoutMs ?? 10_000 });
    if (res.status !== 200) throw new Error(`certificate download answered ${res.status}`);
    const body = res.body.trim();
    if (body.includes('-----BEGIN CERTIFICATE-----')) return body;
    // A DER download (.cer) is binary; it is wrapped as PEM so one parser reads both.
    const der = res.bytes.toString('base64');
    return `-----BEGIN CERTIFICATE-----\n${der.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`;
  };
}

/** Caches successful fetches for `ttlMs` (failures are not cached). */
export function cachedCertificates(args: { fetch: (url: string) => Promise<string>; clock: Clock; ttlMs?: number; maxEntries?: number }): (url: string) => Promise<string> {
  const ttl = args.ttlMs ?? 6 * 60 * 60 * 1000;
  const max = args.maxEntries ?? 16;
  const cache = new Map<string, { pem: Promise<string>; until: number }>();
  return (url) => {
    const now = args.clock.now().getTime();
    const hit = cache.get(url);
    if (hit !== undefined && hit.until > now) return hit.pem;
    const pem = args.fetch(url);
    cache.set(url, { pem, until: now + ttl });
    pem.catch(() => cache.delete(url));
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return pem;
  };
}
