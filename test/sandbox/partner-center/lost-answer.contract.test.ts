/**
 * An answer lost after the write was applied, on every Partner Center write: the create POST
 * (own referral and Microsoft-side request), PATCH and the legacy PUT apply the write, then the
 * connection drops. A client that looks up by externalReferenceId finds the referral once; one
 * that repeats the create blindly makes a duplicate, as the real service would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FaultRule } from '../../../sandbox/shared/faults.js';
import { referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.pc.server.faults.set([]));

async function loseNextAnswer(method: string, path: string, as: 'reset' | 'timeout' = 'reset'): Promise<void> {
  const rules: FaultRule[] = [{ method, path, nth: [1], lostAnswerRate: 1, lostAnswerAs: as }];
  const res = await fetch(`${h.pc.server.url}/_control/faults`, { method: 'PUT', body: JSON.stringify(rules) });
  expect(res.status).toBe(204);
}

const byExternalId = (id: string) => h.pc.control.list().filter((r) => r.externalReferenceId === id);

describe('Partner Center: the answer is lost after the write was applied', () => {
  it('create: the referral exists, a lookup by externalReferenceId finds it, a blind repeat duplicates it', async () => {
    await loseNextAnswer('POST', `^${REFERRALS}$`);
    await expect(h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'lost-create-1' }) })).rejects.toThrow();
    expect(h.pc.control.countByExternalReferenceId('lost-create-1')).toBe(1);
    const lookup = await h.api('GET', `${REFERRALS}?$filter=${encodeURIComponent("externalReferenceId eq 'lost-create-1'")}`);
    expect(lookup.json.value.map((r: { id: string }) => r.id)).toEqual([byExternalId('lost-create-1')[0]?.id]);
    expect((await h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'lost-create-1' }) })).status).toBe(201);
    expect(h.pc.control.countByExternalReferenceId('lost-create-1')).toBe(2);
  });

  it('Microsoft-side create of a co-sell: the connected request exists in the engagement', async () => {
    const own = (await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared', externalReferenceId: 'lost-cosell-1' }) })).json;
    await loseNextAnswer('POST', `^${REFERRALS}$`, 'timeout');
    const invitation = referralBody({
      type: 'Shared',
      externalReferenceId: 'lost-cosell-1',
      engagementId: own.engagementId,
      target: [{ type: 'BusinessProfileLocation', id: 'msft' }],
      inviteContext: { notes: 'Please help', assistanceRequestCode: 'ProofOfConceptOrDemo' },
    });
    const post = fetch(`${h.pc.server.url}${REFERRALS}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(invitation),
      signal: AbortSignal.timeout(300),
    });
    await expect(post).rejects.toThrow();
    const engagement = h.pc.control.list().filter((r) => r.engagementId === own.engagementId);
    expect(engagement.map((r) => r.target[0]?.id).sort()).toEqual(['SOL-12345-ABC', 'msft']);
  });

  it('PATCH: the change and a new eTag are there on the next read', async () => {
    const created = (await h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'lost-patch-1' }) })).json;
    await loseNextAnswer('PATCH', `^${REFERRALS}/`);
    const patch = [{ op: 'replace', path: '/details/dealValue', value: 75000 }];
    await expect(h.api('PATCH', `${REFERRALS}/${created.id}`, { body: patch, headers: { 'If-Match': created.eTag } })).rejects.toThrow();
    const after = await h.api('GET', `${REFERRALS}/${created.id}`);
    expect(after.json.details.dealValue).toBe(75000);
    expect(after.json.eTag).not.toBe(created.eTag);
    // Repeating the PATCH with the eTag it was sent with is now a 412, not a second write.
    expect((await h.api('PATCH', `${REFERRALS}/${created.id}`, { body: patch, headers: { 'If-Match': created.eTag } })).status).toBe(412);
  });

  it('legacy PUT: the replacement is applied', async () => {
    const created = (await h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'lost-put-1' }) })).json;
    await loseNextAnswer('PUT', `^${REFERRALS}/`);
    const replaced = { ...created, name: 'Replaced name' };
    await expect(h.api('PUT', `${REFERRALS}/${created.id}`, { body: replaced, headers: { 'If-Match': created.eTag } })).rejects.toThrow();
    expect(h.pc.control.get(created.id)?.name).toBe('Replaced name');
  });
});
