import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert, type Pem } from '../../../sandbox/shared/tls.js';
import { httpRequest, REFERRALS, userToken } from './harness.js';

describe('Partner Center emulator over TLS with the sandbox CA', () => {
  let ca: Pem;
  let servers: { close(): Promise<void> }[] = [];
  let pcUrl = '';
  let token = '';
  let entraUrl = '';
  let tls: Pem;
  let control: Awaited<ReturnType<typeof startPartnerCenterEmulator>>['control'];
  beforeAll(async () => {
    ca = createSandboxCa();
    tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const clock = new SandboxClock();
    const entra = await startEntraEmulator({ clock, tls, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
    const pc = await startPartnerCenterEmulator({
      clock,
      seed: 5,
      size: 12,
      tls,
      options: { maxTop: 5, webhooks: { ca, trustedCaCert: ca.cert } },
      tokenValidator: entra.tokenValidator,
    });
    servers = [pc.server, entra.server];
    pcUrl = pc.server.url;
    entraUrl = entra.server.url;
    control = pc.control;
    token = await userToken(entra.server.url, 'https://api.partner.microsoft.com/.default', ca.cert);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('serves the API over https to a client that trusts the sandbox CA, and links with https', async () => {
    const answer = await httpRequest({ method: 'GET', url: `${pcUrl}${REFERRALS}`, ca: ca.cert, headers: { Authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(pcUrl.startsWith('https://127.0.0.1:')).toBe(true);
    expect(answer.json.value[0].links.self.uri.startsWith(`${pcUrl}${REFERRALS}/`)).toBe(true);
    // Partner Center docs, "Get a list of referrals" quirk: the sample nextLink is http:// even though the API is https.
    expect(answer.json['@odata.nextLink'].startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('is refused by a client that does not trust the sandbox CA', async () => {
    await expect(httpRequest({ method: 'GET', url: `${pcUrl}${REFERRALS}` })).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });

  it('serves the webhook signing certificate issued by the same CA', async () => {
    const pem = await httpRequest({ method: 'GET', url: `${pcUrl}/_certs/webhook-signing.pem`, ca: ca.cert });
    expect(pem.text).toContain('BEGIN CERTIFICATE');
  });

  it('delivers webhooks to an https receiver that presents a sandbox-CA certificate', async () => {
    const received: string[] = [];
    const receiver = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const address = receiver.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const cspToken = await userToken(entraUrl, 'https://api.partnercenter.microsoft.com/.default', ca.cert);
      const registered = await httpRequest({
        method: 'POST',
        url: `${pcUrl}/webhooks/v1/registration`,
        ca: ca.cert,
        headers: { Authorization: `Bearer ${cspToken}` },
        body: { WebhookUrl: `https://127.0.0.1:${port}/events`, WebhookEvents: ['referral-updated'] },
      });
      expect(registered.status).toBe(200);
      const lead = control.createInbound({ category: 'lead' });
      control.editAsUser({ id: lead.id, changes: { campaignId: 'FY26-Q3' } });
      await control.webhooksIdle();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0] ?? '{}').EventName).toBe('referral-updated');
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
