/** Loads the mapping file the configuration names for a CRM, refusing a file written for another. */
import { loadMappingFile, type Mapping, type MappingProblem } from '../../mappings/index.js';

export class MappingLoadError extends Error {
  constructor(readonly problems: readonly MappingProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'MappingLoadError';
  }
}

export function loadMapping(path: string, system: Mapping['system']): Mapping {
  const loaded = loadMappingFile(path);
  if (!loaded.ok) throw new MappingLoadError(loaded.error);
  if (loaded.value.system !== system) {
    throw new MappingLoadError([{ file: path, line: 1, column: 1, path: 'system', message: `this file maps ${loaded.value.system}, but it is configured for ${system}` }]);
  }
  return loaded.value;
}
