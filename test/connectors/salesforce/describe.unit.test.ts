/**
 * An opportunity's describe needs its own object and the Account it reads through: asked side by
 * side, one round trip before the first read instead of two. Round trips in virtual time.
 */
import { describe, expect, it } from '@jest/globals';
import type { SalesforceClient } from '../../../connectors/salesforce/client.js';
import { DescribeCache } from '../../../connectors/salesforce/describe.js';
import { VirtualTime } from '../../support/virtual-latency.js';

const OBJECTS: Record<string, unknown> = {
  Opportunity: {
    name: 'Opportunity',
    fields: [
      { name: 'Name', type: 'string', length: 120, createable: true, updateable: true, nillable: false },
      { name: 'AccountId', type: 'reference', relationshipName: 'Account', referenceTo: ['Account'], createable: true, updateable: true },
    ],
    childRelationships: [],
  },
  Account: { name: 'Account', fields: [{ name: 'Name', type: 'string', length: 255, createable: true, updateable: true, nillable: false }], childRelationships: [] },
};

describe('describe of a Salesforce object', () => {
  it('asks for the object and its parent side by side: one round trip, the same description', async () => {
    const time = new VirtualTime();
    const asked: string[] = [];
    const client = {
      call: async ({ url }: { url: string }) => {
        const name = /\/sobjects\/(\w+)\/describe/.exec(url)?.[1] ?? '';
        asked.push(name);
        await time.sleep(1);
        return structuredClone(OBJECTS[name]);
      },
    } as unknown as SalesforceClient;
    const described = await time.run(() => new DescribeCache(client).describe({ kind: 'opportunity', object: 'Opportunity', parents: ['Account'] }));

    expect(time.now).toBe(1);
    expect(asked.sort()).toEqual(['Account', 'Opportunity']);
    expect(described.fields.map((f) => [f.path, f.updateable])).toEqual([
      ['Name', true],
      ['AccountId', true],
      ['Account.Name', false],
    ]);
  });
});
