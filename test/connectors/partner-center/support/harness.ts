/** A fake clock, a log sink and a connector wired to them, for the nock-replayed tests. */
import { FakeClock as SharedFakeClock } from '../../../support/fake-clock.js';
import { logSink } from '../../../support/log-sink.js';
import { createPartnerCenterConnector } from '../../../../connectors/partner-center/connector.js';
import type { PartnerCenterDeps } from '../../../../connectors/partner-center/connector.js';
import type { PartnerCenterOptionsInput } from '../../../../connectors/partner-center/options.js';
import type { TokenProvider } from '../../../../connectors/partner-center/auth/token-provider.js';
import { SOLUTION_ID } from './fixtures.js';

export const BASE = 'https://api.partner.microsoft.com';
export const PATH = '/v1.0/engagements/referrals';

export { logSink };

/** The shared fake clock, starting at this suite's moment. */
export class FakeClock extends SharedFakeClock {
  constructor(t = Date.parse('2024-03-07T07:00:00Z')) {
    super(t);
  }
}

/** Tokens that change on every forced refresh, so a test can see which one a request carried. */
export function countingTokens(): TokenProvider & { refreshes: number } {
  const state = {
    refreshes: 0,
    getToken: (_audience: string, opts?: { forceRefresh?: boolean }) => {
      if (opts?.forceRefresh) state.refreshes += 1;
      return Promise.resolve(`token-${state.refreshes}`);
    },
    health: () => ({ state: 'ok' as const, detail: null, pausedUntil: null }),
  };
  return state;
}

export function makeConnector(opts: Partial<PartnerCenterOptionsInput> = {}, deps: Partial<PartnerCenterDeps> = {}) {
  const clock = new FakeClock();
  const sink = logSink();
  const tokens = countingTokens();
  const connector = createPartnerCenterConnector(
    {
      baseUrl: BASE,
      solutionId: SOLUTION_ID,
      timeoutMs: 2000,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 60_000, retryUnknownOutcome: true },
      rateLimit: { concurrency: 4, intervalCap: 1000, intervalMs: 1000 },
      ...opts,
    },
    { logger: sink.logger, clock, tokens, ...deps },
  );
  return { connector, clock, sink, tokens };
}

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}
