/**
 * The composition root: the one place that builds the real
 * connectors, mappings and engine dependencies from the configuration and hands them in.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ApiCallObserver } from '../../connectors/shared/api-calls.js';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { EngineDeps, EngineOptions } from '../engine/types.js';
import { recordReferrals } from '../health/observe.js';
import type { StateStore } from '../store/types.js';
import { buildCrmSides } from './crm-registry.js';
import { buildPartnerCenter, type PartnerCenterParts } from './partner-center.js';
import { connectorRetryPolicy } from './retry-policy.js';

export interface ComposedEngine {
  deps: EngineDeps;
  partnerCenter: PartnerCenterParts;
  close(): Promise<void>;
}

/** The sandbox CA, trusted only when the configuration turns sandbox mode on. */
export function trustedCa(config: Config): string | null {
  return config.sandbox.enabled && config.sandbox.caFile ? readFileSync(config.sandbox.caFile, 'utf8') : null;
}

export function composeEngine(args: {
  config: Config;
  logger: Logger;
  store: StateStore;
  clock?: Clock;
  overrides?: Partial<EngineOptions>;
  onOutcome?: EngineDeps['onOutcome'];
  /** Told of every vendor request (metrics). */
  onApiCall?: ApiCallObserver;
  notify?: EngineDeps['notify'];
}): ComposedEngine {
  const { config, logger, store } = args;
  const clock = args.clock ?? systemClock;
  const ca = trustedCa(config);
  const partnerCenter = buildPartnerCenter({ config: config.partnerCenter, retry: connectorRetryPolicy(config.sync), logger, clock, store, ca, onApiCall: args.onApiCall });
  const crms = buildCrmSides({ config, logger, clock, store, ca, onApiCall: args.onApiCall });
  const deps: EngineDeps = {
    store,
    partnerCenter: partnerCenter.connector,
    crms,
    logger,
    clock,
    ctx: { timeZone: config.sync.timeZone },
    options: {
      deletePolicy: config.sync.deletePolicy,
      dryRun: config.sync.dryRun,
      retry: config.sync.retry,
      writeConcurrency: config.partnerCenter.rateLimit.concurrency,
      ...args.overrides,
    },
    onReferralsRead: (on, referrals) => recordReferrals({ store: on, referrals, clock }),
    ...(args.onOutcome ? { onOutcome: args.onOutcome } : {}),
    ...(args.notify ? { notify: args.notify } : {}),
  };
  return {
    deps,
    partnerCenter,
    close: async () => {
      await Promise.allSettled([partnerCenter.connector.close(), ...crms.map((s) => s.connector.close())]);
    },
  };
}
