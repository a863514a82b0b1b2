import { rootCertificates } from 'node:tls';

import { afterAll, describe, expect, it } from '@jest/globals';

import { parsePartnerCenterOptions } from '../../connectors/partner-center/index.js';
import { parseSalesforceOptions } from '../../connectors/salesforce/index.js';
import {
  partnerCenterOptionsFrom,
  salesforceOptionsFrom,
  webhookRegistrationOptionsFrom,
  webhookVerificationFrom,
} from '../../src/cli/compose/connector-options.js';
import type { Config } from '../../src/config/index.js';
import { formatProblems, parseConfigText } from '../../src/config/index.js';
import { scratchDir } from './helpers.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const SANDBOX_CA = '-----BEGIN CERTIFICATE-----\nMIIBsandbox\n-----END CERTIFICATE-----\n';
const MICROSOFT_ROOT = '-----BEGIN CERTIFICATE-----\nMIIBroot\n-----END CERTIFICATE-----\n';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

/** A parsed configuration; its directory (key and CA files) lives until the suite ends. */
function config(args: { auth?: string; env?: Record<string, string>; partnerCenter?: string; extra?: string } = {}): Config {
  const files = { 'mappings/salesforce.yaml': '', 'ca.pem': SANDBOX_CA, 'sf.pem': PEM, 'root.pem': MICROSOFT_ROOT };
  const scratch = scratchDir(files);
  cleanups.push(scratch.cleanup);
  const text = `partnerCenter:
  baseUrl: http://127.0.0.1:4010/v1.0/engagements/referrals
  auth: { mode: staticToken }
  solutionId: SOL-15974-MQF
  filters: { externalReferenceId: server, updatedDateTime: clientSide }
${args.partnerCenter ?? ''}salesforce:
  instanceUrl: http://127.0.0.1:4020
  auth: ${args.auth ?? '{ mode: staticToken }'}
sync:
  retry: { baseDelayMs: 200, maxDelayMs: 5000, maxAttempts: 7 }
${args.extra ?? ''}`;
  const env = { COSELL_PC_TOKEN: 'pc', SALESFORCE_ACCESS_TOKEN: 'at', ...args.env };
  const result = parseConfigText({ text, env, cwd: scratch.dir });
  if (!result.ok) throw new Error(formatProblems(result.error));
  return result.value;
}

describe('connector options from the configuration', () => {
  it.each([
    ['{ mode: jwt, clientId: c, username: u@example.com, privateKeyFile: sf.pem }', {}, { kind: 'jwt', privateKeyPem: PEM }],
    ['{ mode: clientCredentials, clientId: c }', { SALESFORCE_CLIENT_SECRET: 'cs' }, { kind: 'clientCredentials', clientSecret: 'cs' }],
    ['{ mode: refreshToken, clientId: c }', { SALESFORCE_REFRESH_TOKEN: 'rt' }, { kind: 'refreshToken', refreshToken: 'rt' }],
    ['{ mode: staticToken }', {}, { kind: 'accessToken', accessToken: 'at' }],
  ])('gives Salesforce options its own parser accepts (auth %s)', (auth, env, expected) => {
    const options = parseSalesforceOptions(salesforceOptionsFrom(config({ auth, env })));
    expect(options.auth).toMatchObject(expected);
    expect(options.instanceUrl).toBe('http://127.0.0.1:4020');
    expect(options.retry).toMatchObject({ baseDelayMs: 200, maxDelayMs: 5000, maxAttempts: 7 });
    expect(options.ca).toBeUndefined();
  });

  it('gives Partner Center options its own parser accepts, with the API origin as base URL', () => {
    const options = parsePartnerCenterOptions(partnerCenterOptionsFrom(config()));
    expect(options.baseUrl).toBe('http://127.0.0.1:4010');
    expect(options.solutionId).toBe('SOL-15974-MQF');
    expect(options.filters).toEqual({ externalReferenceId: 'server', updatedDateTime: 'clientSide' });
    expect(options.retry.maxAttempts).toBe(7);
  });

  it('hands the sandbox CA to the connectors only when the sandbox is enabled', () => {
    const enabled = config({ extra: 'sandbox: { enabled: true, caFile: ca.pem }\n' });
    expect(parsePartnerCenterOptions(partnerCenterOptionsFrom(enabled)).ca).toBe(SANDBOX_CA);
    expect(parseSalesforceOptions(salesforceOptionsFrom(enabled)).ca).toBe(SANDBOX_CA);
    expect(webhookRegistrationOptionsFrom(enabled).ca).toBe(SANDBOX_CA);
    const disabled = config({ extra: 'sandbox: { enabled: false, caFile: ca.pem }\n' });
    expect(parsePartnerCenterOptions(partnerCenterOptionsFrom(disabled)).ca).toBeUndefined();
  });

  it('gives the webhook registration client the origin and verification the public roots by default', () => {
    const plain = config();
    expect(webhookRegistrationOptionsFrom(plain)).toEqual({ baseUrl: 'https://api.partnercenter.microsoft.com', timeoutMs: 30_000 });
    expect(webhookVerificationFrom(plain)).toEqual({
      path: '/webhooks/partner-center',
      trustedRoots: [...rootCertificates],
      hostAllowList: ['.microsoft.com'],
    });
  });

  it('verifies webhooks against the configured root (and the sandbox CA) and allowed hosts', () => {
    const custom = config({
      partnerCenter: '  webhooks: { trustedRootCaFile: root.pem, certificateHostAllowList: ["*.partner.example", cert.example] }\n',
      extra: 'sandbox: { enabled: true, caFile: ca.pem }\n',
    });
    expect(webhookVerificationFrom(custom)).toEqual({
      path: '/webhooks/partner-center',
      trustedRoots: [MICROSOFT_ROOT, SANDBOX_CA],
      hostAllowList: ['.partner.example', 'cert.example'],
    });
  });
});
