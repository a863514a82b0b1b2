import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 30 });
});
afterAll(() => h.close());

interface Page {
  value: Record<string, unknown>[];
  oDataDeltaLink?: string;
  oDataNextLink?: string;
  oDataContext?: string;
}

async function initialSync(): Promise<{ rows: Record<string, unknown>[]; deltaLink: string }> {
  const all = (await h.client().retrieveAll({ collection: 'opportunities', select: ['name', 'statecode'], trackChanges: true, maxPageSize: 8 })) as Page;
  return { rows: all.value, deltaLink: all.oDataDeltaLink as string };
}

describe('Dataverse emulator change tracking through dynamics-web-api 2.5.0', () => {
  it('ends the tracked listing with a deltaLink, then returns changes and deletions since it', async () => {
    const { rows, deltaLink } = await initialSync();
    expect(rows).toHaveLength(h.emulator.control.count({ table: 'opportunities' }));
    expect(deltaLink).toMatch(new RegExp(`^${h.url}/api/data/v9\\.2/opportunities\\?\\$select=name,statecode&\\$deltatoken=\\d+%21`));
    const changed = rows[0]?.['opportunityid'] as string;
    const deleted = rows[1]?.['opportunityid'] as string;
    const dwa = h.client();
    await dwa.update({ collection: 'opportunities', key: changed, data: { name: 'Changed since the token' } });
    await dwa.deleteRecord({ collection: 'opportunities', key: deleted });
    const created = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Created since the token' } });
    const delta = (await dwa.retrieveMultiple({ collection: 'opportunities' }, deltaLink)) as Page;
    expect(delta.oDataContext).toMatch(/\/\$delta$/);
    const byId = new Map(delta.value.map((r) => [(r['opportunityid'] ?? r['id']) as string, r]));
    expect(byId.size).toBe(3);
    expect(byId.get(changed)?.['name']).toBe('Changed since the token');
    expect(byId.get(created)?.['name']).toBe('Created since the token');
    expect(byId.get(deleted)).toEqual({ '@odata.context': `${h.url}/api/data/v9.2/$metadata#opportunities/$deletedEntity`, id: deleted, reason: 'deleted', oDataContext: `${h.url}/api/data/v9.2/$metadata#opportunities/$deletedEntity` });
    expect(delta.oDataDeltaLink).toBeDefined();
    expect(delta.oDataDeltaLink).not.toBe(deltaLink);
  });

  it('answers an idle delta with an empty value and a new deltaLink in one request', async () => {
    const { deltaLink } = await initialSync();
    h.emulator.server.stats.reset();
    const idle = (await h.client().retrieveMultiple({ collection: 'opportunities' }, deltaLink)) as Page;
    expect(idle.value).toEqual([]);
    expect(idle.oDataDeltaLink).toMatch(/\$deltatoken=/);
    expect(h.emulator.server.stats.total()).toBe(1);
  });

  it('pages a large delta with nextLinks and puts the deltaLink on the last page', async () => {
    const { deltaLink } = await initialSync();
    for (let i = 0; i < 12; i++) h.emulator.control.createRecord({ table: 'opportunities', values: { name: `Bulk ${i}` } });
    const first = (await h.client().retrieveMultiple({ collection: 'opportunities', maxPageSize: 5 }, deltaLink)) as Page;
    expect(first.value).toHaveLength(5);
    expect(first.oDataNextLink).toBeDefined();
    expect(first.oDataDeltaLink).toBeUndefined();
    let page = first;
    const names = first.value.map((r) => r['name']);
    while (page.oDataNextLink) {
      page = (await h.client().retrieveMultiple({ collection: 'opportunities', maxPageSize: 5 }, page.oDataNextLink)) as Page;
      names.push(...page.value.map((r) => r['name']));
    }
    expect(names).toHaveLength(12);
    expect(page.oDataDeltaLink).toBeDefined();
  });

  it('rejects $filter, $orderby, $expand and $top with track-changes', async () => {
    const dwa = h.client();
    const filtered = await rejection(dwa.retrieveMultiple({ collection: 'opportunities', filter: 'statecode eq 0', trackChanges: true }));
    expect(filtered.status).toBe(400);
    expect(filtered.message).toBe('The "$filter" query parameter isn\'t supported when Change Tracking is enabled.');
    for (const request of [{ orderBy: ['name'] }, { top: 5 }, { expand: [{ property: 'parentaccountid' }] }]) {
      const error = await rejection(dwa.retrieveMultiple({ collection: 'opportunities', trackChanges: true, ...request }));
      expect(error.status).toBe(400);
    }
  });

  it('fails an expired or unknown delta token so the connector can resync', async () => {
    const { deltaLink } = await initialSync();
    h.emulator.control.expireDeltaTokens();
    const expired = await rejection(h.client().retrieveMultiple({ collection: 'opportunities' }, deltaLink));
    expect(expired.status).toBe(400);
    expect(expired.code).toBe('0x80044352');
    const fresh = await initialSync();
    h.clock.advance(8 * 86_400_000);
    expect((await rejection(h.client().retrieveMultiple({ collection: 'opportunities' }, fresh.deltaLink))).status).toBe(400);
    const garbage = await rejection(h.client().retrieveMultiple({ collection: 'opportunities' }, `${h.url}/api/data/v9.2/opportunities?$deltatoken=nonsense`));
    expect(garbage.code).toBe('0x80044352');
  });

  it('the deltaTokenExpired switch fails every delta request', async () => {
    const { deltaLink } = await initialSync();
    h.emulator.control.setDeltaTokenExpired(true);
    try {
      expect((await rejection(h.client().retrieveMultiple({ collection: 'opportunities' }, deltaLink))).code).toBe('0x80044352');
    } finally {
      h.emulator.control.setDeltaTokenExpired(false);
    }
  });

  it('fails track-changes on a table where change tracking is off', async () => {
    h.emulator.control.setChangeTracking({ table: 'leads', enabled: false });
    const error = await rejection(h.client().retrieveMultiple({ collection: 'leads', trackChanges: true }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('not enabled');
    const plain = (await h.client().retrieveMultiple({ collection: 'leads', select: ['fullname'], filter: 'modifiedon ge 2020-01-01T00:00:00Z' })) as Page;
    expect(plain.value.length).toBeGreaterThan(0);
  });
});
