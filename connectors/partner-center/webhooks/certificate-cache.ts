/**
 * Fetches signing certificates over HTTPS and caches them by URL, so a burst of webhooks costs
 * one download. Only URLs that passed the host allow-list ever reach this. Downloads are bounded
 * so that posts naming many certificate URLs cannot tie the receiver up: a short deadline, a
 * size cap, and a cap on downloads in flight (a post beyond it is refused at once, not queued).
 */
import type { Clock } from '../../../src/core/clock.js';
import { createHttpTransport } from '../http.js';

/** A certificate chain is a few kilobytes; anything far larger is not one. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

export const CERTIFICATE_DOWNLOAD_DEFAULTS = { timeoutMs: 5_000, concurrency: 2 } as const;

export function fetchCertificateOverHttps(args: { ca?: string; timeoutMs?: number } = {}): (url: string) => Promise<string> {
  const transport = createHttpTransport({ system: 'partnerCenter', ...(args.ca === undefined ? {} : { ca: args.ca }) });
  return async (url) => {
    const res = await transport.send({
      method: 'GET',
      url: new URL(url),
      headers: { accept: '*/*' },
      timeoutMs: args.timeoutMs ?? CERTIFICATE_DOWNLOAD_DEFAULTS.timeoutMs,
      maxResponseBytes: MAX_CERTIFICATE_BYTES,
    });
    if (res.status !== 200) throw new Error(`certificate download answered ${res.status}`);
    const body = res.body.trim();
    if (body.includes('-----BEGIN CERTIFICATE-----')) return body;
    // A DER download (.cer) is binary; it is wrapped as PEM so one parser reads both.
    const der = res.bytes.toString('base64');
    return `-----BEGIN CERTIFICATE-----\n${der.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----`;
  };
}

/**
 * Caches successful fetches for `ttlMs` (failures are not cached); a URL already being fetched
 * shares that download. At most `concurrency` downloads run at once: a new URL beyond that is
 * refused at once.
 */
export function cachedCertificates(args: { fetch: (url: string) => Promise<string>; clock: Clock; ttlMs?: number; maxEntries?: number; concurrency?: number }): (url: string) => Promise<string> {
  const ttl = args.ttlMs ?? 6 * 60 * 60 * 1000;
  const max = args.maxEntries ?? 16;
  const concurrency = args.concurrency ?? CERTIFICATE_DOWNLOAD_DEFAULTS.concurrency;
  const cache = new Map<string, { pem: Promise<string>; until: number }>();
  let inFlight = 0;
  return (url) => {
    const now = args.clock.now().getTime();
    const hit = cache.get(url);
    if (hit !== undefined && hit.until > now) return hit.pem;
    if (inFlight >= concurrency) return Promise.reject(new Error(`${inFlight} certificate downloads already running`));
    inFlight += 1;
    const pem = args.fetch(url);
    cache.set(url, { pem, until: now + ttl });
    pem.then(
      () => (inFlight -= 1),
      () => {
        inFlight -= 1;
        cache.delete(url);
      },
    );
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return pem;
  };
}
