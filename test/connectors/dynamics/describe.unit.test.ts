/**
 * The describe of a Dataverse table reads its attributes, each derived type through its cast, and
 * the tables its lookups point at: about twenty queries. Asked one after another they cost twenty
 * round trips before the first write-back; sent together in one `$batch`, one (a cast the table
 * has no column of answers an empty list, so nothing is asked first). Round trips are counted in
 * virtual time.
 */
import { describe, expect, it } from '@jest/globals';
import { DescribeCache, type AttributeMeta, type ReadAttributes } from '../../../connectors/dynamics/describe.js';
import { VirtualTime } from '../../support/virtual-latency.js';

const attribute = (LogicalName: string, AttributeType: string, extra: Partial<AttributeMeta> = {}): AttributeMeta => ({ LogicalName, AttributeType, IsValidForCreate: true, IsValidForUpdate: true, ...extra });

/** The tables as the org holds them, by cast ('' for the base collection). */
const TABLES: Record<string, Record<string, AttributeMeta[]>> = {
  opportunity: {
    '': [
      attribute('opportunityid', 'Uniqueidentifier'),
      attribute('name', 'String'),
      attribute('description', 'Memo'),
      attribute('estimatedclosedate', 'DateTime'),
      attribute('salesstage', 'Picklist'),
      attribute('statecode', 'State'),
      attribute('statuscode', 'Status'),
      attribute('parentaccountid', 'Lookup'),
      attribute('parentcontactid', 'Lookup'),
      attribute('transactioncurrencyid', 'Lookup'),
      attribute('owninguser', 'Lookup'),
    ],
    StringAttributeMetadata: [attribute('name', 'String', { MaxLength: 300 })],
    MemoAttributeMetadata: [attribute('description', 'Memo', { MaxLength: 2000 })],
    DateTimeAttributeMetadata: [attribute('estimatedclosedate', 'DateTime', { DateTimeBehavior: { Value: 'DateOnly' } })],
    PicklistAttributeMetadata: [attribute('salesstage', 'Picklist', { OptionSet: { Options: [{ Value: 0 }, { Value: 1 }] } })],
    StateAttributeMetadata: [attribute('statecode', 'State', { OptionSet: { Options: [{ Value: 0 }, { Value: 1 }, { Value: 2 }] } })],
    StatusAttributeMetadata: [attribute('statuscode', 'Status', { OptionSet: { Options: [{ Value: 1 }, { Value: 3 }] } })],
  },
  ...Object.fromEntries(
    ['account', 'contact', 'transactioncurrency', 'systemuser'].map((table) => [
      table,
      { '': [attribute('name', 'String'), attribute('modifiedon', 'DateTime')], StringAttributeMetadata: [attribute('name', 'String', { MaxLength: 160 })], DateTimeAttributeMetadata: [attribute('modifiedon', 'DateTime', { DateTimeBehavior: { Value: 'UserLocal' } })] },
    ]),
  ),
};

describe('describe of a Dataverse table', () => {
  it('asks the table, its casts and its lookup tables in one request: one round trip, the same description', async () => {
    const time = new VirtualTime();
    const asked: string[][] = [];
    const read: ReadAttributes = async (queries) => {
      asked.push(queries.map(({ table, cast }) => `${table}/${cast ?? ''}`));
      await time.sleep(1);
      return queries.map(({ table, cast }) => structuredClone(TABLES[table]?.[cast ?? ''] ?? []));
    };
    const cache = new DescribeCache(read);
    const described = await time.run(() => cache.describe({ kind: 'opportunity', table: 'opportunity' }));

    expect(time.now).toBe(1);
    // The table's base and six casts, and each lookup table's base, length and date casts.
    expect(asked.map((batch) => batch.length)).toEqual([7 + 4 * 4]);
    const byPath = new Map(described.fields.map((f) => [f.path, f]));
    expect(byPath.get('name')).toMatchObject({ type: 'string', length: 300, updateable: true });
    expect(byPath.get('estimatedclosedate')).toMatchObject({ type: 'date' });
    expect(byPath.get('statecode')).toMatchObject({ type: 'picklist', picklistValues: ['0', '1', '2'] });
    expect(byPath.get('parentaccountid.name')).toMatchObject({ type: 'string', length: 160, updateable: false });
    expect(byPath.get('owninguser.modifiedon')).toMatchObject({ type: 'datetime' });
    expect(described.fields.map((f) => f.path)).toEqual([
      ...(TABLES['opportunity']?.[''] ?? []).map((a) => a.LogicalName),
      ...['parentaccountid', 'parentcontactid', 'transactioncurrencyid', 'owninguser'].flatMap((nav) => [`${nav}.name`, `${nav}.modifiedon`]),
    ]);
    // Asked once for the connector's life.
    expect(await cache.describe({ kind: 'opportunity', table: 'opportunity' })).toEqual(described);
    expect(asked).toHaveLength(1);
  });
});
