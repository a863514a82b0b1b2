/**
 * The admin listener probed from outside, as an attacker who reaches its port would: every
 * state-changing route without a credential, a CSRF token lifted from another session, a session
 * after sign-out, a sandboxed page's `Origin: null`, forged Host names, a CORS preflight, and the
 * anti-framing headers on every kind of answer. Each probe names what it now gets; none changes
 * anything.
 */
import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_TOKEN, adminYaml, BEARER, heldLink, seedStore, startAdminDaemon, type AdminDaemon } from './admin-daemon.js';
import { raw, signIn, trickledPost, type RawResponse } from './admin-http.js';

const FAILURE_KEY = 'salesforce:opportunity:006PROBED';
const FAR_AWAY = '2027-12-08T00:00:00.000Z';
const FORM = 'application/x-www-form-urlencoded';

function seed(dir: string): Promise<void> {
  return seedStore(dir, async (store) => {
    const link = await store.saveLink(heldLink(null));
    await store.holdConflict({ linkId: link.id, path: 'details.notes', base: 'base', crmValue: 'crm', partnerCenterValue: 'pc', createdAt: '2026-12-06T10:00:00.000Z' });
    await store.recordFailure({ key: FAILURE_KEY, operation: 'outbound', reason: 'invalid', errorKind: 'invalid', payload: null, nextAttemptAt: FAR_AWAY, lastFailedAt: '2026-12-06T00:00:00.000Z', failedAt: '2026-12-06T00:00:00.000Z' });
  });
}

/** Sends `request` as written over a TCP socket and returns the answer's status code. */
function statusOverSocket(base: string, request: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('the admin surface probed from outside', () => {
  let daemon: AdminDaemon;
  let conflictId = '';
  const state = async (): Promise<{ conflicts: string[]; failureDue: string | undefined }> => {
    const status = (await (await fetch(`${daemon.admin}/status`, { headers: BEARER })).json()) as { conflicts: { id: string }[]; failures: { key: string; nextAttemptAt: string }[] };
    return { conflicts: status.conflicts.map((c) => c.id), failureDue: status.failures.find((f) => f.key === FAILURE_KEY)?.nextAttemptAt };
  };
  const untouched = async (): Promise<void> => expect(await state()).toEqual({ conflicts: [conflictId], failureDue: FAR_AWAY });
  const send = (args: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> =>
    raw({ url: `${daemon.admin}${args.path}`, method: args.method ?? 'POST', headers: args.headers ?? {}, ...(args.body === undefined ? {} : { body: args.body }) });

  beforeAll(async () => {
    daemon = await startAdminDaemon({ prepare: seed });
    [conflictId = ''] = (await state()).conflicts;
  }, 60_000);
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('answers 401 to every state-changing method on every route without a credential, known or not', async () => {
    const paths = [`/conflicts/${conflictId}/resolve`, `/failures/${encodeURIComponent(FAILURE_KEY)}/retry`, '/signout', '/status', '/', '/metrics', '/no-such-route'];
    const seen: string[] = [];
    for (const path of paths) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        for (const [type, body] of [
          [FORM, 'take=partnerCenter'],
          ['application/json', '{"take":"partnerCenter"}'],
          ['text/plain', 'take=partnerCenter'],
        ] as const) {
          const answer = await send({ method, path, headers: { 'content-type': type }, body });
          seen.push(`${method} ${path} ${type} -> ${answer.status}`);
        }
      }
    }
    expect(seen.filter((line) => !line.endsWith('-> 401'))).toEqual([]);
    expect(seen).toHaveLength(7 * 4 * 3);
    await untouched();
  });

  it('refuses a CSRF token lifted from another live session, and a session after it signed out', async () => {
    const victim = await signIn(daemon.admin, ADMIN_TOKEN);
    const attacker = await signIn(daemon.admin, ADMIN_TOKEN);
    expect(victim.csrf).not.toBe(attacker.csrf);
    const resolve = (cookie: string, csrf: string) =>
      send({ path: `/conflicts/${conflictId}/resolve`, headers: { 'content-type': FORM, cookie, origin: daemon.admin }, body: new URLSearchParams({ take: 'partnerCenter', _csrf: csrf }).toString() });
    expect((await resolve(attacker.cookie, victim.csrf)).status).toBe(403);
    expect((await resolve(victim.cookie, attacker.csrf)).status).toBe(403);
    // JSON with the session but without the X-CSRF-Token header.
    const json = await send({ path: `/conflicts/${conflictId}/resolve`, headers: { 'content-type': 'application/json', cookie: victim.cookie, origin: daemon.admin }, body: '{"take":"partnerCenter"}' });
    expect(json.status).toBe(403);
    // Signed out: the cookie and its token are worth nothing afterwards.
    expect((await send({ path: '/signout', headers: { 'content-type': FORM, cookie: victim.cookie, origin: daemon.admin }, body: `_csrf=${victim.csrf}` })).status).toBe(303);
    expect((await resolve(victim.cookie, victim.csrf)).status).toBe(401);
    // A session id made up by the attacker (fixation) is no session.
    expect((await resolve('cosell_session=chosen-by-the-attacker', attacker.csrf)).status).toBe(401);
    await untouched();
  });

  it("refuses a sandboxed or privacy-stripped page's Origin: null, and a same-site page on another port", async () => {
    const { cookie, csrf } = await signIn(daemon.admin, ADMIN_TOKEN);
    const body = new URLSearchParams({ take: 'partnerCenter', _csrf: csrf }).toString();
    for (const origin of ['null', 'http://127.0.0.1:1', `${daemon.admin}.attacker.example`]) {
      const answer = await send({ path: `/conflicts/${conflictId}/resolve`, headers: { 'content-type': FORM, cookie, origin }, body });
      expect({ origin, status: answer.status }).toEqual({ origin, status: 403 });
    }
    await untouched();
  });

  it('refuses forged Host names (DNS rebinding), even with the bearer token', async () => {
    const port = new URL(daemon.admin).port;
    for (const host of [`attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example:${port}`, `localhost.:${port}`]) {
      const answer = await send({ path: `/failures/${encodeURIComponent(FAILURE_KEY)}/retry`, headers: { ...BEARER, host, 'content-type': 'application/json' }, body: '{}' });
      expect({ host, status: answer.status }).toEqual({ host, status: 403 });
    }
    // No Host at all (HTTP/1.0; node's client always adds one, so over a bare socket).
    const bare = await statusOverSocket(
      daemon.admin,
      `POST /failures/${encodeURIComponent(FAILURE_KEY)}/retry HTTP/1.0\r\nAuthorization: ${BEARER.authorization}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(bare).toBe(403);
    await untouched();
  });

  it('grants no cross-origin reads: a CORS preflight gets no Access-Control-Allow-Origin', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      path: `/conflicts/${conflictId}/resolve`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-csrf-token' },
    });
    expect(preflight.status).toBe(401);
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const read = await send({ method: 'GET', path: '/status', headers: { ...BEARER, origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends the anti-framing headers on every kind of answer: 200, 303, 401, 403 and 404', async () => {
    const port = new URL(daemon.admin).port;
    const answers = [
      await send({ method: 'GET', path: '/status', headers: BEARER }),
      await send({ method: 'GET', path: '/', headers: { accept: 'text/html' } }),
      await send({ method: 'GET', path: '/status' }),
      await send({ method: 'GET', path: '/status', headers: { ...BEARER, host: `attacker.example:${port}` } }),
      await send({ method: 'GET', path: '/no-such-page', headers: BEARER }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 303, 401, 403, 404]);
    for (const answer of answers) {
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('the admin listener and a slow sender', () => {
  it('cuts off a request whose body trickles in past server.requestTimeoutMs with 408', async () => {
    const daemon = await startAdminDaemon({ yaml: adminYaml({ serverExtra: '  requestTimeoutMs: 1000\n' }) });
    try {
      const post = await trickledPost({ base: daemon.admin, path: '/failures/x/retry', headers: { Authorization: BEARER.authorization } });
      expect(post.closed).toBe(true);
      expect(post.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 60_000);
});
