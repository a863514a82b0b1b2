import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { runStoreContract } from './store.contract.js';

runStoreContract('SQLite :memory:', async ({ clock }) => {
  const store = openSqliteStore({ path: ':memory:', clock });
  return { store, cleanup: () => store.close() };
});
