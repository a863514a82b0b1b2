/**
 * Reads and service protection against recorded-style Web API answers (nock): a delta with a
 * deletion, an expired delta token (one full resync, no error loop), and a 429 whose
 * Retry-After pauses the connector (fake clock).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { decodeCursor, encodeCursor } from '../../../connectors/dynamics/cursor.js';
import type { CrmRecord } from '../../../src/domain/crm-record.js';
import type { ChangePage } from '../../../connectors/types.js';
import type { DynamicsConnector } from '../../../connectors/dynamics/index.js';
import { API, FakeClock, ORG, nockConnector, row } from './support/nock-kit.js';

const A = '6f1e2d3c-0000-0000-0000-00000000000a';
const GONE = '2e451703-c686-e711-80e5-00155db19e6d';
const DELTA = `${ORG}${API}opportunities?$select=opportunityid&$deltatoken=919042%2108%2f22%2f2026%2008%3a10%3a44`;
const NEXT_DELTA = `${ORG}${API}opportunities?$select=opportunityid&$deltatoken=919050%2103%2f02%2f2026%2009%3a00%3a00`;
const FIELDS = ['name', 'parentaccountid.name'];

const opened: DynamicsConnector[] = [];
const connect = (args: Parameters<typeof nockConnector>[0]): DynamicsConnector => {
  const connector = nockConnector(args);
  opened.push(connector);
  return connector;
};

// nock patches node:http for the whole worker: other test files there must reach loopback again.
beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(opened.splice(0).map((c) => c.close()));
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

async function readAll(connector: DynamicsConnector, cursor: string | null): Promise<ChangePage<CrmRecord>[]> {
  const pages: ChangePage<CrmRecord>[] = [];
  for await (const page of connector.readChanges({ kind: 'opportunity', fields: FIELDS, cursor })) pages.push(page);
  return pages;
}

const path = (url: string): string => url.slice(ORG.length);

describe('Dataverse reads', () => {
  it('turns a delta into changed records (read with their lookups) and deletedIds', async () => {
    nock(ORG)
      .get(path(DELTA))
      .reply(200, {
        '@odata.context': `${ORG}${API}$metadata#opportunities(opportunityid)/$delta`,
        value: [
          { '@odata.etag': 'W/"919045"', opportunityid: A },
          { '@odata.context': `${ORG}${API}$metadata#opportunities/$deletedEntity`, id: GONE, reason: 'deleted' },
        ],
        '@odata.deltaLink': NEXT_DELTA,
      });
    nock(ORG)
      .get(`${API}opportunities`)
      .query((q) => String(q['$filter']).includes(`Microsoft.Dynamics.CRM.In(PropertyName='opportunityid',PropertyValues=['${A}'])`) && String(q['$expand']) === 'parentaccountid($select=name)')
      .reply(200, { value: [row(A, 919045, { name: 'Contoso - Azure migration', parentaccountid: { accountid: 'x', name: 'Contoso' } })] });
    const connector = connect({ clock: new FakeClock() });
    const pages = await readAll(connector, encodeCursor({ m: 'delta', link: DELTA }));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toEqual([
      { kind: 'opportunity', id: A, stamp: '2026-03-02T08:59:00.000Z', version: 'W/"919045"', fields: { name: 'Contoso - Azure migration', 'parentaccountid.name': 'Contoso' } },
    ]);
    expect(pages[0]?.deletedIds).toEqual([GONE]);
    expect(decodeCursor(pages[0]?.cursor ?? '')).toEqual({ m: 'delta', link: NEXT_DELTA });
  });

  it('falls back to one full resync when the delta token has expired', async () => {
    nock(ORG)
      .get(path(DELTA))
      .once()
      .reply(400, { error: { code: '0x80044352', message: 'Version stamp associated with the client has expired. Please perform a full sync.' } });
    nock(ORG)
      .get(`${API}opportunities`)
      .query({ $select: 'opportunityid' })
      .matchHeader('prefer', /odata\.track-changes/)
      .reply(200, { value: [{ '@odata.etag': 'W/"1"', opportunityid: A }], '@odata.deltaLink': NEXT_DELTA });
    nock(ORG)
      .get(`${API}opportunities`)
      .query((q) => String(q['$orderby']) === 'modifiedon asc,opportunityid asc')
      .reply(200, { value: [row(A, 1, { name: 'Contoso', parentaccountid: null })] });
    const connector = connect({ clock: new FakeClock() });
    const pages = await readAll(connector, encodeCursor({ m: 'delta', link: DELTA }));
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual([A]);
    expect(decodeCursor(pages.at(-1)?.cursor ?? '')).toEqual({ m: 'delta', link: NEXT_DELTA });
    expect(nock.isDone()).toBe(true);
  });

  it('waits as long as a 429 Retry-After asks, holding the connector paused, then goes on', async () => {
    const clock = new FakeClock();
    nock(ORG)
      .get(`${API}opportunities`)
      .query(true)
      // Every request carries its own correlation id (the same id is in the log).
      .matchHeader('x-ms-client-request-id', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      .reply(429, { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }, { 'Retry-After': '7' })
      .get(`${API}opportunities`)
      .query(true)
      .reply(200, { value: [row(A, 3, { name: 'After the wait' })] }, { 'x-ms-ratelimit-burst-remaining-xrm-requests': '5999' });
    const connector = connect({ clock });
    const records = await connector.getRecords({ kind: 'opportunity', ids: [A], fields: ['name'] });
    expect(clock.sleeps).toEqual([7000]);
    expect(records.map((r) => r.fields['name'])).toEqual(['After the wait']);
    expect(connector.health().state).toBe('ok');
  });

  it('reports the pause in health when the wait is not over, with the rate-limited error', async () => {
    const clock = new FakeClock();
    nock(ORG)
      .get(`${API}opportunities`)
      .query(true)
      .reply(429, { error: { code: '0x80072321', message: 'Combined execution time of incoming requests exceeded limit.' } }, { 'Retry-After': '30' });
    const connector = connect({ clock, options: { retry: { maxAttempts: 1 } } });
    const error = await connector.getRecords({ kind: 'opportunity', ids: [A], fields: ['name'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 30_000, vendorCode: '0x80072321' });
    expect(connector.health()).toEqual({ state: 'paused', detail: 'Dataverse service protection limit', pausedUntil: '2026-03-02T09:00:30.000Z' });
  });
});
