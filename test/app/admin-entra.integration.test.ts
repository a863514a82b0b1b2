import { request as httpsRequest } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { DEFAULT_TENANT_ID, startEntraEmulator } from '../../sandbox/entra/index.js';
import { SandboxClock } from '../../sandbox/shared/clock.js';
import { freePort } from '../../sandbox/shared/free-port.js';
import { createSandboxCa, issueServerCert } from '../../sandbox/shared/tls.js';
import { admitted } from '../../src/server/admin/index.js';
import { ADMIN_TOKEN, adminYaml, startAdminDaemon, type AdminDaemon } from './admin-daemon.js';
import { raw, setCookies, type RawResponse } from './admin-http.js';
import { MINIMAL_ENV } from './helpers.js';

const CLIENT = { clientId: 'cosell-admin-page', clientSecret: 'admin-page-secret' };
const OPS = 'ops.lead@partner.example';
const INTRUDER = 'someone.else@partner.example';

describe('status page sign-in through Entra ID (authorization code, PKCE, allowed users)', () => {
  const ca = createSandboxCa();
  let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
  let daemon: AdminDaemon;

  /** A GET to the emulator, over its TLS with the sandbox CA. */
  const getEntra = (url: string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { ca: ca.cert }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  /** The browser's round trip: the daemon sends it to Entra, Entra (signing in `upn`) sends it back with a code. */
  async function signInAs(upn: string): Promise<{ callback: RawResponse; cookies: Record<string, string> }> {
    const start = await raw({ url: `${daemon.admin}/auth/entra` });
    expect(start.status).toBe(302);
    const authorize = new URL(String(start.headers['location']));
    expect(authorize.origin).toBe(entra.server.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    authorize.searchParams.set('login_hint', upn);
    const back = await getEntra(authorize.toString());
    expect(back.status).toBe(302);
    const state = setCookies(start.headers)['cosell_oidc'] ?? '';
    const callback = await raw({ url: String(back.headers['location']), headers: { cookie: `cosell_oidc=${state}` } });
    return { callback, cookies: setCookies(callback.headers) };
  }

  beforeAll(async () => {
    entra = await startEntraEmulator({ clock: new SandboxClock(), tls: issueServerCert(ca, { hosts: ['127.0.0.1'] }), clients: [CLIENT], users: [{ upn: OPS, name: 'Ops Lead' }, { upn: INTRUDER }] });
    const port = await freePort();
    daemon = await startAdminDaemon({
      env: { ...MINIMAL_ENV, COSELL_ADMIN_TOKEN: ADMIN_TOKEN, COSELL_ADMIN_ENTRA_SECRET: CLIENT.clientSecret },
      prepare: async (dir) => writeFileSync(join(dir, 'sandbox-ca.pem'), ca.cert),
      yaml:
        adminYaml({
          serverExtra: `  auth:
    entra:
      tenantId: ${DEFAULT_TENANT_ID}
      clientId: ${CLIENT.clientId}
      authority: ${entra.server.url}
      redirectUri: http://127.0.0.1:${port}/auth/entra/callback
      allowedUsers: [${OPS.toUpperCase()}]
`,
        }).replace('  port: 0\n', `  port: ${port}\n`) + 'sandbox: { enabled: true, caFile: sandbox-ca.pem }\n',
    });
  }, 60_000);
  afterAll(async () => {
    await daemon.stop();
    await entra.server.close();
  });

  it('signs an allowed user in and shows the page under their name', async () => {
    const { callback, cookies } = await signInAs(OPS);
    expect(callback.status).toBe(200);
    expect(callback.body).toContain('http-equiv="refresh"');
    const session = cookies['cosell_session'];
    expect(session).toBeDefined();
    const page = await raw({ url: `${daemon.admin}/`, headers: { cookie: `cosell_session=${session ?? ''}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`signed in: ${OPS}`);
  });

  it('refuses an account that is on neither list, with no session', async () => {
    const { callback, cookies } = await signInAs(INTRUDER);
    expect(callback.status).toBe(403);
    expect(callback.body).toContain('server.auth.entra.allowedUsers');
    expect(cookies['cosell_session']).toBeUndefined();
  });

  it('refuses a callback that this browser did not start (no state cookie)', async () => {
    const start = await raw({ url: `${daemon.admin}/auth/entra` });
    const authorize = new URL(String(start.headers['location']));
    authorize.searchParams.set('login_hint', OPS);
    const back = String((await getEntra(authorize.toString())).headers['location']);
    // Someone else's browser (or a link in a mail) arriving with the code: no state cookie.
    const stranger = await raw({ url: back });
    expect(stranger.status).toBe(400);
    expect(setCookies(stranger.headers)['cosell_session']).toBeUndefined();
  });

  it('offers Entra ID on the sign-in page', async () => {
    expect((await raw({ url: `${daemon.admin}/signin` })).body).toContain('href="/auth/entra"');
  });
});

describe('who Entra ID lets in', () => {
  it('admits listed users (any of their names, any case) and members of listed groups only', () => {
    const config = { allowedUsers: ['Ops.Lead@Partner.Example'], allowedGroups: ['0b1c-ops'] };
    expect(admitted({ preferred_username: 'ops.lead@partner.example', oid: 'o-1' }, config)).toEqual({ user: 'ops.lead@partner.example', allowed: true });
    expect(admitted({ preferred_username: 'dev@partner.example', groups: ['x', '0b1c-ops'] }, config).allowed).toBe(true);
    expect(admitted({ preferred_username: 'dev@partner.example', groups: ['x'] }, config).allowed).toBe(false);
    expect(admitted({ oid: 'o-2' }, config)).toEqual({ user: 'o-2', allowed: false });
  });
});
