/**
 * New referrals addressed to the partner become CRM records in API batches. The link is stored
 * first (state `creating`), and the CRM write is an upsert on the referral id, so a crash at any
 * point is repaired by doing the same thing again.
 */
import type { CrmCreate, WriteOutcome } from '../../connectors/types.js';
import { fitToCrm } from './crm-fit.js';
import { describedFields } from './described-fields.js';
import { beginLink, moveLink } from './link-states.js';
import type { CrmRecord } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { respondBy } from './lifecycle.js';
import { CrmWriteBatch } from './crm-writes.js';
import { readFieldsFor } from './read-fields.js';
import { reconcileLinked } from './reconcile-linked.js';
import { crmKey, forEachLimit, InvalidRecordError, referralKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

export async function createCrmRecords(args: {
  deps: EngineDeps;
  side: CrmSide;
  items: readonly { referral: Referral; link: Link | null }[];
  recorder: RunRecorder;
  /** `now`: the new records are read back and what the CRM gave them sent at once (settleLanded). */
  writeBack: 'now' | 'nextCycle';
}): Promise<void> {
  const { deps, side, recorder } = args;
  const prepared: Prepared[] = [];
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
      notes: [],
      // The base of the link is what Partner Center holds, the paths only the CRM writes too: the
      // customer the record is seeded with then reads back as no change to send.
      values: { ...om.crmOwnedFromReferral(referral), ...projected.values },
      write: {
        kind,
        fields: { ...rendered.fields, [om.externalIdField]: referral.id },
        externalId: { field: om.externalIdField, value: referral.id },
        customer: om.customerFromReferral(referral),
      },
    });
  }
  if (recorder.dryRun) return prepared.forEach((p) => recorder.outcome(referralKey(p.referral.id), 'createCrm', 'planned'));
  // What the CRM cannot hold as given (a text longer than the field) is cut, with a note.
  for (const p of prepared) {
    const fit = fitToCrm({ fields: p.write.fields, described: await describedFields(side, p.write.kind), mode: 'create' });
    p.write = { ...p.write, fields: fit.fields };
    p.notes = fit.notes;
  }
  // One call: the connector splits it into the CRM's batches (Salesforce 200, Dataverse $batch).
  if (prepared.length > 0) await createBatch({ deps, side, batch: prepared, recorder, writeBack: args.writeBack });
}

interface Prepared {
  referral: Referral;
  link: Link | null;
  write: CrmCreate;
  values: Record<string, unknown>;
  notes: string[];
}

async function createBatch(args: { deps: EngineDeps; side: CrmSide; batch: Prepared[]; recorder: RunRecorder; writeBack: 'now' | 'nextCycle' }): Promise<void> {
  const { deps, side, batch, recorder } = args;
  // The batch's links are stored in one transaction, before the write and after it: a commit
  // (and a lease check) per link cost the daemon more than the rest of landing the referral.
  const pending = await deps.store.transaction((tx) =>
    Promise.all(
      batch.map(
        (item) =>
          item.link ??
          beginLink(tx, {
            crmSystem: side.system,
            crmKind: item.write.kind,
            crmId: null,
            referralId: item.referral.id,
            engagementId: item.referral.engagementId,
            origin: 'partnerCenter',
            snapshot: {},
            crmVersion: null,
            referralETag: null,
            respondBy: respondBy(item.referral),
          }),
      ),
    ),
  );
  let outcomes: WriteOutcome[];
  try {
    outcomes = await side.connector.createRecords(batch.map((b) => b.write));
  } catch (error) {
    // A whole system failing stops the cycle (recorder.fail throws); else each record failed.
    for (const item of batch) await recorder.fail({ key: referralKey(item.referral.id), operation: 'createCrm', error, payload: { referralId: item.referral.id } });
    return;
  }
  const written = batch.flatMap((item, i) => {
    const outcome = outcomes[i];
    return outcome?.ok ? [{ item, outcome, link: pending[i] as Link }] : [];
  });
  const landed: Landed[] = [];
  await deps.store.transaction(async (tx) => {
    for (const { item, outcome, link } of written) {
      const linked = await moveLink(tx, link, { crmId: outcome.id, crmVersion: outcome.version, referralETag: item.referral.eTag, snapshot: item.values, state: 'linked' });
      landed.push({ link: linked, referral: item.referral });
    }
  });
  await Promise.all(
    batch.map(async (item, i) => {
      const key = referralKey(item.referral.id);
      const outcome = outcomes[i];
      if (!outcome || !outcome.ok) {
        await recorder.fail({ key, operation: 'createCrm', error: outcome?.error ?? new Error('no outcome'), payload: item.write });
        return;
      }
      await recorder.succeeded(key);
      const notes = [...(outcome.created ? [] : ['found the record an earlier attempt created']), ...item.notes];
      recorder.outcome(key, 'createCrm', 'written', notes.length > 0 ? notes.join('; ') : null);
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
  if (args.writeBack === 'now') await settleLanded({ deps, side, landed, recorder });
}

interface Landed {
  link: Link;
  referral: Referral;
}

/** Records read back a request at a time; a few hundred ids keep a query within URL limits. */
const READ_BACK_PAGE = 200;

/**
 * What the CRM gave the new records that Partner Center does not hold yet (their id, which is
 * Partner Center's "CRM ID"; an owner or defaults the CRM set) goes back now, in one PATCH per
 * referral, instead of when the next cycle reads the records back. The records are read back once
 * per kind, and each pair is reconciled with the referral as just read, so nothing is read again
 * from Partner Center.
 */
async function settleLanded(args: { deps: EngineDeps; side: CrmSide; landed: readonly Landed[]; recorder: RunRecorder }): Promise<void> {
  const { deps, side, recorder } = args;
  const crmWrites = new CrmWriteBatch(side, recorder);
  for (const kind of ['opportunity', 'lead'] as const) {
    const ofKind = args.landed.filter((l) => l.link.crmKind === kind && l.link.crmId !== null);
    for (let i = 0; i < ofKind.length; i += READ_BACK_PAGE) {
      const page = ofKind.slice(i, i + READ_BACK_PAGE);
      let records: CrmRecord[];
      try {
        records = await side.connector.getRecords({ kind, ids: page.map((l) => l.link.crmId as string), fields: await readFieldsFor(side, kind) });
      } catch (error) {
        // Each record's write-back is retried with its backoff (the import itself stands).
        for (const { link, referral } of page) await recorder.fail({ key: crmKey(side.system, kind, link.crmId as string), operation: 'outbound', error, payload: { crmId: link.crmId, referralId: referral.id } });
        continue;
      }
      const byId = new Map(records.map((r) => [r.id, r]));
      await forEachLimit(page, deps.options.writeConcurrency, async ({ link, referral }) => {
        const record = byId.get(link.crmId as string);
        if (!record) return;
        const recordKey = crmKey(side.system, kind, record.id);
        try {
          await reconcileLinked({ deps, side, record, link, referral, crmWrites, recorder, recordKey, quiet: true });
        } catch (error) {
          await recorder.fail({ key: recordKey, operation: 'outbound', error, payload: { crmId: record.id, referralId: referral.id } });
        }
      });
    }
  }
  await crmWrites.flush();
}
