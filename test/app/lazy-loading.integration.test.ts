import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { scratchDir } from './helpers.js';
import { configFor, HEAVY, packagesLoadedBy } from './loaded-packages.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const FROM_SOURCE = ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href];
const BIN = join(REPO, 'src/cli/bin.ts');

// The built and bundled CLI is checked the same way in npx.integration.test.ts.
describe('commands that do not sync load only what they use', () => {
  it.each(['version', 'config check', 'mappings validate', 'links show'])('cosell-sync %s loads none of the connector, server or sandbox libraries', (name) => {
    const command = name.split(' ');
    const scratch = scratchDir({ 'cosell.yaml': configFor(REPO) });
    try {
      const args = command[0] === 'version' ? command : [...command, '--config', 'cosell.yaml'];
      const run = packagesLoadedBy(BIN, args, scratch.dir, FROM_SOURCE);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toBe('');
      expect(HEAVY.filter((name) => run.packages.has(name))).toEqual([]);
    } finally {
      scratch.cleanup();
    }
  });

  it('the commands that sync still load their connectors', () => {
    // A dry-run preview of an offline record: the engine and its connectors are composed, nothing is called.
    const record = JSON.stringify({ kind: 'opportunity', id: '006000000000001', fields: { Name: 'Contoso' } });
    const scratch = scratchDir({ 'cosell.yaml': configFor(REPO), 'record.json': record });
    try {
      const run = packagesLoadedBy(BIN, ['mappings', 'preview', '--file', 'record.json', '--config', 'cosell.yaml'], scratch.dir, FROM_SOURCE);
      expect(run.code).toBe(0);
      expect(run.packages.has('jsforce')).toBe(true);
    } finally {
      scratch.cleanup();
    }
  });
});
