import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createGraphNotifier } from '../../../connectors/graph/graph-notifier.js';
import { FakeClock, logSink } from '../partner-center/support/harness.js';

// Plain http on purpose: the SDK's own auth handler would drop the token here (it trusts only https Graph hosts).
const GRAPH = 'http://graph.sandbox.test';

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

function notifier(clock = new FakeClock()) {
  const sink = logSink();
  return {
    sink,
    clock,
    n: createGraphNotifier({
      baseUrl: GRAPH,
      sender: 'cosell-sync@contoso.example',
      recipients: ['sales-ops@contoso.example', 'admin@contoso.example'],
      tokens: { getToken: () => Promise.resolve('graph-token') },
      logger: sink.logger,
      clock,
    }),
  };
}

interface SendMail {
  message: { subject: string; body: { contentType: string; content: string }; toRecipients: { emailAddress: { address: string } }[] };
  saveToSentItems: boolean;
}

describe('Graph notifier', () => {
  it('sends mail with the bearer token over an http host and strips customer contact details', async () => {
    const { n } = notifier();
    let sent: SendMail | undefined;
    nock(GRAPH)
      .post('/v1.0/users/cosell-sync%40contoso.example/sendMail', (b: SendMail) => {
        sent = b;
        return true;
      })
      .matchHeader('authorization', 'Bearer graph-token')
      .reply(202);
    await n.notify({
      kind: 'newInboundReferral',
      subject: 'New co-sell referral: Fabrikam - Azure migration',
      body: 'Microsoft invited you. Contact dana@fabrikam.example or +1 425 555 0100 before 2024-03-21.',
    });
    expect(sent?.message.toRecipients.map((r) => r.emailAddress.address)).toEqual(['sales-ops@contoso.example', 'admin@contoso.example']);
    expect(sent?.message.body.content).toBe('Microsoft invited you. Contact [email removed] or [phone removed] before 2024-03-21.');
    expect(sent?.saveToSentItems).toBe(false);
  });

  it('waits for Retry-After on a 429 and then delivers', async () => {
    const { n, clock } = notifier();
    nock(GRAPH)
      .post('/v1.0/users/cosell-sync%40contoso.example/sendMail')
      .reply(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'Retry-After': '7' })
      .post('/v1.0/users/cosell-sync%40contoso.example/sendMail')
      .reply(202);
    await n.notify({ kind: 'needsAttention', subject: 'Sync needs attention', body: 'Partner Center sign-in expired.' });
    expect(clock.sleeps).toEqual([7000]);
  });

  it('reports a refused token as an auth error', async () => {
    const { n } = notifier();
    nock(GRAPH).post('/v1.0/users/cosell-sync%40contoso.example/sendMail').reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } });
    await expect(n.notify({ kind: 'referralExpiring', subject: 's', body: 'b' })).rejects.toMatchObject({ kind: 'auth', system: 'graph', status: 401 });
  });
});
