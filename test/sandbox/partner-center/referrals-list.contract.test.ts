import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

const list = (h: Harness, query: Record<string, string>) => h.api('GET', `${REFERRALS}?${new URLSearchParams(query).toString()}`);
const ids = (answer: { json: { value: { id: string }[] } }) => answer.json.value.map((r) => r.id);

describe('Partner Center emulator: $filter and $orderby', () => {
  let h: Harness;
  const made: Record<string, { id: string; updatedDateTime: string; createdDateTime: string }> = {};
  beforeAll(async () => {
    h = await startHarness();
    const post = async (key: string, changes: Record<string, unknown>) => {
      made[key] = (await h.api('POST', REFERRALS, { body: referralBody(changes) })).json;
      h.clock.advance(60_000);
    };
    await post('usPrivate', { externalReferenceId: 'CRM-1' });
    await post('deShared', {
      type: 'Shared',
      externalReferenceId: 'CRM-2',
      customerProfile: { name: 'Adatum GmbH', address: { country: 'DE', city: 'München' }, team: [] },
      team: [{ firstName: 'Quinn', lastName: 'Rossi', email: 'quinn.rossi@partner.example' }],
    });
    await post('frWon', { externalReferenceId: "O'Brien-3", customerProfile: { name: 'Trey SA', address: { country: 'FR' }, team: [] } });
    await h.api('PATCH', `${REFERRALS}/${made.frWon?.id}`, {
      body: [
        { op: 'replace', path: '/status', value: 'Closed' },
        { op: 'replace', path: '/substatus', value: 'Won' },
      ],
    });
    made.lead = h.pc.control.createInbound({ category: 'lead' });
    made.invite = h.pc.control.createInbound({ category: 'coSellInvite' });
  });
  afterAll(() => h.close());

  it('returns the OData collection with @odata.count', async () => {
    const answer = await h.api('GET', REFERRALS);
    expect(answer.status).toBe(200);
    expect(answer.json['@odata.context']).toMatch(/\$metadata#Referrals$/);
    expect(answer.json['@odata.count']).toBe(5);
    expect(answer.json['@odata.nextLink']).toBeUndefined();
  });

  it.each([
    ["direction eq 'Incoming'", ['lead', 'invite']],
    ["status eq 'New' and qualification eq 'SalesQualified' and type eq 'Shared'", ['invite']],
    ["customerProfile/address/country eq 'DE' and direction eq 'Outgoing'", ['deShared']],
    ["(type eq 'Shared' and direction eq 'Outgoing')", ['deShared']],
    ["(direction eq 'Incoming' and substatus eq 'Pending')", ['lead', 'invite']],
    ["status eq 'Active' and direction eq 'Outgoing' and type eq 'Shared' and team/any(t:t/email eq 'quinn.rossi@partner.example')", ['deShared']],
    ["status eq 'Closed' or customerProfile/address/country eq 'DE'", ['deShared', 'frWon']],
    ["not (direction eq 'Incoming') and substatus ne 'Won'", ['usPrivate', 'deShared']],
    ["externalReferenceId eq 'O''Brien-3'", ['frWon']],
  ])('filters %s', async (filter, expected) => {
    const answer = await list(h, { $filter: filter });
    expect(answer.status).toBe(200);
    expect(new Set(ids(answer))).toEqual(new Set(expected.map((k) => made[k]?.id)));
    expect(answer.json['@odata.count']).toBe(expected.length);
  });

  it('filters on engagementId, as links.relatedReferrals does', async () => {
    const related = (await h.api('GET', `${REFERRALS}/${made.deShared?.id}`)).json.links.relatedReferrals.uri as string;
    const answer = await h.api('GET', related);
    expect(ids(answer)).toEqual([made.deShared?.id]);
  });

  it('filters on updatedDateTime gt with an unquoted seven-digit timestamp', async () => {
    const since = made.deShared?.updatedDateTime ?? '';
    const answer = await list(h, { $filter: `updatedDateTime gt ${since}`, $orderby: 'updatedDateTime asc' });
    expect(ids(answer)).toEqual([made.frWon?.id, made.lead?.id, made.invite?.id]);
  });

  it('orders by createdDateTime or updatedDateTime, asc or desc', async () => {
    const desc = await list(h, { $orderby: 'createdDateTime desc' });
    expect(ids(desc)).toEqual(['invite', 'lead', 'frWon', 'deShared', 'usPrivate'].map((k) => made[k]?.id));
    const byUpdate = await list(h, { $orderby: 'updatedDateTime desc', $top: '1' });
    expect(ids(byUpdate)).toEqual([made.invite?.id]);
  });

  it.each([
    ['$filter', "nosuchfield eq 'x'"],
    ['$filter', "status eq 'New' and"],
    ['$filter', "status like 'New'"],
    ['$filter', "status eq 'unterminated"],
    ['$filter', 'createdDateTime gt yesterday'],
    ['$orderby', 'name asc'],
    ['$top', '-1'],
    ['$skiptoken', 'not-a-token'],
  ])('answers 400 invalidRequest for %s=%s', async (name, value) => {
    const answer = await list(h, { [name]: value });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalidRequest');
  });
});

describe('Partner Center emulator: filter switches for two readings', () => {
  it('refuses externalReferenceId and updatedDateTime gt filters when switched off', async () => {
    const h = await startHarness({ options: { filterExternalReferenceId: false, filterUpdatedDateTimeGt: false } });
    try {
      const byExternal = await list(h, { $filter: "externalReferenceId eq 'CRM-1'" });
      expect(byExternal.status).toBe(400);
      const byUpdated = await list(h, { $filter: 'updatedDateTime gt 2026-01-01T00:00:00Z' });
      expect(byUpdated.status).toBe(400);
      expect(byUpdated.json.error.code).toBe('invalidRequest');
      expect((await list(h, { $filter: "direction eq 'Outgoing'" })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('Partner Center emulator: paging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 250, options: { maxTop: 100 } });
  });
  afterAll(() => h.close());

  const skiptokenOf = (nextLink: string) => new URL(nextLink).searchParams.get('$skiptoken') ?? '';

  it('caps $top at maxTop and gives the documented quirky nextLink (http, no /engagements)', async () => {
    const answer = await list(h, { $top: '500' });
    expect(answer.json.value).toHaveLength(100);
    expect(answer.json['@odata.count']).toBe(250);
    const next = answer.json['@odata.nextLink'] as string;
    expect(next.startsWith(`http://127.0.0.1:${h.pc.server.port}/v1.0/referrals?$skiptoken=`)).toBe(true);
    // Followed as given it leads nowhere; a client must re-issue the skiptoken against the base URL.
    const followed = await h.api('GET', next);
    expect(followed.status).toBe(404);
    expect(followed.json.error.code).toBe('itemNotFound');
  });

  it('walks every referral exactly once by re-issuing only the $skiptoken, even with writes between pages', async () => {
    const seen: string[] = [];
    let answer = await list(h, { $top: '40', $filter: "direction eq 'Outgoing' or direction eq 'Incoming'" });
    const total = answer.json['@odata.count'] as number;
    let round = 0;
    for (;;) {
      seen.push(...ids(answer));
      const next = answer.json['@odata.nextLink'] as string | undefined;
      if (!next) break;
      // Someone edits an already-served referral and creates a new one between pages.
      await h.api('PATCH', `${REFERRALS}/${seen[0]}`, { body: [{ op: 'replace', path: '/campaignId', value: `c${round}` }] });
      if (round === 1) await h.api('POST', REFERRALS, { body: referralBody() });
      round += 1;
      answer = await list(h, { $skiptoken: skiptokenOf(next) });
    }
    expect(new Set(seen).size).toBe(seen.length);
    // Everything that existed at the start, plus the referral created while paging (it sorts last).
    expect(seen.length).toBe(total + 1);
  });

  it('follows clean nextLinks as given when so configured', async () => {
    const clean = await startHarness({ size: 30, options: { nextLinkStyle: 'clean', maxTop: 10 } });
    try {
      let answer = await list(clean, { $orderby: 'updatedDateTime desc' });
      const seen = ids(answer);
      while (answer.json['@odata.nextLink']) {
        const next = answer.json['@odata.nextLink'] as string;
        expect(next.startsWith(`${clean.pc.server.url}/v1.0/engagements/referrals?`)).toBe(true);
        answer = await clean.api('GET', next);
        seen.push(...ids(answer));
      }
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
    } finally {
      await clean.close();
    }
  });

  it('projects $select to the named properties', async () => {
    const answer = await list(h, { $top: '2', $select: 'id,status' });
    expect(Object.keys(answer.json.value[0]).sort()).toEqual(['id', 'status']);
  });
});
