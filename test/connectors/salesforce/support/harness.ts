/** A fake clock, a log sink and a connector wired to nock-replayed Salesforce, for the unit tests. */
import { generateKeyPairSync } from 'node:crypto';
import { FakeClock as SharedFakeClock } from '../../../support/fake-clock.js';
import { logSink } from '../../../support/log-sink.js';
import type { StateStore } from '../../../../src/store/types.js';
import { createSalesforceConnector, type SalesforceConnector } from '../../../../connectors/salesforce/index.js';
import type { SalesforceOptionsInput } from '../../../../connectors/salesforce/index.js';

export const INSTANCE = 'https://acme.my.salesforce.com';
export const LOGIN = 'https://login.salesforce.com';
export const API = '/services/data/v60.0';

export { logSink };

/** The shared fake clock, starting at this suite's moment. */
export class FakeClock extends SharedFakeClock {
  constructor(t = Date.parse('2024-05-02T17:30:00Z')) {
    super(t);
  }
}

export const keyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const privateKeyPem = keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export function makeConnector(opts: Partial<SalesforceOptionsInput> = {}, deps: { store?: StateStore } = {}): {
  connector: SalesforceConnector;
  clock: FakeClock;
  sink: ReturnType<typeof logSink>;
} {
  const clock = new FakeClock();
  const sink = logSink();
  const connector = createSalesforceConnector(
    {
      auth: { kind: 'accessToken', accessToken: 'static-token' },
      instanceUrl: INSTANCE,
      loginUrl: LOGIN,
      apiVersion: '60.0',
      timeoutMs: 5000,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10_000, retryUnknownOutcome: true },
      rateLimit: { concurrency: 4, intervalCap: 1000, intervalMs: 1000 },
      ...opts,
    },
    { logger: sink.logger, clock, ...deps },
  );
  return { connector, clock, sink };
}

export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': 'api-usage=10/15000' };

/** The SOQL of a nock-intercepted `/query?q=` request. */
export const soqlOf = (uri: string): string => new URL(uri, INSTANCE).searchParams.get('q') ?? '';

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

/** A query row the way Salesforce writes it (`.000+0000` stamps, `attributes`). */
export function oppRow(id: string, stamp: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    attributes: { type: 'Opportunity', url: `${API}/sobjects/Opportunity/${id}` },
    Id: id,
    SystemModstamp: stamp,
    LastModifiedDate: stamp,
    ...extra,
  };
}

/**
 * A nock path matcher for `{API}/{endpoint}?q=...` that records each SOQL it matches (nock
 * 15.0.0 hands reply functions no usable uri, so the matcher is where the query is seen).
 */
export function soqlPath(endpoint: 'query' | 'queryAll', soqls: string[] = []): (uri: string) => boolean {
  return (uri) => {
    if (!uri.startsWith(`${API}/${endpoint}?`)) return false;
    soqls.push(soqlOf(uri));
    return true;
  };
}
