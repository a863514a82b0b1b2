import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadMappingFile } from '../../mappings/index.js';

/**
 * Every file in broken/ is minimal.yaml with one mistake. Its first line says where the loader
 * must point and what it must say: `# expect <line>:<column> <message>`.
 */
const dir = fileURLToPath(new URL('./broken/', import.meta.url));
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const first = readFileSync(dir + file, 'utf8').split('\n')[0] ?? '';
    const m = /^# expect (\d+):(\d+) (.+)$/.exec(first);
    if (!m) throw new Error(`${file}: first line must be '# expect <line>:<column> <message>'`);
    return { file, line: Number(m[1]), column: Number(m[2]), message: m[3] ?? '' };
  });

describe('broken mapping files', () => {
  it('has a corpus to check, and the file they are all made from loads', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    const base = loadMappingFile(fileURLToPath(new URL('./minimal.yaml', import.meta.url)));
    expect(base.ok ? [] : base.error).toEqual([]);
  });

  it.each(corpus)('$file: $line:$column $message', ({ file, line, column, message }) => {
    const loaded = loadMappingFile(dir + file);
    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.error;
    expect(problems.every((p) => p.file === dir + file)).toBe(true);
    const found = problems.filter((p) => p.line === line && p.column === column && p.message.includes(message));
    expect({ found: found.length, problems: problems.map((p) => `${p.line}:${p.column} ${p.message}`) }).toEqual(
      expect.objectContaining({ found: 1 }),
    );
  });
});
