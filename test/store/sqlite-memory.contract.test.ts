import { openStore } from '../../src/store/open-store.js';
import { runStoreContract } from './store.contract.js';

// Opened through openStore, the way the composition root opens it.
runStoreContract('SQLite :memory:', async ({ clock }) => {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' }, { clock });
  return { store, cleanup: () => store.close() };
});
