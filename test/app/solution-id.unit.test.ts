import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';

import { composeEngine } from '../../src/app/compose.js';
import { parseConfigText } from '../../src/config/index.js';
import { openStore } from '../../src/store/open-store.js';
import { MINIMAL_ENV, MINIMAL_YAML, scratchDir } from './helpers.js';

const repoMapping = readFileSync(join(import.meta.dirname, '../../mappings/salesforce.yaml'), 'utf8');

describe('partnerCenter.solutionId: null', () => {
  it('passes the configuration check and the sync commands start with it (one schema decides)', async () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': repoMapping });
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      const parsed = parseConfigText({ text: MINIMAL_YAML.replace('partnerCenter:\n', 'partnerCenter:\n  solutionId: null\n'), env: MINIMAL_ENV, cwd: scratch.dir });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(parsed.value.partnerCenter.solutionId).toBeNull();
      const engine = composeEngine({ config: parsed.value, logger: pino({ level: 'silent' }), store });
      await engine.close();
    } finally {
      await store.close();
      scratch.cleanup();
    }
  });
});
