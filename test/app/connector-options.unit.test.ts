import { afterAll, describe, expect, it } from '@jest/globals';

import { parsePartnerCenterOptions } from '../../connectors/partner-center/index.js';
import { parseSalesforceOptions } from '../../connectors/salesforce/index.js';
import { partnerCenterOptionsFrom, salesforceOptionsFrom } from '../../src/cli/compose/connector-options.js';
import type { Config } from '../../src/config/index.js';
import { formatProblems, parseConfigText } from '../../src/config/index.js';
import { scratchDir } from './helpers.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const SANDBOX_CA = '-----BEGIN CERTIFICATE-----\nMIIBsandbox\n-----END CERTIFICATE-----\n';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

/** A parsed configuration; its directory (key and CA files) lives until the suite ends. */
function config(salesforceAuth: string, extra = '', env: Record<string, string> = {}): Config {
  const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'ca.pem': SANDBOX_CA, 'sf.pem': PEM });
  cleanups.push(scratch.cleanup);
  const text = `partnerCenter:
  baseUrl: http://127.0.0.1:4010/v1.0/engagements/referrals
  auth: { mode: staticToken }
  solutionId: SOL-15974-MQF
  filters: { externalReferenceId: server, updatedDateTime: clientSide }
salesforce:
  instanceUrl: http://127.0.0.1:4020
  auth: ${salesforceAuth}
sync:
  retry: { baseDelayMs: 200, maxDelayMs: 5000, maxAttempts: 7 }
${extra}`;
  const result = parseConfigText({ text, env: { COSELL_PC_TOKEN: 'pc', ...env }, cwd: scratch.dir });
  if (!result.ok) throw new Error(formatProblems(result.error));
  return result.value;
}

describe('connector options from the configuration', () => {
  it.each([
    ['{ mode: jwt, clientId: c, username: u@example.com, privateKeyFile: sf.pem }', {}, { kind: 'jwt', privateKeyPem: PEM }],
    ['{ mode: clientCredentials, clientId: c }', { SALESFORCE_CLIENT_SECRET: 'cs' }, { kind: 'clientCredentials', clientSecret: 'cs' }],
    ['{ mode: refreshToken, clientId: c }', { SALESFORCE_REFRESH_TOKEN: 'rt' }, { kind: 'refreshToken', refreshToken: 'rt' }],
    ['{ mode: staticToken }', { SALESFORCE_ACCESS_TOKEN: 'at' }, { kind: 'accessToken', accessToken: 'at' }],
  ])('gives Salesforce options its own parser accepts (auth %s)', (auth, env, expected) => {
    const options = parseSalesforceOptions(salesforceOptionsFrom(config(auth, '', env)));
    expect(options.auth).toMatchObject(expected);
    expect(options.instanceUrl).toBe('http://127.0.0.1:4020');
    expect(options.retry).toMatchObject({ baseDelayMs: 200, maxDelayMs: 5000, maxAttempts: 7 });
    expect(options.ca).toBeUndefined();
  });

  it('gives Partner Center options its own parser accepts, with the API origin as base URL', () => {
    const options = parsePartnerCenterOptions(partnerCenterOptionsFrom(config('{ mode: staticToken }', '', { SALESFORCE_ACCESS_TOKEN: 'at' })));
    expect(options.baseUrl).toBe('http://127.0.0.1:4010');
    expect(options.solutionId).toBe('SOL-15974-MQF');
    expect(options.filters).toEqual({ externalReferenceId: 'server', updatedDateTime: 'clientSide' });
    expect(options.retry.maxAttempts).toBe(7);
  });

  it('hands the sandbox CA to the connectors only when the sandbox is enabled', () => {
    const env = { SALESFORCE_ACCESS_TOKEN: 'at' };
    const enabled = config('{ mode: staticToken }', 'sandbox: { enabled: true, caFile: ca.pem }\n', env);
    expect(parsePartnerCenterOptions(partnerCenterOptionsFrom(enabled)).ca).toBe(SANDBOX_CA);
    expect(parseSalesforceOptions(salesforceOptionsFrom(enabled)).ca).toBe(SANDBOX_CA);
    const disabled = config('{ mode: staticToken }', 'sandbox: { enabled: false, caFile: ca.pem }\n', env);
    expect(parsePartnerCenterOptions(partnerCenterOptionsFrom(disabled)).ca).toBeUndefined();
  });
});
