import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { InvalidItem } from '../../../connectors/partner-center/context.js';
import { BASE, PATH, collect, makeConnector } from './support/harness.js';
import { page, wireReferral } from './support/fixtures.js';

const at = (id: string, updatedDateTime: string): Record<string, unknown> => wireReferral({ id, updatedDateTime });
const T1 = '2024-03-07T06:42:07.1138543Z';
const T2 = '2024-03-07T06:42:07.1138544Z';
const T3 = '2024-03-08T09:00:00.0000001Z';

beforeAll(() => nock.disableNetConnect());
// nock patches the shared http module: undo it so later test files in this worker start clean.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('listing changed referrals', () => {
  it('follows the documented nextLink quirk by re-issuing its skiptoken against the base URL', async () => {
    const { connector } = makeConnector({ pageSize: 2 });
    nock(BASE)
      .get(PATH)
      .query({ $orderby: 'updatedDateTime asc', $top: '2' })
      .reply(200, page([at('a', T1), at('b', T2)], 'http://api.partner.microsoft.com/v1.0/referrals?$skiptoken=k181pE%3D%3D'))
      .get(PATH)
      .query({ $orderby: 'updatedDateTime asc', $top: '2', $skiptoken: 'k181pE==' })
      .reply(200, page([at('c', T3)]));
    const pages = await collect(connector.listChanged({ cursor: null }));
    expect(pages.map((p) => p.items.map((r) => r.id))).toEqual([['a', 'b'], ['c']]);
  });

  it('follows clean absolute nextLinks too', async () => {
    const { connector } = makeConnector({ pageSize: 2 });
    nock(BASE)
      .get(PATH)
      .query(true)
      .reply(200, page([at('a', T1), at('b', T2)], `${BASE}${PATH}?$orderby=updatedDateTime%20asc&$top=2&$skiptoken=abc`))
      .get(PATH)
      .query({ $orderby: 'updatedDateTime asc', $top: '2', $skiptoken: 'abc' })
      .reply(200, page([at('c', T3)]));
    const pages = await collect(connector.listChanged({ cursor: null }));
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(['a', 'b', 'c']);
  });

  it('never repeats nor skips referrals sharing the last timestamp across runs', async () => {
    const { connector } = makeConnector({ pageSize: 2 });
    nock(BASE)
      .get(PATH)
      .query(true)
      .reply(200, page([at('a', T1), at('b', T2)], `${BASE}${PATH}?$skiptoken=p2`))
      .get(PATH)
      .query(true)
      .reply(200, page([at('c', T2)]));
    const [first] = await collect(connector.listChanged({ cursor: null }));
    nock.cleanAll();
    // A crash after committing the first page: the next run starts from its cursor.
    nock(BASE)
      .get(PATH)
      .query({ $orderby: 'updatedDateTime asc', $top: '2', $filter: `updatedDateTime ge ${T2}` })
      .reply(200, page([at('b', T2), at('c', T2)]));
    const again = await collect(connector.listChanged({ cursor: first?.cursor ?? null }));
    expect(again.flatMap((p) => p.items.map((r) => r.id))).toEqual(['c']);
  });

  it('falls back to a newest-first listing when the filter is refused, and remembers it', async () => {
    const { connector } = makeConnector({ pageSize: 2 });
    nock(BASE).get(PATH).query(true).reply(200, page([at('a', T1)]));
    const [first] = await collect(connector.listChanged({ cursor: null }));
    nock(BASE)
      .get(PATH)
      .query((q) => typeof q.$filter === 'string')
      .reply(400, { error: { code: 'invalidRequest', message: "Filter on 'updatedDateTime' is not supported" } })
      .get(PATH)
      .query({ $orderby: 'updatedDateTime desc', $top: '2' })
      .reply(200, page([at('d', T3), at('c', T2)], `${BASE}${PATH}?$skiptoken=n2`))
      .get(PATH)
      .query({ $orderby: 'updatedDateTime desc', $top: '2', $skiptoken: 'n2' })
      .reply(200, page([at('a', T1), at('old', '2024-01-01T00:00:00.0000000Z')]));
    const pages = await collect(connector.listChanged({ cursor: first?.cursor ?? null }));
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(['c', 'd']);
    // Remembered: the next run goes straight to the fallback and costs one call when idle.
    nock(BASE).get(PATH).query({ $orderby: 'updatedDateTime desc', $top: '2' }).reply(200, page([at('d', T3), at('c', T2)], `${BASE}${PATH}?$skiptoken=n2`));
    const idle = await collect(connector.listChanged({ cursor: pages.at(-1)?.cursor ?? null }));
    expect(idle).toEqual([]);
  });

  it('skips and reports a malformed referral without losing the rest of the page', async () => {
    const invalid: InvalidItem[] = [];
    const { connector, sink } = makeConnector({}, { onInvalidItem: (i) => invalid.push(i) });
    nock(BASE)
      .get(PATH)
      .query(true)
      .reply(200, page([at('a', T1), wireReferral({ id: 'bad', status: 'Pondering' }), wireReferral({ id: 'bad2', eTag: undefined }), at('c', T3)]));
    const pages = await collect(connector.listChanged({ cursor: null }));
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(['a', 'c']);
    expect(invalid.map((i) => [i.id, i.error.kind])).toEqual([
      ['bad', 'invalid'],
      ['bad2', 'invalid'],
    ]);
    expect(invalid[0]?.error.message).toContain('status');
    expect(invalid[1]?.error.message).toContain('eTag');
    expect(sink.text()).toContain('skipping a malformed referral');
  });

  it('lists every referral of an engagement', async () => {
    const { connector } = makeConnector();
    nock(BASE)
      .get(PATH)
      .query({ $filter: "engagementId eq 'e2a1b3c4-d5e6-4f70-8192-a3b4c5d6e7f8'" })
      .reply(200, page([at('ours', T1), wireReferral({ id: 'msft-side', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] })]));
    const all = await connector.listEngagement('e2a1b3c4-d5e6-4f70-8192-a3b4c5d6e7f8');
    expect(all.map((r) => r.id)).toEqual(['ours', 'msft-side']);
  });
});
