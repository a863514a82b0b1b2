import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { parseWebhookEvent } from '../../../connectors/partner-center/webhooks/event.js';
import type { WebhookEvent } from '../../../connectors/partner-center/webhooks/event.js';
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import { cachedCertificates, fetchCertificateOverHttps } from '../../../connectors/partner-center/webhooks/certificate-cache.js';
import { webhookRoute } from '../../../connectors/partner-center/webhooks/route.js';
import { verifyWebhook } from '../../../connectors/partner-center/webhooks/verify.js';
import type { HeaderBag } from '../../../connectors/partner-center/webhooks/verify.js';
import { issue, sign } from './support/certs.js';
import type { Issued } from './support/certs.js';
import { FakeClock, logSink } from './support/harness.js';

const CERT_URL = 'https://certs.partnercenter.microsoft.com/webhooks/signing.cer';
const NOW = new Date('2024-03-07T07:00:00Z');
const body = JSON.stringify({
  EventName: 'referral-updated',
  ResourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/7f1c2b9e-3d4a-4e5f-9a1b-2c3d4e5f6a7b',
  ResourceName: 'referral',
  AuditUri: null,
  ResourceChangeUtcDate: '2024-03-07T06:59:39.5485487+00:00',
});

let root: Issued;
let intermediate: Issued;
let leaf: Issued;
let expired: Issued;
let rogueLeaf: Issued;
let otherOrg: Issued;

beforeAll(() => {
  root = issue({ subject: { CN: 'Test Root CA', O: 'Test PKI' }, ca: true });
  intermediate = issue({ subject: { CN: 'Test Issuing CA', O: 'Test PKI' }, issuer: root, ca: true });
  leaf = issue({ subject: { CN: 'webhooks.partnercenter.microsoft.com', O: 'Microsoft Corporation' }, issuer: intermediate });
  expired = issue({ subject: { CN: 'old', O: 'Microsoft Corporation' }, issuer: intermediate, notAfter: new Date('2024-02-01T00:00:00Z') });
  const rogueRoot = issue({ subject: { CN: 'Test Root CA', O: 'Test PKI' }, ca: true });
  rogueLeaf = issue({ subject: { CN: 'webhooks.partnercenter.microsoft.com', O: 'Microsoft Corporation' }, issuer: rogueRoot });
  otherOrg = issue({ subject: { CN: 'x', O: 'Fabrikam' }, issuer: intermediate });
});

function headers(signer: Issued, payload = body, extra: HeaderBag = {}): HeaderBag {
  return { authorization: `Signature ${sign(payload, signer.keyPem)}`, 'x-ms-certificate-url': CERT_URL, 'x-ms-signature-algorithm': 'rsa-sha256', ...extra };
}

function verifier(served: () => Issued, fetched: string[] = []) {
  return (req: { headers: HeaderBag; rawBody: string }) =>
    verifyWebhook({
      ...req,
      trustedRoots: [root.certPem],
      hostAllowList: ['certs.partnercenter.microsoft.com'],
      fetchCertificate: (url) => {
        fetched.push(url);
        return Promise.resolve(served().certPem + intermediate.certPem);
      },
      now: NOW,
    });
}

describe('webhook signature check', () => {
  it('accepts a body signed by a certificate chaining to the trusted root', async () => {
    const result = await verifier(() => leaf)({ headers: headers(leaf), rawBody: body });
    expect(result.ok).toBe(true);
  });

  it('accepts the x-ms-signature header variant', async () => {
    const h = headers(leaf);
    const sig = String(h.authorization).replace('Signature ', '');
    const result = await verifier(() => leaf)({ headers: { 'x-ms-signature': sig, 'x-ms-certificate-url': CERT_URL }, rawBody: body });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a tampered body', () => ({ headers: headers(leaf), rawBody: body.replace('referral-updated', 'referral-created') }), () => leaf, 'badSignature'],
    ['an expired certificate', () => ({ headers: headers(expired), rawBody: body }), () => expired, 'certificateExpired'],
    ['an untrusted chain', () => ({ headers: headers(rogueLeaf), rawBody: body }), () => rogueLeaf, 'untrustedChain'],
    ['another organization', () => ({ headers: headers(otherOrg), rawBody: body }), () => otherOrg, 'wrongOrganization'],
    ['missing signature headers', () => ({ headers: { 'x-ms-certificate-url': CERT_URL }, rawBody: body }), () => leaf, 'missingHeaders'],
  ])('rejects %s', async (_name, request, served, reason) => {
    const result = await verifier(served)(request());
    expect(result).toMatchObject({ ok: false, error: { reason } });
  });

  it('never fetches a certificate from a host off the allow-list', async () => {
    const fetched: string[] = [];
    const result = await verifier(() => leaf, fetched)({ headers: headers(leaf, body, { 'x-ms-certificate-url': 'https://attacker.example/cert.cer' }), rawBody: body });
    expect(result).toMatchObject({ ok: false, error: { reason: 'hostNotAllowed' } });
    expect(fetched).toEqual([]);
  });

  it('reads a certificate served as PEM or as DER', async () => {
    const der = new X509Certificate(leaf.certPem).raw;
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': req.url === '/cert.cer' ? 'application/pkix-cert' : 'application/x-pem-file' });
      res.end(req.url === '/cert.cer' ? der : leaf.certPem);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const fetch = fetchCertificateOverHttps();
      for (const path of ['/cert.cer', '/cert.pem']) {
        const pem = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(new X509Certificate(pem).fingerprint256).toBe(new X509Certificate(leaf.certPem).fingerprint256);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('downloads a certificate once for a burst of webhooks', async () => {
    let downloads = 0;
    const fetch = cachedCertificates({ clock: new FakeClock(), fetch: () => Promise.resolve(String(++downloads)) });
    await Promise.all([fetch(CERT_URL), fetch(CERT_URL), fetch(CERT_URL)]);
    expect(downloads).toBe(1);
  });

  it('runs at most `concurrency` downloads at once, refusing new URLs beyond that until one ends', async () => {
    const pending: (() => void)[] = [];
    const fetch = cachedCertificates({ clock: new FakeClock(), concurrency: 2, fetch: (url) => new Promise((resolve) => pending.push(() => resolve(url))) });
    const first = fetch(`${CERT_URL}?1`);
    const second = fetch(`${CERT_URL}?2`);
    await expect(fetch(`${CERT_URL}?3`)).rejects.toThrow(/2 certificate downloads already running/);
    // A URL already being fetched shares its download rather than counting again.
    const sameAsFirst = fetch(`${CERT_URL}?1`);
    expect(pending).toHaveLength(2);
    pending.shift()?.();
    expect(await first).toBe(`${CERT_URL}?1`);
    expect(await sameAsFirst).toBe(`${CERT_URL}?1`);
    const third = fetch(`${CERT_URL}?3`);
    expect(pending).toHaveLength(2);
    for (const release of pending.splice(0)) release();
    expect(await Promise.all([second, third])).toEqual([`${CERT_URL}?2`, `${CERT_URL}?3`]);
  });
});

async function post(app: FastifyInstance, headers: Record<string, string>, payload: string): Promise<number> {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/partner-center`, { method: 'POST', headers, body: payload });
  await res.text();
  return res.status;
}

describe('webhook endpoint', () => {
  let app: FastifyInstance;
  const events: WebhookEvent[] = [];
  const sink = logSink();

  beforeAll(async () => {
    app = Fastify();
    await app.register(webhookRoute({ path: '/webhooks/partner-center', verify: verifier(() => leaf), onEvent: (e) => void events.push(e), logger: sink.logger }));
    // inject() needs light-my-request's ESM-only cookie package, which jest on Node 20 cannot load.
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('answers 200 and enqueues the referral id for a good request', async () => {
    const status = await post(app, { ...headers(leaf), 'content-type': 'application/json' } as Record<string, string>, body);
    expect(status).toBe(200);
    expect(events.at(-1)).toEqual({ eventName: 'referral-updated', referralId: '7f1c2b9e-3d4a-4e5f-9a1b-2c3d4e5f6a7b', changedAt: '2024-03-07T06:59:39.5485487+00:00' });
  });

  it('answers 401 with a log line for unsigned or tampered requests and enqueues nothing', async () => {
    const before = events.length;
    const unsigned = await post(app, { 'content-type': 'application/json' }, body);
    const tampered = await post(app, { ...headers(leaf), 'content-type': 'application/json' } as Record<string, string>, body.replace('7f1c2b9e', '00000000'));
    const garbage = await post(app, { authorization: 'Signature %%%', 'x-ms-certificate-url': 'not a url', 'content-type': 'application/json' }, '\u0000');
    expect([unsigned, tampered, garbage]).toEqual([401, 401, 401]);
    expect(events.length).toBe(before);
    expect(sink.lines().filter((l) => l.msg === 'rejected a Partner Center webhook')).toHaveLength(3);
  });
});

describe('webhook payload', () => {
  it('takes the referral id from the last segment of ResourceUri', () => {
    expect(parseWebhookEvent({ EventName: 'related-referral-created', ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/abc-123' })).toEqual({
      ok: true,
      value: { eventName: 'related-referral-created', referralId: 'abc-123', changedAt: null },
    });
    expect(parseWebhookEvent({ EventName: 'test-created', ResourceUri: null })).toMatchObject({ ok: true, value: { referralId: null } });
    expect(parseWebhookEvent({ EventName: 'referral-created' })).toMatchObject({ ok: false });
  });
});
