import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { verify } from 'node:crypto';
import nock from 'nock';
import type { ConnectorError } from '../../../connectors/errors.js';
import { API, INSTANCE, JSON_HEADERS, LOGIN, keyPair, makeConnector, privateKeyPem } from './support/harness.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const EMPTY = { totalSize: 0, done: true, records: [] };
const SESSION_EXPIRED = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const jwtAuth = { kind: 'jwt' as const, clientId: 'consumer-key', username: 'sync@acme.example', privateKeyPem };

/** The token endpoint: hands out token-1, token-2, ... and keeps the form bodies it got. */
function tokenEndpoint(failFrom = Number.POSITIVE_INFINITY) {
  const forms: URLSearchParams[] = [];
  nock(LOGIN)
    // The body matcher records each form; nock 15.0.0 hands a reply function no usable body.
    .post('/services/oauth2/token', (body: Record<string, string>) => {
      forms.push(new URLSearchParams(body));
      return true;
    })
    .times(10)
    .reply(() => {
      if (forms.length >= failFrom) return [400, { error: 'invalid_grant', error_description: 'user hasn\'t approved this consumer' }];
      return [200, { access_token: `token-${forms.length}`, instance_url: INSTANCE, id: `${LOGIN}/id/00Dxx0000001gPL/005xx000001Sv6e`, token_type: 'Bearer' }];
    });
  return forms;
}

const read = (connector: ReturnType<typeof makeConnector>['connector']) =>
  connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields: ['Name'] }).then(
    () => null,
    (e: unknown) => e as ConnectorError,
  );

describe('Salesforce session', () => {
  it('signs a JWT bearer assertion with RS256 that the connected app certificate verifies', async () => {
    const forms = tokenEndpoint();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, EMPTY, JSON_HEADERS);
    const { connector, clock } = makeConnector({ auth: jwtAuth, instanceUrl: undefined });
    expect(await read(connector)).toBeNull();
    const form = forms[0];
    expect(form?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims, signature] = (form?.get('assertion') ?? '').split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toEqual({
      iss: 'consumer-key',
      sub: 'sync@acme.example',
      aud: LOGIN,
      exp: Math.floor(clock.t / 1000) + 180,
    });
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), keyPair.publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
  });

  it('refreshes once on 401 INVALID_SESSION_ID and retries the call with the new token', async () => {
    const forms = tokenEndpoint();
    // Each interceptor only answers the token it names, so the retry must carry the new one.
    const first = nock(INSTANCE, { reqheaders: { authorization: 'Bearer token-1' } }).get(`${API}/query`).query(true).reply(401, SESSION_EXPIRED, JSON_HEADERS);
    const second = nock(INSTANCE, { reqheaders: { authorization: 'Bearer token-2' } }).get(`${API}/query`).query(true).reply(200, EMPTY, JSON_HEADERS);
    const { connector, sink } = makeConnector({ auth: jwtAuth, instanceUrl: undefined });
    expect(await read(connector)).toBeNull();
    expect(first.isDone() && second.isDone()).toBe(true);
    expect(forms).toHaveLength(2);
    expect(connector.health().state).toBe('ok');
    expect(sink.text()).not.toContain('token-1');
  });

  it('gives up with an auth error after one refresh when the new token is refused too', async () => {
    const forms = tokenEndpoint();
    let calls = 0;
    nock(INSTANCE)
      .get(`${API}/query`)
      .query(true)
      .times(5)
      .reply(() => {
        calls += 1;
        return [401, SESSION_EXPIRED, JSON_HEADERS];
      });
    const { connector } = makeConnector({ auth: jwtAuth, instanceUrl: undefined });
    const error = await read(connector);
    expect(error?.kind).toBe('auth');
    expect(error?.vendorCode).toBe('INVALID_SESSION_ID');
    expect(calls).toBe(2);
    expect(forms).toHaveLength(2);
    expect(connector.health().state).toBe('authFailed');
  });

  it('reports a failing refresh as an auth error the operator sees in health', async () => {
    tokenEndpoint(2);
    nock(INSTANCE).get(`${API}/query`).query(true).reply(401, SESSION_EXPIRED, JSON_HEADERS);
    const { connector } = makeConnector({ auth: jwtAuth, instanceUrl: undefined });
    const error = await read(connector);
    expect(error?.kind).toBe('auth');
    expect(error?.vendorCode).toBe('invalid_grant');
    expect(connector.health()).toMatchObject({ state: 'authFailed' });
  });

  it('reports a refused first login as authFailed without calling the API', async () => {
    tokenEndpoint(1);
    const { connector } = makeConnector({ auth: { kind: 'clientCredentials', clientId: 'id', clientSecret: 'secret' }, instanceUrl: undefined });
    const error = await read(connector);
    expect(error?.kind).toBe('auth');
    expect(connector.health().state).toBe('authFailed');
  });

  it('treats a 401 on a static access token as final (nothing to refresh with)', async () => {
    const forms = tokenEndpoint();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(401, SESSION_EXPIRED, JSON_HEADERS);
    const { connector } = makeConnector();
    expect((await read(connector))?.kind).toBe('auth');
    expect(forms).toHaveLength(0);
  });

  it('sends the refresh-token grant with the client id', async () => {
    const forms = tokenEndpoint();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, EMPTY, JSON_HEADERS);
    const { connector } = makeConnector({ auth: { kind: 'refreshToken', clientId: 'id', refreshToken: 'rt' }, instanceUrl: undefined });
    expect(await read(connector)).toBeNull();
    expect(Object.fromEntries(forms[0] ?? [])).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt', client_id: 'id' });
  });
});
