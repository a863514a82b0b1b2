import { describe, expect, it } from '@jest/globals';
import { normaliseAudience, readScopes } from '../../../sandbox/entra/scopes.js';

describe('scope -> audience', () => {
  it.each([
    ['https://api.partner.microsoft.com/.default', 'https://api.partner.microsoft.com', ['.default']],
    ['https://api.partner.microsoft.com/user_impersonation offline_access openid profile', 'https://api.partner.microsoft.com', ['user_impersonation']],
    ['https://contoso.crm.dynamics.com//.default', 'https://contoso.crm.dynamics.com', ['.default']],
    ['https://127.0.0.1:4431/.default', 'https://127.0.0.1:4431', ['.default']],
    ['User.Read Mail.Send', 'https://graph.microsoft.com', ['User.Read', 'Mail.Send']],
    ['api://9e2c1f1a-0000-4000-8000-000000000001/access_as_user', 'api://9e2c1f1a-0000-4000-8000-000000000001', ['access_as_user']],
  ])('%s -> %s', (scope, audience, permissions) => {
    const result = readScopes(scope);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ audience, permissions }) });
  });

  it('notes the OpenID and offline_access scopes', () => {
    const result = readScopes('https://x.example/.default openid offline_access');
    expect(result.ok && result.value.openid && result.value.offlineAccess).toBe(true);
    const bare = readScopes('https://x.example/.default');
    expect(bare.ok && (bare.value.openid || bare.value.offlineAccess)).toBe(false);
  });

  it('refuses scopes for two resources in one request', () => {
    expect(readScopes('https://a.example/.default https://b.example/.default').ok).toBe(false);
  });

  it('compares audiences without trailing slashes or case in the host', () => {
    expect(normaliseAudience('https://Contoso.CRM.dynamics.com/')).toBe('https://contoso.crm.dynamics.com');
  });
});
