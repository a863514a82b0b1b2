import { describe, expect, it } from '@jest/globals';
import type { Notification } from '../../connectors/types.js';
import { watchHealth } from '../../src/app/notifications.js';

describe('sync-needs-attention notifications', () => {
  it('tells the operator once when a sign-in fails, and again only after it recovered and failed anew', () => {
    const sent: Notification[] = [];
    const watch = watchHealth((n) => void sent.push(n));
    const failed = { state: 'authFailed' as const, detail: 'refresh token revoked: run `cosell-sync auth login`', pausedUntil: null };
    const ok = { state: 'ok' as const, detail: null, pausedUntil: null };
    watch({ partnerCenter: failed, salesforce: ok });
    watch({ partnerCenter: failed, salesforce: ok });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'needsAttention', subject: 'cosell-sync: partnerCenter sign-in needs renewing' });
    expect(sent[0]?.body).toContain('cosell-sync auth login');
    watch({ partnerCenter: ok, salesforce: ok });
    watch({ partnerCenter: failed, salesforce: ok });
    expect(sent).toHaveLength(2);
  });
});
