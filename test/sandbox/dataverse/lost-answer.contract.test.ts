/**
 * An answer lost after the write was applied, on every Dataverse write endpoint: create, update,
 * upsert, $batch and actions apply the write, then the connection drops. Re-reading finds it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FaultRule } from '../../../sandbox/shared/faults.js';
import { startHarness, TOKEN, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 5 });
});
afterAll(() => h.close());
beforeEach(() => h.emulator.server.faults.set([]));

const API = '/api/data/v9.2/';

async function loseNextAnswer(method: string, pathPattern: string, as: 'reset' | 'timeout' = 'reset'): Promise<void> {
  const rules: FaultRule[] = [{ method, path: `^${API.replace(/\./g, '\\.')}${pathPattern}`, nth: [1], lostAnswerRate: 1, lostAnswerAs: as }];
  const res = await fetch(`${h.url}/_control/faults`, { method: 'PUT', body: JSON.stringify(rules) });
  expect(res.status).toBe(204);
}

const count = (table: string, column: string, value: string): number => h.emulator.control.count({ table, column, value });

function account(name: string): string {
  return h.emulator.control.createRecord({ table: 'accounts', values: { name } });
}

describe('Dataverse: the answer is lost after the write was applied', () => {
  it('create (POST to the entity set): the row exists, and a blind repeat makes a second one', async () => {
    await loseNextAnswer('POST', 'accounts$');
    await expect(h.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'Lost create' }) })).rejects.toThrow();
    expect(count('accounts', 'name', 'Lost create')).toBe(1);
    expect((await h.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'Lost create' }) })).status).toBe(204);
    expect(count('accounts', 'name', 'Lost create')).toBe(2);
  });

  it('update (PATCH by id with If-Match), also when the socket is held until the client gives up', async () => {
    const id = account('Lost update');
    await loseNextAnswer('PATCH', 'accounts\\(', 'timeout');
    const update = fetch(`${h.url}${API}accounts(${id})`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'If-Match': '*' },
      body: JSON.stringify({ telephone1: '+1 555 0101' }),
      signal: AbortSignal.timeout(300),
    });
    await expect(update).rejects.toThrow();
    expect(h.emulator.control.getRecord({ table: 'accounts', id })?.['telephone1']).toBe('+1 555 0101');
  });

  it('upsert (PATCH to an alternate key URL): the row exists once, and a repeat updates it', async () => {
    await loseNextAnswer('PATCH', 'opportunities\\(cosell_referralid=');
    const body = JSON.stringify({ name: 'Lost upsert' });
    await expect(h.call("opportunities(cosell_referralid='ref-lost-1')", { method: 'PATCH', body })).rejects.toThrow();
    expect(count('opportunities', 'cosell_referralid', 'ref-lost-1')).toBe(1);
    expect((await h.call("opportunities(cosell_referralid='ref-lost-1')", { method: 'PATCH', body })).status).toBe(204);
    expect(count('opportunities', 'cosell_referralid', 'ref-lost-1')).toBe(1);
  });

  it('$batch: every operation of the change set was applied', async () => {
    await loseNextAnswer('POST', '\\$batch$');
    const body = [
      '--batch_L',
      'Content-Type: multipart/mixed; boundary=changeset_L',
      '',
      '--changeset_L',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"Batch lost A"}',
      '--changeset_L',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"Batch lost B"}',
      '--changeset_L--',
      '--batch_L--',
      '',
    ].join('\r\n');
    await expect(h.call('$batch', { method: 'POST', headers: { 'Content-Type': 'multipart/mixed; boundary=batch_L' }, body })).rejects.toThrow();
    expect([count('accounts', 'name', 'Batch lost A'), count('accounts', 'name', 'Batch lost B')]).toEqual([1, 1]);
  });

  it('actions (WinOpportunity): the opportunity is closed as won', async () => {
    const id = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Lost win', estimatedvalue: 1000 } });
    await loseNextAnswer('POST', 'WinOpportunity$');
    const action = { Status: 3, OpportunityClose: { subject: 'Won', 'opportunityid@odata.bind': `/opportunities(${id})` } };
    await expect(h.call('WinOpportunity', { method: 'POST', body: JSON.stringify(action) })).rejects.toThrow();
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 1, statuscode: 3 });
  });
});
