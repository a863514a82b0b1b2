/**
 * The shared CRM connector contract, run against the sandbox Salesforce emulator on 127.0.0.1
 * through the real connector (jsforce, client credentials against the emulator's token route),
 * once per org profile (State and Country picklists or not, countries as names, standard stages,
 * no DUNS field, one currency).
 */
import { pino } from 'pino';
import { createSalesforceConnector } from '../../../connectors/salesforce/index.js';
import { systemClock } from '../../../src/core/clock.js';
import type { FieldValue } from '../../../src/domain/crm-record.js';
import { startSalesforceEmulator } from '../../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { ORG_PROFILE_NAMES, orgShapeOf } from '../../../sandbox/org-profiles.js';
import { runCrmConnectorContract, type CrmTestControl } from '../crm-contract.js';

const PAGE_SIZE = 200;
const objectOf = (kind: 'opportunity' | 'lead'): string => (kind === 'lead' ? 'Lead' : 'Opportunity');

for (const profile of ORG_PROFILE_NAMES) runCrmConnectorContract({
  name: `Salesforce (jsforce) against the sandbox emulator, org profile ${profile}`,
  customers: true,
  setup: async () => {
    const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
    // 450 opportunities: more than two pages of the smallest batch size.
    const emulator = await startSalesforceEmulator({ clock, seed: 11, size: 450, shape: orgShapeOf(profile) });
    const sf = emulator.control;
    const connector = createSalesforceConnector(
      {
        auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
        loginUrl: emulator.server.url,
        apiVersion: '60.0',
        queryBatchSize: PAGE_SIZE,
        timeoutMs: 10_000,
      },
      { logger: pino({ level: 'silent' }), clock: systemClock },
    );
    const saved = (result: { success: boolean; id: string | null; errors: unknown[] }, what: string): string => {
      if (!result.success || result.id === null) throw new Error(`${what} failed: ${JSON.stringify(result.errors)}`);
      return result.id;
    };
    const control: CrmTestControl = {
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
      createRecord: ({ kind, fields }) => Promise.resolve(saved(sf.createRecord({ type: objectOf(kind), fields }), 'create')),
      updateRecord: ({ kind, id, fields }) => {
        saved(sf.editRecord({ type: objectOf(kind), id, fields }), 'edit');
        return Promise.resolve();
      },
      deleteRecord: ({ kind, id }) => {
        saved(sf.deleteRecord({ type: objectOf(kind), id }), 'delete');
        return Promise.resolve();
      },
      readRecord: ({ kind, id }) => {
        const row = sf.getRecord({ type: objectOf(kind), id });
        return Promise.resolve(row === null || row['IsDeleted'] === true ? null : (row as Record<string, unknown>));
      },
      countRecords: ({ kind, field, value }) =>
        Promise.resolve(
          field === undefined
            ? sf.countRecords({ type: objectOf(kind), field: 'IsDeleted', value: false })
            : sf.countRecords({ type: objectOf(kind), field, value: (value ?? null) as Exclude<FieldValue, unknown[] | object> }),
        ),
      advanceClock: (ms) => clock.advance(ms),
      countAccounts: (name) => Promise.resolve(sf.countRecords({ type: 'Account', field: 'Name', value: name })),
    };
    return { connector, control, cleanup: () => emulator.server.close() };
  },
});
