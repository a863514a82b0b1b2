import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMsalNetworkClient } from '../../../connectors/partner-center/auth/network-client.js';
import { createGraphClientCredentialsTokens } from '../../../connectors/graph/graph-tokens.js';
import { DEFAULT_TENANT_ID, startEntraEmulator } from '../../../sandbox/entra/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
beforeAll(async () => {
  entra = await startEntraEmulator({ clock: new SandboxClock(), clients: [{ clientId: 'notifier-app', clientSecret: 's3cret', roles: ['Mail.Send'] }] });
});
afterAll(() => entra.server.close());

describe('Graph app-only tokens from the sandbox token service', () => {
  const tokens = (secret: string) => {
    const network = createMsalNetworkClient({ rewrite: { from: 'https://login.microsoftonline.com', to: entra.server.url } });
    return createGraphClientCredentialsTokens({ clientId: 'notifier-app', clientSecret: secret, authority: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}`, networkClient: network });
  };

  it('gets a token for the Graph audience and reuses it', async () => {
    const source = tokens('s3cret');
    const first = await source.getToken();
    expect(entra.tokenValidator(first, 'https://graph.microsoft.com')).not.toBeNull();
    expect(await source.getToken()).toBe(first);
  });

  it('reports a wrong secret as an auth error', async () => {
    await expect(tokens('wrong').getToken()).rejects.toMatchObject({ kind: 'auth', system: 'graph' });
  });
});
