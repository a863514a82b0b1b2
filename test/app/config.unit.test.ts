import { generateKeyPairSync, randomBytes } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import type { ConfigProblem } from '../../src/config/index.js';
import { formatProblems, loadConfig, parseConfigText, resolveConfigPath } from '../../src/config/index.js';
import { MINIMAL_ENV, MINIMAL_YAML, scratchDir } from './helpers.js';

const RSA_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function accepted(text: string, env: Record<string, string>): boolean {
  const scratch = scratchDir({ 'mappings/salesforce.yaml': '' });
  try {
    return parseConfigText({ text, env, cwd: scratch.dir }).ok;
  } finally {
    scratch.cleanup();
  }
}

function problemsOf(text: string, env: Record<string, string> = MINIMAL_ENV, files: Record<string, string> = {}): ConfigProblem[] {
  const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'mappings/dynamics.yaml': '', ...files });
  try {
    const result = parseConfigText({ text, env, cwd: scratch.dir });
    if (result.ok) throw new Error('expected problems, the configuration was accepted');
    return result.error;
  } finally {
    scratch.cleanup();
  }
}

describe('loadConfig', () => {
  it('fills defaults, resolves paths against cwd and reads secrets from the environment', () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'config/cosell-sync.yaml': MINIMAL_YAML });
    try {
      const result = loadConfig({ env: MINIMAL_ENV, cwd: scratch.dir });
      if (!result.ok) throw new Error(formatProblems(result.error));
      const config = result.value;
      expect(config.store).toEqual({ kind: 'sqlite', path: `${scratch.dir}/var/cosell-sync.sqlite` });
      expect(config.partnerCenter.baseUrl).toBe('https://api.partner.microsoft.com/v1.0/engagements/referrals');
      expect(config.salesforce?.apiVersion).toBe('60.0');
      expect(config.salesforce?.mapping).toBe(`${scratch.dir}/mappings/salesforce.yaml`);
      expect(config.salesforce?.auth.mode === 'staticToken' && config.salesforce.auth.accessToken.reveal()).toBe('sf-token-value-2');
      expect(config.dynamics).toBeNull();
      expect(config.server).toEqual({ enabled: true, host: '127.0.0.1', port: 8787, requestTimeoutMs: 30_000, allowedHosts: [], auth: { sessionHours: 8, entra: null, token: null }, webhooks: { host: '0.0.0.0', port: 8788, requestTimeoutMs: 10_000 } });
      expect(config.sync.schedule.outbound).toBe('*/2 * * * *');
    } finally {
      scratch.cleanup();
    }
  });

  it('chooses --config over COSELL_CONFIG over the default path', () => {
    const cwd = '/srv/app';
    expect(resolveConfigPath({ path: 'a.yaml', env: { COSELL_CONFIG: '/etc/b.yaml' }, cwd })).toBe('/srv/app/a.yaml');
    expect(resolveConfigPath({ env: { COSELL_CONFIG: '/etc/b.yaml' }, cwd })).toBe('/etc/b.yaml');
    expect(resolveConfigPath({ env: {}, cwd })).toBe('/srv/app/config/cosell-sync.yaml');
  });

  it('reports a missing configuration file by its path', () => {
    const result = loadConfig({ path: '/nonexistent/cosell.yaml', env: {}, cwd: '/' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error[0]?.message).toContain('file not found: /nonexistent/cosell.yaml');
  });

  it('reads a secret from NAME_FILE without its trailing newline', () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'secrets/pc': 'from-file-token\n' });
    try {
      const env = { COSELL_PC_TOKEN_FILE: 'secrets/pc', SALESFORCE_ACCESS_TOKEN: 'x' };
      const result = parseConfigText({ text: MINIMAL_YAML, env, cwd: scratch.dir });
      if (!result.ok) throw new Error(formatProblems(result.error));
      const auth = result.value.partnerCenter.auth;
      expect(auth.mode === 'staticToken' && auth.token.reveal()).toBe('from-file-token');
      expect(auth.mode === 'staticToken' && auth.token.source).toBe(`file ${scratch.dir}/secrets/pc (COSELL_PC_TOKEN_FILE)`);
    } finally {
      scratch.cleanup();
    }
  });
});

describe('configuration problems', () => {
  it('reports a YAML syntax error with its line and column', () => {
    const problems = problemsOf('partnerCenter:\n  auth:\n    mode: staticToken\n   bad: 1\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 4, column: 1 });
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('reports every problem of a file at once, each with its key path', () => {
    const text = `salesfroce:
  auth: 1
partnerCenter:
  auth: { mode: nope }
  rateLimit: { concurrency: "4" }
sync:
  schedule: { outbound: "61 * * * *" }
  timeZone: Mars/Olympus
salesforce:
  auth: { mode: clientCredentials, clientId: abc }
`;
    const byPath = Object.fromEntries(problemsOf(text, {}).map((p) => [p.path, p]));
    expect(byPath['']?.message).toBe('unknown key "salesfroce" (did you mean "salesforce"?)');
    expect(byPath['']).toMatchObject({ line: 1, column: 1 });
    expect(byPath['partnerCenter.auth.mode']?.message).toBe('must be one of: deviceCode, staticToken');
    expect(byPath['partnerCenter.rateLimit.concurrency']?.message).toBe('expected number, got string "4"');
    expect(byPath['sync.schedule.outbound']?.message).toMatch(/^not a valid cron expression/);
    expect(byPath['sync.timeZone']?.message).toBe('not a valid IANA time zone');
    expect(byPath['salesforce.auth.clientSecret']?.message).toBe(
      'missing secret: set SALESFORCE_CLIENT_SECRET or SALESFORCE_CLIENT_SECRET_FILE',
    );
  });

  it('reports unknown keys nested in a section where they are', () => {
    const problems = problemsOf(`${MINIMAL_YAML}server:\n  port: 8080\n  hots: 0.0.0.0\n`);
    expect(problems).toEqual([{ path: 'server', message: 'unknown key "hots" (did you mean "host"?)', line: 8, column: 3 }]);
  });

  it('says where a secret belongs when one is written into the file, without repeating it', () => {
    const text = `partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken, accessToken: s3cr3t-in-yaml }
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'salesforce.auth.accessToken: secrets go in the environment: set SALESFORCE_ACCESS_TOKEN (or SALESFORCE_ACCESS_TOKEN_FILE naming a file that holds it), and remove "accessToken" from this file',
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t-in-yaml');
  });

  it.each([
    ['dynamics', 'clientSecret', 'DYNAMICS_CLIENT_SECRET'],
    ['dynamics', 'certificateKey', 'DYNAMICS_CERTIFICATE_KEY'],
    ['salesforce', 'privateKey', 'SALESFORCE_PRIVATE_KEY'],
    ['salesforce', 'secret', 'SALESFORCE_CLIENT_SECRET'],
    ['graph', 'clientSecret', 'GRAPH_CLIENT_SECRET'],
  ])('names the variable for a secret written as %s.auth.%s, whatever the sign-in mode', (section, key, variable) => {
    const sections: Record<string, string> = {
      dynamics: 'dynamics:\n  url: https://contoso.crm.dynamics.com\n  auth: { mode: clientSecret, tenantId: t, clientId: c, KEY: v4lue-in-yaml }\n',
      salesforce: 'salesforce:\n  loginUrl: https://login.salesforce.com\n  auth: { mode: clientCredentials, clientId: c, KEY: v4lue-in-yaml }\n',
      graph: 'graph:\n  sender: a@b.example\n  recipients: [c@d.example]\n  auth: { mode: clientSecret, tenantId: t, clientId: c, KEY: v4lue-in-yaml }\n',
    };
    const text = `${MINIMAL_YAML.replace(/salesforce:[\s\S]*$/, section === 'salesforce' ? '' : 'salesforce:\n  instanceUrl: https://example.my.salesforce.com\n  auth: { mode: staticToken }\n')}${(sections[section] ?? '').replace('KEY', key)}`;
    const env = { ...MINIMAL_ENV, DYNAMICS_CLIENT_SECRET: 'x', SALESFORCE_CLIENT_SECRET: 'x', GRAPH_CLIENT_SECRET: 'x' };
    const problems = problemsOf(text, env);
    const mine = problems.filter((p) => p.message.includes(key));
    expect(mine.map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^secrets go in the environment: set ${variable} `))]);
    expect(JSON.stringify(problems)).not.toContain('v4lue-in-yaml');
  });

  it('tells that the device-code sign-in takes no client secret at all', () => {
    const text = MINIMAL_YAML.replace('auth: { mode: staticToken }\nsalesforce', 'auth: { mode: staticToken, clientSecret: abc }\nsalesforce');
    expect(problemsOf(text).map((p) => p.message)).toEqual([expect.stringContaining('needs no client secret')]);
  });

  it('suggests nothing for an unknown key unlike any known one', () => {
    const problems = problemsOf(`${MINIMAL_YAML}server:\n  colour: blue\n`);
    expect(problems.map((p) => p.message)).toEqual(['unknown key "colour"']);
  });

  it('names a key file that does not exist', () => {
    const text = `partnerCenter:
  auth: { mode: staticToken }
salesforce:
  auth: { mode: jwt, clientId: a, username: u@example.com, privateKeyFile: keys/sf.pem }
`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('salesforce.auth.privateKeyFile');
    expect(problems[0]?.message).toMatch(/^file not found: .*keys\/sf\.pem$/);
  });

  it('requires the token-cache key for device-code sign-in', () => {
    const text = MINIMAL_YAML.replace('auth: { mode: staticToken }', 'auth: { mode: deviceCode, tenantId: t, clientId: c }');
    const problems = problemsOf(text);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'partnerCenter.tokenCacheKey: missing secret: set COSELL_TOKEN_CACHE_KEY or COSELL_TOKEN_CACHE_KEY_FILE',
    ]);
  });

  it('checks the token-cache key is 32 bytes at config check, without showing it', () => {
    const text = MINIMAL_YAML.replace('auth: { mode: staticToken }', 'auth: { mode: deviceCode, tenantId: t, clientId: c }');
    const problems = problemsOf(text, { ...MINIMAL_ENV, COSELL_TOKEN_CACHE_KEY: 'short-k3y' });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^partnerCenter\.tokenCacheKey: must be 32 random bytes written as 64 hex digits or 44 base64 characters .*openssl rand -base64 32.*; this one is 6 bytes \(env COSELL_TOKEN_CACHE_KEY\)$/),
    ]);
    expect(JSON.stringify(problems)).not.toContain('short-k3y');
    expect(accepted(text, { ...MINIMAL_ENV, COSELL_TOKEN_CACHE_KEY: randomBytes(32).toString('base64') })).toBe(true);
    expect(accepted(text, { ...MINIMAL_ENV, COSELL_TOKEN_CACHE_KEY: randomBytes(32).toString('hex') })).toBe(true);
  });

  it.each([
    ['not a key at all', 'just-some-text', /^not a PEM private key/],
    ['a certificate instead of its key', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /^this is a certificate, not its private key/],
    ['line breaks written as \\n', RSA_KEY.replace(/\n/g, '\\n'), /instead of line breaks/],
    ['an elliptic-curve key', EC_KEY, /RS256 signatures need an RSA key/],
  ])('checks the shape of a private key at config check: %s', (_what, value, message) => {
    const text = MINIMAL_YAML.replace(/salesforce:[\s\S]*$/, 'salesforce:\n  auth: { mode: jwt, clientId: a, username: u@example.com }\n');
    const problems = problemsOf(text, { ...MINIMAL_ENV, SALESFORCE_PRIVATE_KEY: value });
    expect(problems.map((p) => p.path)).toEqual(['salesforce.auth.privateKey']);
    expect(problems[0]?.message).toMatch(message);
    expect(problems[0]?.message).toContain('(env SALESFORCE_PRIVATE_KEY)');
    expect(accepted(text, { ...MINIMAL_ENV, SALESFORCE_PRIVATE_KEY: RSA_KEY })).toBe(true);
  });

  it('rejects a secret set both directly and as a file', () => {
    const problems = problemsOf(MINIMAL_YAML, { ...MINIMAL_ENV, COSELL_PC_TOKEN_FILE: '/run/secrets/pc' });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'partnerCenter.auth.token: both COSELL_PC_TOKEN and COSELL_PC_TOKEN_FILE are set; set only one',
    ]);
  });

  it('needs at least one CRM section', () => {
    const problems = problemsOf('partnerCenter:\n  auth: { mode: staticToken }\n');
    expect(problems.map((p) => p.message)).toEqual(['configure at least one CRM: a salesforce or a dynamics section']);
  });

  it('checks the sandbox CA file only when the sandbox is enabled', () => {
    expect(() => problemsOf(`${MINIMAL_YAML}sandbox: { enabled: false, caFile: missing.pem }\n`)).toThrow('accepted');
    const problems = problemsOf(`${MINIMAL_YAML}sandbox: { enabled: true, caFile: missing.pem }\n`);
    expect(problems.map((p) => p.path)).toEqual(['sandbox.caFile']);
  });

  it('refuses webhooks without the status server that receives them', () => {
    const problems = problemsOf(`partnerCenter:
  auth: { mode: staticToken }
  webhooks: { enabled: true }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
server: { enabled: false }
`);
    expect(problems).toEqual([
      {
        path: 'partnerCenter.webhooks.enabled',
        message: 'webhooks need the status server: set server.enabled to true',
        line: 3,
        column: 24,
      },
    ]);
  });

  it('formats one line per problem under a heading', () => {
    const text = formatProblems(
      [
        { path: 'sync.timeZone', message: 'not a valid IANA time zone', line: 3, column: 13 },
        { path: '', message: 'unknown key "x"' },
      ],
      'cosell.yaml',
    );
    expect(text).toBe(
      'Configuration cosell.yaml has 2 problems:\n' +
        '  - sync.timeZone: not a valid IANA time zone (line 3, column 13)\n' +
        '  - unknown key "x"\n',
    );
  });
});
