/**
 * The shared CRM connector contract, run against the in-memory CRM the engine unit tests use
 * (test/support/fake-crm.ts): the fake must behave as the real connectors do, or the unit tests
 * built on it prove nothing.
 */
import { FakeClock } from '../support/fake-clock.js';
import { FakeCrm } from '../support/fake-crm.js';
import { salesforceSchema } from '../support/salesforce-schema.js';
import { runCrmConnectorContract } from './crm-contract.js';

const PAGE_SIZE = 5;

runCrmConnectorContract({
  name: 'in-memory fake CRM (engine unit tests)',
  setup: () => {
    const clock = new FakeClock(Date.parse('2026-03-02T09:00:00Z'));
    const crm = new FakeCrm('salesforce', { clock, schema: salesforceSchema(), pageSize: PAGE_SIZE });
    // A dozen opportunities: more than two pages.
    for (let i = 0; i < 12; i++) {
      crm.insert('opportunity', { Name: `Seeded ${i}`, StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: i * 1000, Sync_With_Partner_Center__c: false });
      clock.t += 400;
    }
    return Promise.resolve({
      connector: crm,
      control: {
        pageSize: PAGE_SIZE,
        fields: {
          flag: 'Sync_With_Partner_Center__c',
          externalId: 'Referral_Id__c',
          text: 'Name',
          optionalText: 'Description',
          amount: 'Amount',
          requiredOnCreate: { StageName: 'Prospecting', CloseDate: '2026-06-30' },
          rejected: { field: 'StageName', value: 'No Such Stage' },
        },
        createRecord: ({ kind, fields }) => Promise.resolve(crm.insert(kind, fields)),
        updateRecord: ({ id, fields }) => Promise.resolve(crm.edit(id, fields)),
        deleteRecord: ({ id }) => Promise.resolve(crm.remove(id)),
        readRecord: ({ id }) => Promise.resolve(crm.read(id)),
        countRecords: ({ kind, field, value }) => Promise.resolve(crm.count(kind, field, value)),
        advanceClock: (ms) => {
          clock.t += ms;
        },
      },
      cleanup: () => Promise.resolve(),
    });
  },
});
