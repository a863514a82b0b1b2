import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { ConnectorError } from '../../connectors/errors.js';
import { createLogger } from '../../src/logging/index.js';

function logLines(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  write(createLogger({ level: 'info', pretty: false, destination: sink }));
  return chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a connector error in the log', () => {
  it('shows its kind, system, status and vendor code, never the vendor body it was caused by', () => {
    const vendorBody = new Error('{"message":"duplicate value found: Name duplicates value on record with id: 001000000000001"}');
    const error = new ConnectorError({
      kind: 'invalid',
      system: 'salesforce',
      status: 400,
      vendorCode: 'DUPLICATE_VALUE',
      message: 'Salesforce refused the account',
      cause: vendorBody,
    });
    const [line] = logLines((logger) => logger.error({ err: error }, 'write failed'));
    expect(line?.err).toEqual({
      kind: 'invalid',
      system: 'salesforce',
      status: 400,
      vendorCode: 'DUPLICATE_VALUE',
      message: 'Salesforce refused the account',
    });
    expect(JSON.stringify(line)).not.toContain('001000000000001');
  });

  it('keeps type, message and stack of any other error', () => {
    const [line] = logLines((logger) => logger.error({ err: new TypeError('bad input') }, 'failed'));
    expect(line?.err).toMatchObject({ type: 'TypeError', message: 'bad input' });
    expect(typeof (line?.err as { stack?: unknown }).stack).toBe('string');
  });
});
