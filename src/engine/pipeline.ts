/**
 * The outbound pass as one pipeline over the pages of a cycle, so that Partner Center is the only
 * thing the records wait for. A pool of workers takes records in page order and never waits for a
 * page to drain: when a worker finishes the last record of a page it takes the first of the next.
 * A page's CRM write-backs go out in the background once all its records are done, then its
 * deletes; pages are committed (history flushed, cursor stored) strictly in order and only once
 * every record of the page and of the pages before it is settled, so a crash re-reads a page,
 * never skips one. At most `OPEN_PAGES` pages are held at once.
 *
 * A record that comes by again while an earlier copy of it is still in the pipeline (a page read
 * again) waits until that copy and its page's write-backs are done, then reads its link anew, so
 * no decision is made on a link another worker is moving. Within one page only the last copy of a
 * record is worked on: sources read in change order, so it is the newest.
 */
import type { CrmObjectKind, CrmRecord } from '../domain/crm-record.js';
import type { Link } from '../store/types.js';
import { AsyncMutex } from '../store/async-mutex.js';
import { CrmWriteBatch } from './crm-writes.js';
import { applyDeletes } from './deletes.js';
import { crmKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

/** Pages taken from the source and not yet committed, at most. */
const OPEN_PAGES = 3;
/**
 * Records in progress per Partner Center call the connector lets through: while some workers
 * read the store, map a record or wait on the CRM, the others keep the connector's slots full.
 */
const WORKERS_PER_SLOT = 2;

export interface WorkPage {
  items: readonly CrmRecord[];
  /** Records of `kind` deleted at the source, handled once the page's records are. */
  deleted?: { kind: CrmObjectKind; ids: readonly string[] };
  /** Stores the page's cursor, once it and every page before it are settled. */
  commit?: () => Promise<void>;
}

/** What one record's outbound work needs besides the record: its link and its page's CRM batch. */
export type RecordWork = (args: { record: CrmRecord; link: Link | null; crmWrites: CrmWriteBatch; recordKey: string }) => Promise<void>;

interface OpenPage {
  page: WorkPage;
  links: Map<string, Link>;
  crmWrites: CrmWriteBatch;
  /** The page's records, each id once (its last copy). */
  records: readonly CrmRecord[];
  /** Ids that were in the pipeline when the page's links were read: their links may have moved. */
  stale: Set<string>;
  next: number;
  running: number;
  /** True once every record of the page has been handed out and is done. */
  isSealed: boolean;
  /** A record of the page stopped the cycle: the page is neither flushed nor committed. */
  broken: boolean;
  seal: () => void;
  settled: Promise<void>;
  committed: Promise<void>;
}

export async function runPipeline(args: { deps: EngineDeps; side: CrmSide; recorder: RunRecorder; pages: AsyncIterable<WorkPage>; work: RecordWork; signal?: AbortSignal }): Promise<void> {
  const { deps, side, recorder, work, signal } = args;
  const source = args.pages[Symbol.asyncIterator]();
  const take = new AsyncMutex();
  const open: OpenPage[] = [];
  const inFlight = new Map<string, Promise<void>>();
  let failure: { error: unknown } | null = null;
  let exhausted = false;
  let lastCommitted: Promise<void> = Promise.resolve();
  const fail = (error: unknown): void => {
    failure ??= { error };
  };

  const openPage = async (page: WorkPage): Promise<void> => {
    const records = lastCopies(page.items);
    const ids = records.map((r) => r.id);
    await recorder.readFailuresOf(records.map((r) => crmKey(side.system, r.kind, r.id)));
    const links = await deps.store.findLinksByCrmIds(side.system, ids);
    let seal = (): void => undefined;
    const sealed = new Promise<void>((resolve) => (seal = resolve));
    const crmWrites = new CrmWriteBatch(side, recorder);
    // Settled: every record done, then the page's CRM batch and its deletes. Committed: in order.
    const settled = sealed.then(async () => {
      if (opened.broken) return;
      await crmWrites.flush();
      if (page.deleted) await applyDeletes({ deps, side, kind: page.deleted.kind, deletedIds: page.deleted.ids, recorder });
    });
    const committed = Promise.all([lastCommitted, settled]).then(async () => {
      if (opened.broken) throw (failure as { error: unknown }).error;
      await recorder.flush();
      await page.commit?.();
    });
    const opened: OpenPage = {
      page,
      links: new Map(links.map((l) => [l.crmId as string, l])),
      crmWrites,
      records,
      stale: new Set(ids.filter((id) => inFlight.has(id))),
      next: 0,
      running: 0,
      isSealed: false,
      broken: false,
      seal: () => {
        opened.isSealed = true;
        seal();
      },
      settled,
      committed,
    };
    lastCommitted = committed;
    committed.then(
      () => void (open.includes(opened) && open.splice(open.indexOf(opened), 1)),
      (error: unknown) => fail(error),
    );
    open.push(opened);
    if (records.length === 0) opened.seal();
  };

  /** The next record in page order, reading and opening pages as needed; null when there is none. */
  const nextRecord = (): Promise<{ opened: OpenPage; record: CrmRecord } | null> =>
    take.run(async () => {
      for (;;) {
        if (failure !== null) return null;
        const current = open.at(-1);
        if (current && current.next < current.records.length) {
          const record = current.records[current.next++] as CrmRecord;
          current.running++;
          return { opened: current, record };
        }
        if (exhausted || signal?.aborted === true) return null;
        // Holding no more than OPEN_PAGES: wait for the oldest to be committed first.
        while (open.length >= OPEN_PAGES && failure === null) await open[0]?.committed.catch(() => undefined);
        if (failure !== null) return null;
        let result: IteratorResult<WorkPage>;
        try {
          result = await source.next();
        } catch (error) {
          fail(error);
          return null;
        }
        if (result.done === true) {
          exhausted = true;
          return null;
        }
        try {
          await openPage(result.value);
        } catch (error) {
          fail(error);
          return null;
        }
      }
    });

  const runRecord = async (opened: OpenPage, record: CrmRecord): Promise<void> => {
    const recordKey = crmKey(side.system, record.kind, record.id);
    const earlier = inFlight.get(record.id);
    const again = earlier !== undefined || opened.stale.has(record.id);
    const done = (async () => {
      if (earlier) await earlier;
      const link = again ? ((await deps.store.findLinksByCrmIds(side.system, [record.id]))[0] ?? null) : (opened.links.get(record.id) ?? null);
      try {
        await work({ record, link, crmWrites: opened.crmWrites, recordKey });
      } catch (error) {
        await recorder.fail({ key: recordKey, operation: 'outbound', error, payload: { crmId: record.id, fields: record.fields } });
      }
    })();
    // A later copy waits for this one and its page's write-backs, whether they succeed or not.
    const settledCopy = Promise.allSettled([done, opened.settled]).then(() => undefined);
    inFlight.set(record.id, settledCopy);
    void settledCopy.then(() => {
      if (inFlight.get(record.id) === settledCopy) inFlight.delete(record.id);
    });
    try {
      await done;
    } catch (error) {
      opened.broken = true;
      fail(error);
    } finally {
      opened.running--;
      if (opened.running === 0 && opened.next === opened.records.length) opened.seal();
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const next = await nextRecord();
      if (next === null) return;
      await runRecord(next.opened, next.record);
    }
  };

  const workers = Math.max(1, deps.options.writeConcurrency * WORKERS_PER_SLOT);
  try {
    await Promise.all(Array.from({ length: workers }, worker));
    // Nothing writes after the cycle ended: every page whose records all ran has sent its batch
    // and been committed (a page left unfinished by a failure is read again next cycle).
    const finished = open.filter((p) => p.isSealed);
    await Promise.allSettled(finished.map((p) => p.settled));
    await Promise.allSettled(finished.map((p) => p.committed));
  } finally {
    // The consumer stopped early (a failure, a stop): let the source release what it holds.
    if (!exhausted) await source.return?.();
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** Each record once, its last copy, in the order the last copies came. */
function lastCopies(items: readonly CrmRecord[]): readonly CrmRecord[] {
  const last = new Map<string, number>();
  items.forEach((r, i) => last.set(r.id, i));
  return last.size === items.length ? items : items.filter((r, i) => last.get(r.id) === i);
}
