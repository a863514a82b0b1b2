/**
 * Run as a separate process by sqlite-file.contract.test.ts: writes two rows inside a
 * transaction, says so on stdout, then waits to be killed before it can commit.
 */
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-child.ts <sqlite file>');
const store = openSqliteStore({ path });
await store.transaction(async (tx) => {
  await tx.saveLink({
    crmSystem: 'salesforce',
    crmKind: 'opportunity',
    crmId: 'crashed-1',
    referralId: null,
    engagementId: null,
    origin: 'crm',
    state: 'creating',
    snapshot: {},
    crmVersion: null,
    referralETag: null,
    respondBy: null,
  });
  await tx.setCursor('crashed', 'yes');
  process.stdout.write('written\n');
  await new Promise(() => setInterval(() => undefined, 60_000));
});
