/**
 * JSON Patch update (Partner Center docs, "Update a referral"): `If-Match` for the concurrency check (412 -> conflict)
 * and `Prefer: return=representation` for the updated body; status and substatus travel together.
 */
import { randomUUID } from 'node:crypto';
import type { Referral } from '../../src/domain/referral.js';
import { ConnectorError } from '../errors.js';
import type { JsonPatchOp } from '../../src/domain/json-patch.js';
import type { PcContext } from './context.js';
import { parseReferral } from './parse.js';
import { referralsUrl } from './urls.js';

/** Rejects a patch that moves status without substatus (or the reverse) before it is sent. */
export function checkPatch(patch: readonly JsonPatchOp[]): ConnectorError | null {
  const paths = new Set(patch.map((p) => p.path));
  if (paths.has('/status') !== paths.has('/substatus')) {
    return new ConnectorError({ kind: 'invalid', system: 'partnerCenter', vendorCode: 'statusPair', message: 'a patch must set /status and /substatus together' });
  }
  const bad = patch.find((p) => p.op !== 'replace' && p.op !== 'add');
  return bad === undefined ? null : new ConnectorError({ kind: 'invalid', system: 'partnerCenter', vendorCode: 'unsupportedOp', message: `unsupported JSON Patch op ${String(bad.op)}` });
}

export async function updateReferral(ctx: PcContext, args: { id: string; eTag: string; patch: readonly JsonPatchOp[] }): Promise<Referral> {
  const problem = checkPatch(args.patch);
  if (problem !== null) throw problem;
  const correlationId = ctx.newCorrelationId();
  const url = referralsUrl(ctx.options.baseUrl, `/${encodeURIComponent(args.id)}`);
  const res = await ctx.request({
    method: 'PATCH',
    url,
    body: args.patch,
    correlationId,
    requestId: randomUUID(),
    headers: { 'if-match': args.eTag, prefer: 'return=representation' },
  });
  if (res.json !== null) return parseReferral(res.json);
  // 204: the service ignored Prefer; read the result back so the caller gets the new eTag.
  const read = await ctx.request({ method: 'GET', url, correlationId });
  return parseReferral(read.json);
}
