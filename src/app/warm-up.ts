/**
 * What the first webhook burst after a start would otherwise pay while its referrals wait, paid
 * once before the daemon listens: the sign-in to Partner Center and to the CRM inbound referrals
 * land in, that CRM's describe of the kinds they become (kept for the life of the process, as the
 * first write would keep it), the parsers of webhook payloads and referrals, and the tables the
 * mapping looks values up in. Nothing is read or written for any referral or record.
 *
 * The daemon starts regardless: a sign-in or describe that fails is logged and asked again by the
 * first cycle or webhook that needs it (a failed describe is not kept), and one that is still
 * under way after `waitMs` goes on behind the start.
 */
import type { Logger } from 'pino';
import { compileParsers } from '../../connectors/partner-center/index.js';
import type { CrmObjectKind } from '../domain/crm-record.js';
import { describedFields } from '../engine/described-fields.js';
import type { EngineDeps } from '../engine/types.js';

/** The object kinds an inbound referral can become (mappings route each to one of these). */
const INBOUND_KINDS: readonly CrmObjectKind[] = ['opportunity', 'lead'];

export async function warmUp(args: {
  deps: Pick<EngineDeps, 'crms'>;
  /** Partner Center's sign-in: a token for the referrals API. */
  partnerCenterToken: () => Promise<unknown>;
  logger: Logger;
  waitMs: number;
}): Promise<void> {
  const { deps, logger } = args;
  const inbound = deps.crms[0];
  const steps: Promise<void>[] = [
    args.partnerCenterToken().then(
      () => undefined,
      (err: unknown) => logger.warn({ err }, 'Partner Center sign-in failed at start; the first call will try again'),
    ),
    ...(inbound === undefined
      ? []
      : INBOUND_KINDS.map((kind) =>
          describedFields(inbound, kind).then(
            () => undefined,
            (err: unknown) => logger.warn({ err, crm: inbound.system, kind }, 'CRM sign-in or describe failed at start; the first write will try again'),
          ),
        )),
  ];
  // Built while the sign-ins are on the wire. Each would otherwise be built by the first call that
  // needs it, so a failure here stops nothing.
  try {
    compileParsers();
    inbound?.mapping.prepare?.();
  } catch (err) {
    logger.warn({ err }, 'preparing parsers or mapping tables failed at start; the first webhook will build them');
  }
  // A bound on the start, not logic: the real timer, as for a request's deadline.
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    Promise.all(steps).then(() => 'done' as const),
    new Promise<'timedOut'>((resolve) => (timer = setTimeout(() => resolve('timedOut'), args.waitMs))),
  ]);
  clearTimeout(timer);
  if (waited === 'timedOut') logger.info({ waitMs: args.waitMs }, 'sign-in and describe still under way at start; the daemon starts without waiting for them');
  else logger.debug('signed in and described at start');
}
