/**
 * New referrals addressed to the partner become CRM records in API batches. The link is stored
 * first (state `creating`), and the CRM write is an upsert on the referral id, so a crash at any
 * point is repaired by doing the same thing again.
 */
import type { CrmCreate } from '../../connectors/types.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { respondBy } from './lifecycle.js';
import { InvalidRecordError, referralKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

const BATCH = 200;

export async function createCrmRecords(args: {
  deps: EngineDeps;
  side: CrmSide;
  items: readonly { referral: Referral; link: Link | null }[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, recorder } = args;
  const prepared: { referral: Referral; link: Link | null; write: CrmCreate; values: Record<string, unknown> }[] = [];
  for (const { referral, link } of args.items) {
    const key = referralKey(referral.id);
    const kind = side.mapping.inboundKind(referral);
    if (kind === null || referral.direction !== 'Incoming') {
      recorder.outcome(key, 'inbound', 'skipped', kind === null ? 'the mapping does not import this kind of referral' : 'not addressed to us');
      continue;
    }
    if (referral.status === 'Closed' && !link) {
      recorder.outcome(key, 'inbound', 'skipped', `already ${referral.substatus} before it was seen`);
      continue;
    }
    const om = side.mapping[kind];
    const projected = om.fromReferral(referral, deps.ctx);
    const rendered = om.toCrmFields({ values: projected.values, ctx: deps.ctx, mode: 'create' });
    const problems = [...projected.problems, ...rendered.problems];
    if (problems.length > 0) {
      await recorder.fail({ key, operation: 'createCrm', error: new InvalidRecordError(`referral ${referral.id}`, problems), payload: { referralId: referral.id } });
      continue;
    }
    recorder.plan({ target: side.system, operation: 'create', recordKey: key, fields: projected.values, note: `as ${kind}` });
    prepared.push({
      referral,
      link,
      values: projected.values,
      write: {
        kind,
        fields: { ...rendered.fields, [om.externalIdField]: referral.id },
        externalId: { field: om.externalIdField, value: referral.id },
        customer: om.customerFromReferral(referral),
      },
    });
  }
  if (recorder.dryRun) return prepared.forEach((p) => recorder.outcome(referralKey(p.referral.id), 'createCrm', 'planned'));
  for (let i = 0; i < prepared.length; i += BATCH) {
    await createBatch({ deps, side, batch: prepared.slice(i, i + BATCH), recorder });
  }
}

async function createBatch(args: {
  deps: EngineDeps;
  side: CrmSide;
  batch: { referral: Referral; link: Link | null; write: CrmCreate; values: Record<string, unknown> }[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, batch, recorder } = args;
  const pending = await Promise.all(
    batch.map(
      (item) =>
        item.link ??
        deps.store.saveLink({
          crmSystem: side.system,
          crmKind: item.write.kind,
          crmId: null,
          referralId: item.referral.id,
          engagementId: item.referral.engagementId,
          origin: 'partnerCenter',
          state: 'creating',
          snapshot: {},
          crmVersion: null,
          referralETag: null,
          respondBy: respondBy(item.referral),
        }),
    ),
  );
  const outcomes = await side.connector.createRecords(batch.map((b) => b.write));
  await Promise.all(
    batch.map(async (item, i) => {
      const key = referralKey(item.referral.id);
      const outcome = outcomes[i];
      const link = pending[i] as Link;
      if (!outcome || !outcome.ok) {
        await recorder.fail({ key, operation: 'createCrm', error: outcome?.error ?? new Error('no outcome'), payload: item.write });
        return;
      }
      await deps.store.saveLink({
        ...link,
        crmId: outcome.id,
        crmVersion: outcome.version,
        referralETag: item.referral.eTag,
        snapshot: item.values,
        state: 'linked',
      });
      await recorder.succeeded(key);
      recorder.outcome(key, 'createCrm', 'written', outcome.created ? null : 'found the record an earlier attempt created');
      deps.logger.info({ referralId: item.referral.id, crmId: outcome.id, kind: item.write.kind }, 'inbound referral landed in the CRM');
      if (outcome.created) {
        const deadline = respondBy(item.referral);
        deps.notify?.({
          kind: 'newInboundReferral',
          subject: `New referral from Partner Center: ${item.referral.name}`,
          body: `"${item.referral.name}" is now ${item.write.kind} ${outcome.id} in ${side.system}.${deadline ? ` Accept or decline it by ${deadline}, or Partner Center expires it.` : ''}`,
        });
      }
    }),
  );
}
