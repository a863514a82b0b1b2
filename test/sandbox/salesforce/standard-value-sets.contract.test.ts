import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { orgShapeOf } from '../../../sandbox/org-profiles.js';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  fx = await startFixture({ size: 4, shape: orgShapeOf('standard-stages') });
  conn = await fx.connect();
});
afterAll(async () => fx.close());

interface StageSet {
  Id: string;
  Metadata: { standardValue: { fullName: string; closed: boolean; won: boolean }[] };
}

const stages = async (): Promise<string[]> => ((await conn.sobject('Opportunity').describe()).fields.find((f) => f.name === 'StageName')?.picklistValues ?? []).map((v) => v.value);

describe('Tooling API StandardValueSet OpportunityStage in an org with the standard stages only', () => {
  it('lists the stages with their meaning, and a Metadata update adds stages that describe lists and writes take', async () => {
    const found = await conn.tooling.query<StageSet>("SELECT Id, Metadata FROM StandardValueSet WHERE MasterLabel = 'OpportunityStage'");
    const set = found.records[0];
    expect(set?.Metadata.standardValue.find((v) => v.fullName === 'Closed Won')).toMatchObject({ closed: true, won: true });
    expect(await stages()).not.toContain('Declined');
    const standardValue = [...(set?.Metadata.standardValue ?? []), { fullName: 'On Hold', label: 'On Hold', default: false, closed: false, won: false, probability: 10, forecastCategory: 'Pipeline' }, { fullName: 'Declined', label: 'Declined', default: false, closed: true, won: false, probability: 0, forecastCategory: 'Omitted' }];
    await conn.tooling.sobject('StandardValueSet').update({ Id: set?.Id ?? '', Metadata: { ...set?.Metadata, standardValue } });
    expect(await stages()).toEqual(expect.arrayContaining(['On Hold', 'Declined']));
    const created = await conn.sobject('Opportunity').create({ Name: 'declined deal', StageName: 'Declined', CloseDate: '2024-05-01' });
    const [row] = (await conn.query<{ IsClosed: boolean; IsWon: boolean }>(`SELECT IsClosed, IsWon FROM Opportunity WHERE Id = '${created.id ?? ''}'`)).records;
    expect(row).toMatchObject({ IsClosed: true, IsWon: false });
  });

  it('refuses removing a stage', async () => {
    const [set] = (await conn.tooling.query<StageSet>("SELECT Id, Metadata FROM StandardValueSet WHERE MasterLabel = 'OpportunityStage'")).records;
    const fewer = (set?.Metadata.standardValue ?? []).filter((v) => v.fullName !== 'Prospecting');
    await expect(conn.tooling.sobject('StandardValueSet').update({ Id: set?.Id ?? '', Metadata: { ...set?.Metadata, standardValue: fewer } })).rejects.toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
  });
});
