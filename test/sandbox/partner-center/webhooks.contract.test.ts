import { createVerify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSandboxCa, type Pem } from '../../../sandbox/shared/tls.js';
import { ADMIN, httpRequest, referralBody, REFERRALS, startHarness, type Harness } from './harness.js';
import { startReceiver, waitFor } from './webhook-receiver.js';

const REGISTRATION = '/webhooks/v1/registration';
const ALL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'];

let ca: Pem;
beforeAll(() => {
  ca = createSandboxCa();
});

describe('Partner Center emulator: webhooks', () => {
  let h: Harness;
  let cspToken: string;
  beforeAll(async () => {
    h = await startHarness({ options: { webhooks: { ca, retryBaseMs: 5, retryMaxMs: 20 } } });
    cspToken = await h.tokenAs(ADMIN, 'https://api.partnercenter.microsoft.com/.default');
  });
  afterAll(() => h.close());

  const csp = (method: string, path: string, body?: unknown) =>
    httpRequest({ method, url: `${h.pc.server.url}${path}`, headers: { Authorization: `Bearer ${cspToken}` }, body });

  it('registers on the CSP path with the CSP audience, one URL for the tenant', async () => {
    const withReferralsToken = await h.api('POST', REGISTRATION, { body: { WebhookUrl: 'http://127.0.0.1:9/x', WebhookEvents: ALL_EVENTS } });
    expect(withReferralsToken.status).toBe(401);
    expect((await csp('GET', `${REGISTRATION}/events`)).json).toEqual(expect.arrayContaining(ALL_EVENTS));
    const created = await csp('POST', REGISTRATION, { WebhookUrl: 'http://127.0.0.1:9/one', WebhookEvents: ALL_EVENTS });
    expect(created.status).toBe(200);
    expect(created.json.SubscriberId).toBeTruthy();
    const updated = await csp('PUT', REGISTRATION, { WebhookUrl: 'http://127.0.0.1:9/two', WebhookEvents: ['referral-created'] });
    expect(updated.json).toEqual(expect.objectContaining({ SubscriberId: created.json.SubscriberId, WebhookUrl: 'http://127.0.0.1:9/two' }));
    expect((await csp('GET', REGISTRATION)).json.WebhookEvents).toEqual(['referral-created']);
    expect((await csp('POST', REGISTRATION, { WebhookUrl: 'http://127.0.0.1:9/x', WebhookEvents: ['lead-created'] })).status).toBe(400);
    expect((await csp('POST', REGISTRATION, { WebhookUrl: 'https://example.com/hook', WebhookEvents: ALL_EVENTS })).status).toBe(400);
    expect((await csp('DELETE', REGISTRATION)).status).toBe(204);
    expect((await csp('GET', REGISTRATION)).status).toBe(404);
  });

  it('delivers referral-created signed with a Microsoft Corporation certificate from the sandbox CA', async () => {
    const receiver = await startReceiver();
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ALL_EVENTS });
      const r = (await h.api('POST', REFERRALS, { body: referralBody() })).json;
      await h.pc.control.webhooksIdle();
      expect(receiver.got).toHaveLength(1);
      const delivery = receiver.got[0];
      if (!delivery) throw new Error('no delivery');
      expect(delivery.json).toEqual({
        EventName: 'referral-created',
        ResourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${r.id}`,
        ResourceName: 'referral',
        AuditUri: null,
        ResourceChangeUtcDate: r.updatedDateTime.replace('Z', '+00:00'),
      });
      expect(delivery.headers['x-ms-signature-algorithm']).toBe('rsa-sha256');
      const certUrl = String(delivery.headers['x-ms-certificate-url']);
      expect(certUrl).toBe(`${h.pc.server.url}/_certs/webhook-signing.pem`);
      const cert = new X509Certificate((await httpRequest({ method: 'GET', url: certUrl })).text);
      expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
      expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
      expect(cert.subject).toContain('O=Microsoft Corporation');
      const signature = String(delivery.headers.authorization).replace(/^Signature /, '');
      expect(createVerify('RSA-SHA256').update(delivery.raw).verify(cert.publicKey, signature, 'base64')).toBe(true);
      const forged = Buffer.from(delivery.raw.toString('utf8').replace('referral-created', 'referral-updated'));
      expect(createVerify('RSA-SHA256').update(forged).verify(cert.publicKey, signature, 'base64')).toBe(false);
    } finally {
      await receiver.close();
    }
  });

  it('tells the other referrals of the engagement through related-referral events', async () => {
    const receiver = await startReceiver();
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ALL_EVENTS });
      const own = (await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).json;
      const request = (
        await h.api('POST', REFERRALS, {
          body: referralBody({ type: 'Shared', engagementId: own.engagementId, target: [{ type: 'BusinessProfileLocation', id: 'msft' }] }),
        })
      ).json;
      h.pc.control.microsoftRespond({ engagementId: own.engagementId, decision: 'accept' });
      await h.pc.control.webhooksIdle();
      const events = receiver.got.map((d) => `${d.json.EventName} ${String(d.json.ResourceUri).split('/').pop()}`);
      expect(events.sort()).toEqual(
        [
          `referral-created ${own.id}`,
          `referral-created ${request.id}`,
          `related-referral-created ${own.id}`,
          `referral-updated ${request.id}`,
          `related-referral-updated ${own.id}`,
        ].sort(),
      );
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing receiver with backoff until it answers 2xx', async () => {
    const receiver = await startReceiver((attempt) => (attempt <= 2 ? 500 : 200));
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] });
      await h.api('POST', REFERRALS, { body: referralBody() });
      await h.pc.control.webhooksIdle();
      expect(receiver.got).toHaveLength(3);
      const last = h.pc.control.webhookDeliveries().at(-1);
      expect(last).toEqual(expect.objectContaining({ state: 'delivered', attempts: 3, lastStatus: 200 }));
    } finally {
      await receiver.close();
    }
  });

  it('gives up after 10 attempts and parks the event offline', async () => {
    const receiver = await startReceiver(() => 503);
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] });
      await h.api('POST', REFERRALS, { body: referralBody() });
      await h.pc.control.webhooksIdle();
      expect(receiver.got).toHaveLength(10);
      expect(h.pc.control.webhookDeliveries().at(-1)).toEqual(expect.objectContaining({ state: 'offline', attempts: 10, lastStatus: 503 }));
    } finally {
      await receiver.close();
    }
  });

  it('answers the API at once even when the receiver never answers', async () => {
    const receiver = await startReceiver(() => 'hang');
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created', 'referral-updated'] });
      const created = await h.api('POST', REFERRALS, { body: referralBody() });
      expect(created.status).toBe(201);
      const patched = await h.api('PATCH', `${REFERRALS}/${created.json.id}`, { body: [{ op: 'replace', path: '/name', value: 'x' }] });
      expect(patched.status).toBe(204);
      await waitFor(() => receiver.got.length === 2, 'both deliveries to reach the receiver');
    } finally {
      await receiver.close();
      await csp('DELETE', REGISTRATION);
    }
  });

  it('delivers a burst as independent, concurrent posts: ten slow answers hold up no other event', async () => {
    const HELD = 10;
    const BURST = 40;
    const receiver = await startReceiver((attempt) => (attempt <= HELD ? 'hang' : 200));
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] });
      for (let i = 0; i < BURST; i++) await h.api('POST', REFERRALS, { body: referralBody() });
      // Every event is delivered while the first ones still wait for their answers.
      await waitFor(() => receiver.got.length === BURST, 'every event of the burst to be posted');
      receiver.answerHeld(200);
      await h.pc.control.webhooksIdle();
      expect(h.pc.control.webhookDeliveries().slice(-BURST).every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    } finally {
      await receiver.close();
      await csp('DELETE', REGISTRATION);
    }
  });

  it('keeps its connection to the receiver open from one post to the next', async () => {
    const receiver = await startReceiver();
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] });
      for (let i = 0; i < 10; i++) {
        h.pc.control.createInbound({ category: 'lead' });
        await h.pc.control.webhooksIdle();
      }
      expect(receiver.got).toHaveLength(10);
      expect(receiver.connections()).toBe(1);
    } finally {
      await receiver.close();
      await csp('DELETE', REGISTRATION);
    }
  });

  it('sends the signature in x-ms-signature when the registration asks for it', async () => {
    const receiver = await startReceiver();
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'], SignatureTokenToMsSignatureHeader: true });
      await h.api('POST', REFERRALS, { body: referralBody() });
      await h.pc.control.webhooksIdle();
      expect(receiver.got[0]?.headers['x-ms-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(receiver.got[0]?.headers.authorization).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('fires for changes the clock and the UI make, not only for API writes', async () => {
    const receiver = await startReceiver();
    try {
      await csp('POST', REGISTRATION, { WebhookUrl: receiver.url, WebhookEvents: ALL_EVENTS });
      const lead = h.pc.control.createInbound({ category: 'lead' });
      h.pc.control.editAsUser({ id: lead.id, changes: [{ op: 'replace', path: '/details/notes', value: 'called them' }] });
      h.clock.advance(15 * 86_400_000);
      await h.pc.control.webhooksIdle();
      // Events are posted side by side, as the service does: they may arrive in any order.
      const events = receiver.got.filter((d) => String(d.json.ResourceUri).endsWith(lead.id)).map((d) => String(d.json.EventName));
      expect(events.sort()).toEqual(['referral-created', 'referral-updated', 'referral-updated']);
    } finally {
      await receiver.close();
    }
  });
});

describe('Partner Center emulator: webhook ResourceUri pointing at the emulator', () => {
  it('can be fetched as given when resourceUriStyle is emulator', async () => {
    const h = await startHarness({ options: { webhooks: { ca, resourceUriStyle: 'emulator', retryBaseMs: 5 } } });
    const receiver = await startReceiver();
    try {
      const cspToken = await h.tokenAs(ADMIN, 'https://api.partnercenter.microsoft.com/.default');
      await httpRequest({
        method: 'POST',
        url: `${h.pc.server.url}${REGISTRATION}`,
        headers: { Authorization: `Bearer ${cspToken}` },
        body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
      });
      const r = (await h.api('POST', REFERRALS, { body: referralBody() })).json;
      await h.pc.control.webhooksIdle();
      const uri = receiver.got[0]?.json.ResourceUri as string;
      expect((await h.api('GET', uri)).json.id).toBe(r.id);
    } finally {
      await receiver.close();
      await h.close();
    }
  });
});
