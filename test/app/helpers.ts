import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';

/** A scratch directory with files; `cleanup()` removes it. */
export function scratchDir(files: Record<string, string> = {}): { dir: string; write: (path: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-app-'));
  const write = (path: string, text: string): string => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The smallest valid configuration: static tokens and a Salesforce mapping file in `dir`. */
export const MINIMAL_YAML = `partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
`;

export const MINIMAL_ENV = {
  COSELL_PC_TOKEN: 'pc-token-value-1',
  SALESFORCE_ACCESS_TOKEN: 'sf-token-value-2',
};

/** Collects writes as text, for writers and log sinks. */
export function captureText(): { write: (chunk: string) => void; text: () => string } {
  let text = '';
  return { write: (chunk) => void (text += chunk), text: () => text };
}

/** A JSON-lines log sink for a real logger; `events()` lists the `msg` of every line. */
export function logSink(): { stream: Writable; lines: () => Record<string, unknown>[]; events: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines, events: () => lines().map((line) => String(line['msg'])) };
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs` (a guard, not a timing assertion). */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
