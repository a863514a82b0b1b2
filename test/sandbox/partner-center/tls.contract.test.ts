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
  beforeAll(async () => {
    ca = createSandboxCa();
    const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const clock = new SandboxClock();
    const entra = await startEntraEmulator({ clock, tls, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
    const pc = await startPartnerCenterEmulator({
      clock,
      seed: 5,
      size: 12,
      tls,
      options: { maxTop: 5, webhooks: { ca } },
      tokenValidator: entra.tokenValidator,
    });
    servers = [pc.server, entra.server];
    pcUrl = pc.server.url;
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
    // ref PC §1.1 quirk: the sample nextLink is http:// even though the API is https.
    expect(answer.json['@odata.nextLink'].startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('is refused by a client that does not trust the sandbox CA', async () => {
    await expect(httpRequest({ method: 'GET', url: `${pcUrl}${REFERRALS}` })).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });

  it('serves the webhook signing certificate issued by the same CA', async () => {
    const pem = await httpRequest({ method: 'GET', url: `${pcUrl}/_certs/webhook-signing.pem`, ca: ca.cert });
    expect(pem.text).toContain('BEGIN CERTIFICATE');
  });
});
