/**
 * `$batch` through dynamics-web-api: one group per logical write, `odata.continue-on-error` so
 * one bad record does not stop its neighbours, and the library's flat list of per-operation
 * results split back into one result per group, in request order.
 *
 * A one-operation group goes outside any change set (the library would otherwise put
 * consecutive writes into one change set, and one refusal would roll back its neighbours). A
 * group of several operations is one change set (atomic), followed by its read outside it; that
 * read also ends the change set, so the next group's writes never join it.
 */
import type { DynamicsWebApi, RetrieveRequest, UnboundActionRequest, UpdateRequest, UpsertRequest } from 'dynamics-web-api';
import { ConnectorError } from '../errors.js';
import type { DataverseClient } from './client.js';
import { classifyError } from './classify-error.js';

export type BatchOp =
  | { call: 'upsert'; request: UpsertRequest }
  | { call: 'update'; request: UpdateRequest }
  | { call: 'callAction'; request: UnboundActionRequest }
  | { call: 'retrieve'; request: RetrieveRequest };

export interface BatchGroup {
  writes: BatchOp[];
  /** A GET after the writes (the record's new version). */
  read?: BatchOp;
}

/** The results of a group's operations, or the refusal that rolled its change set back. */
export type GroupResult = { ok: true; writes: unknown[]; read: unknown } | { ok: false; error: ConnectorError };

function queue(dwa: DynamicsWebApi, op: BatchOp, inChangeSet: boolean): Promise<unknown> {
  switch (op.call) {
    case 'upsert':
      return dwa.upsert({ ...op.request, inChangeSet });
    case 'update':
      return dwa.update({ ...op.request, inChangeSet });
    case 'callAction':
      return dwa.callAction({ ...op.request, inChangeSet });
    case 'retrieve':
      return dwa.retrieve(op.request);
  }
}

/**
 * Splits the flat results: a change set that failed answers up to and including its failure
 * (one error part, or a part per operation run: the two readings Dataverse's documentation
 * leaves open), so each group's writes end at their first error or after all of them.
 */
export function splitResults(args: { groups: readonly BatchGroup[]; results: readonly unknown[]; op: string; now: Date }): GroupResult[] {
  const { results, op } = args;
  let at = 0;
  const out = args.groups.map((group): GroupResult => {
    const writes: unknown[] = [];
    let refusal: unknown = null;
    while (writes.length < group.writes.length && at < results.length) {
      const result = results[at++];
      if (result instanceof Error) {
        refusal = result;
        break;
      }
      writes.push(result);
    }
    const read = group.read && at < results.length ? results[at++] : undefined;
    if (refusal !== null) return { ok: false, error: classifyError({ error: refusal, op, write: true, now: args.now }) };
    if (writes.length < group.writes.length) return { ok: false, error: new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: the $batch answer ended before this record's operations` }) };
    if (read instanceof Error) return { ok: false, error: classifyError({ error: read, op, write: false, now: args.now }) };
    return { ok: true, writes, read };
  });
  if (at !== results.length) {
    throw new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: the $batch answer has ${results.length} parts where ${at} were expected` });
  }
  return out;
}

/** Sends the groups as one `$batch` and returns one result per group. */
export async function runBatch(args: { client: DataverseClient; groups: readonly BatchGroup[]; op: string; idempotent: boolean; now: () => Date }): Promise<GroupResult[]> {
  const { client, groups, op } = args;
  const results = await client.batch({ op, write: !args.idempotent }, async (dwa) => {
    for (const group of groups) {
      for (const write of group.writes) await queue(dwa, write, group.writes.length > 1);
      if (group.read) await queue(dwa, group.read, false);
    }
  });
  return splitResults({ groups, results, op, now: args.now() });
}

/**
 * Reads queued by `build` as one `$batch`: each part's answer, in the order queued. `expected`
 * parts must come back; a short answer or a failed part fails the whole read, classified.
 */
export async function readBatch(args: { client: DataverseClient; op: string; expected: number; now: () => Date; build: (dwa: DynamicsWebApi) => Promise<void> }): Promise<unknown[]> {
  const { op } = args;
  const answers = await args.client.batch({ op }, args.build);
  if (answers.length !== args.expected) {
    throw new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: the $batch answer has ${answers.length} parts where ${args.expected} were asked` });
  }
  return answers.map((answer) => {
    if (answer instanceof Error) throw classifyError({ error: answer, op, write: false, now: args.now() });
    return answer;
  });
}
