import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { ConnectorError } from '../../connectors/errors.js';
import { Secret } from '../../src/config/index.js';
import { createLogger, withContext } from '../../src/logging/index.js';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines, text: () => text };
}

const SECRETS = ['Bearer eyJhbGciOi.secret-token', 'refresh-0a9b8c', 'client-secret-77', 'hunter2', 'PRIVATE-KEY-PEM'];
const CONTACTS = ['ada@contoso.com', '+1 425 555 0100', 'Lovelace', 'grace@fabrikam.com', '555-0199', 'Hopper', 'Babbage'];

describe('createLogger', () => {
  it('writes no secret and no customer contact detail, however deep, and keeps the ids', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream });
    const run = withContext(logger, { runId: 'run-42', direction: 'inbound', correlationId: 'corr-7' });
    const record = withContext(run, { referralId: 'ref-123', crmId: '006000000000001' });
    record.info(
      {
        request: { headers: { authorization: SECRETS[0], 'x-ms-correlation-id': 'corr-7' } },
        token: { accessToken: SECRETS[0], refresh_token: SECRETS[1] },
        config: { auth: { clientSecret: SECRETS[2], password: SECRETS[3], privateKey: SECRETS[4] } },
        referral: {
          id: 'ref-123',
          customerProfile: {
            name: 'Contoso Ltd',
            team: [{ firstName: 'Ada', lastName: CONTACTS[2], email: CONTACTS[0], phoneNumber: CONTACTS[1] }],
          },
          team: [{ firstName: 'Charles', lastName: CONTACTS[6], email: 'charles@partner.example' }],
        },
        crm: { Contact: { FirstName: 'Grace', LastName: CONTACTS[5], Email: CONTACTS[3], Phone: CONTACTS[4] } },
        dataverse: { value: [{ contactid: 'c-1', emailaddress1: CONTACTS[3], telephone1: CONTACTS[4], fullname: 'Grace Hopper' }] },
        deep: { a: { b: { c: { d: { e: { f: { email: CONTACTS[0] } } } } } } },
      },
      'referral received',
    );
    const text = out.text();
    for (const value of [...SECRETS, ...CONTACTS]) expect(text).not.toContain(value);
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 'info',
      msg: 'referral received',
      runId: 'run-42',
      direction: 'inbound',
      correlationId: 'corr-7',
      referralId: 'ref-123',
      crmId: '006000000000001',
      referral: { id: 'ref-123', customerProfile: { name: 'Contoso Ltd', team: '[REDACTED]' } },
      dataverse: { value: [{ contactid: 'c-1', emailaddress1: '[REDACTED]' }] },
    });
    expect(line?.['time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts contact details in child bindings and in error fields', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream });
    const child = logger.child({ email: CONTACTS[0] });
    const failure = Object.assign(new Error('create failed'), { details: { phone: CONTACTS[1] } });
    child.error({ err: failure }, 'write failed');
    const text = out.text();
    expect(text).not.toContain(CONTACTS[0]);
    expect(text).not.toContain(CONTACTS[1]);
    expect(out.lines()[0]).toMatchObject({ err: { message: 'create failed', type: 'Error' } });
  });

  it('logs a connector error by its known fields, never the vendor body it wraps', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream });
    const vendorBody = { message: `duplicate contact ${CONTACTS[3]}` };
    const error = new ConnectorError({ kind: 'conflict', system: 'salesforce', status: 409, message: 'duplicate', cause: vendorBody });
    logger.warn({ err: error }, 'write rejected');
    expect(out.text()).not.toContain(CONTACTS[3]);
    expect(out.lines()[0]).toMatchObject({ err: { kind: 'conflict', system: 'salesforce', status: 409 } });
  });

  it('honours the level and can print human-readable lines', () => {
    const out = sink();
    const logger = createLogger({ level: 'warn', pretty: true, destination: out.stream });
    logger.info({ email: CONTACTS[0] }, 'hidden by level');
    logger.warn({ referralId: 'ref-9', email: CONTACTS[0] }, 'shown');
    const text = out.text();
    expect(text).not.toContain('hidden by level');
    expect(text).toContain('WARN');
    expect(text).toContain('shown');
    expect(text).toContain('ref-9');
    expect(text).not.toContain(CONTACTS[0]);
  });

  it('shows a configuration secret by its source only, whatever key holds it', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream });
    const secret = new Secret({ value: 'pg://cosell:Pa55word@db/cosell', source: 'env COSELL_PG_URL' });
    logger.info({ store: { kind: 'postgres', url: secret, schema: 'cosell_sync' } }, 'store settings');
    expect(out.text()).not.toContain('Pa55word');
    expect(out.lines()[0]).toMatchObject({ store: { kind: 'postgres', url: '*** (env COSELL_PG_URL)' } });
  });
});
