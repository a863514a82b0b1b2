import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { ONE_URL_PER_EVENT_WARNING, createWebhookRegistrationClient } from '../../../connectors/partner-center/webhooks/registration.js';
import { createStaticTokenProvider } from '../../../connectors/partner-center/auth/static-token.js';
import { FakeClock, logSink } from './support/harness.js';

const CSP = 'https://api.partnercenter.microsoft.com';

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

function client() {
  const sink = logSink();
  const tokens = createStaticTokenProvider({ tokens: { referrals: 'referrals-token', webhooks: 'csp-token' } });
  return { sink, c: createWebhookRegistrationClient({}, { tokens, logger: sink.logger, clock: new FakeClock() }) };
}

describe('webhook registration', () => {
  it('registers the four referral events with the CSP audience token and warns loudly', async () => {
    const { c, sink } = client();
    nock(CSP)
      .post('/webhooks/v1/registration', {
        WebhookUrl: 'https://sync.contoso.example/webhooks/partner-center',
        WebhookEvents: ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'],
      })
      .matchHeader('authorization', 'Bearer csp-token')
      .reply(200, { SubscriberId: 'e82e4c5d-0000-4b3a-9d1e-7a1b2c3d4e5f', WebhookUrl: 'https://sync.contoso.example/webhooks/partner-center', WebhookEvents: ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] });
    const reg = await c.register({ url: 'https://sync.contoso.example/webhooks/partner-center' });
    expect(reg.subscriberId).toBe('e82e4c5d-0000-4b3a-9d1e-7a1b2c3d4e5f');
    expect(sink.lines().some((l) => l.level === 40 && l.msg === ONE_URL_PER_EVENT_WARNING)).toBe(true);
  });

  it('reads, lists events, and unregisters; no registration reads as null', async () => {
    const { c } = client();
    nock(CSP)
      .get('/webhooks/v1/registration')
      .reply(404, { code: 2000, description: 'Registration not found' })
      .get('/webhooks/v1/registration/events')
      .reply(200, ['referral-created', 'referral-updated', 'test-created'])
      .delete('/webhooks/v1/registration')
      .reply(204);
    await expect(c.get()).resolves.toBeNull();
    await expect(c.listEvents()).resolves.toContain('referral-updated');
    await expect(c.unregister()).resolves.toBeUndefined();
  });
});
