/**
 * CRM updates of one page go out together: each record's work adds its write here, and `flush`
 * sends them all in as few calls as the connector allows (Salesforce collections of 200,
 * Dataverse `$batch` change sets), fitted to what the CRM can hold. A write whose record moved
 * meanwhile can ask for the record as it is now and decide again, in one more batch.
 */
import { ConnectorError, isConnectorError, isConnectorWide } from '../../connectors/errors.js';
import type { WriteOutcome } from '../../connectors/types.js';
import type { CrmObjectKind, CrmRecord, FieldValue } from '../domain/crm-record.js';
import { fitToCrm } from './crm-fit.js';
import { describedFields } from './described-fields.js';
import type { RunRecorder } from './recorder.js';
import { readFieldsFor } from './read-fields.js';
import type { CrmSide } from './types.js';

export interface QueuedCrmWrite {
  kind: CrmObjectKind;
  id: string;
  /** The version the decision was made on; a record that moved gives a `conflict` outcome. */
  version: string;
  fields: Record<string, FieldValue>;
  recordKey: string;
  /** The outcome, with the notes of what the CRM could not hold as given. */
  done(outcome: WriteOutcome, notes: string[]): Promise<void>;
  /**
   * When given, a `conflict` outcome is not passed to `done`: the record is read again (with the
   * other conflicted records of the batch) and handed here, once.
   */
  onMoved?(current: CrmRecord | null): Promise<void>;
}

export class CrmWriteBatch {
  private queue: QueuedCrmWrite[] = [];

  constructor(
    private readonly side: CrmSide,
    private readonly recorder: RunRecorder,
  ) {}

  add(write: QueuedCrmWrite): void {
    this.queue.push(write);
  }

  /** Sends everything queued, and what the answers queue in turn, until nothing is left. */
  async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.send(batch);
    }
  }

  private async send(batch: QueuedCrmWrite[]): Promise<void> {
    const fitted = await Promise.all(
      batch.map(async (w) => {
        const fit = fitToCrm({ fields: w.fields, described: await describedFields(this.side, w.kind), mode: 'update' });
        return { write: w, ...fit };
      }),
    );
    const needed = fitted.filter((f) => Object.keys(f.fields).length > 0);
    let outcomes: WriteOutcome[];
    try {
      outcomes = needed.length === 0 ? [] : await this.side.connector.updateRecords(needed.map((f) => ({ kind: f.write.kind, id: f.write.id, version: f.write.version, fields: f.fields })));
    } catch (error) {
      // A whole system failing stops the cycle; anything else is each record's failure.
      if (isConnectorWide(error)) await this.recorder.fail({ key: batch[0]?.recordKey ?? this.side.system, operation: 'updateCrm', error, payload: null });
      outcomes = needed.map(() => ({ ok: false, error: asConnectorError(this.side, error) }));
    }
    const moved: { write: QueuedCrmWrite; onMoved: NonNullable<QueuedCrmWrite['onMoved']> }[] = [];
    const settle = async (write: QueuedCrmWrite, outcome: WriteOutcome, notes: string[]): Promise<void> => {
      if (!outcome.ok && outcome.error.kind === 'conflict' && write.onMoved) {
        moved.push({ write, onMoved: write.onMoved });
        return;
      }
      await this.guarded(write, () => write.done(outcome, notes));
    };
    // Each write settles its own record (the store commits them together). A write left empty
    // by fitting changes nothing in the CRM: its record stays as read.
    await allSettled([
      ...fitted.filter((x) => Object.keys(x.fields).length === 0).map((f) => settle(f.write, { ok: true, id: f.write.id, version: f.write.version, created: false }, f.notes)),
      ...needed.map((f, i) => settle(f.write, outcomes[i] ?? { ok: false, error: asConnectorError(this.side, new Error('the connector gave no outcome for this write')) }, f.notes)),
    ]);
    if (moved.length > 0) await this.reread(moved);
  }

  private async reread(moved: { write: QueuedCrmWrite; onMoved: NonNullable<QueuedCrmWrite['onMoved']> }[]): Promise<void> {
    for (const kind of new Set(moved.map((m) => m.write.kind))) {
      const ofKind = moved.filter((m) => m.write.kind === kind);
      const records = await this.side.connector.getRecords({ kind, ids: ofKind.map((m) => m.write.id), fields: await readFieldsFor(this.side, kind) });
      const byId = new Map(records.map((r) => [r.id, r]));
      await allSettled(ofKind.map((m) => this.guarded(m.write, () => m.onMoved(byId.get(m.write.id) ?? null))));
    }
  }

  /** A callback's own failure is that record's failure; a connector-wide one stops the cycle. */
  private async guarded(write: QueuedCrmWrite, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      await this.recorder.fail({ key: write.recordKey, operation: 'updateCrm', error, payload: { id: write.id } });
    }
  }
}

/** Waits for every one (nothing is left writing), then fails with the first failure, if any. */
async function allSettled(work: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function asConnectorError(side: CrmSide, error: unknown): ConnectorError {
  if (isConnectorError(error)) return error;
  return new ConnectorError({ kind: 'unknown', system: side.system, message: error instanceof Error ? error.message : String(error), cause: error });
}
