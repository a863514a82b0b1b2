/**
 * The shared CRM connector contract, run against the sandbox Dataverse emulator over TLS with
 * the sandbox CA, signed in through msal-node against the sandbox Entra emulator, once per org
 * profile (standard status reasons, no DUNS column, one currency, countries as names).
 */
import { ORG_PROFILE_NAMES } from '../../../sandbox/org-profiles.js';
import { runCrmConnectorContract, type CrmTestControl } from '../crm-contract.js';
import { startDvSandbox } from './support/sandbox.js';

const PAGE_SIZE = 200;
const tableOf = (kind: 'opportunity' | 'lead'): string => (kind === 'lead' ? 'leads' : 'opportunities');

for (const profile of ORG_PROFILE_NAMES) runCrmConnectorContract({
  name: `Dynamics 365 (Dataverse Web API) against the sandbox emulator, org profile ${profile}`,
  customers: true,
  setup: async () => {
    // 450 opportunities: more than two pages.
    const { sandbox, connect } = await startDvSandbox({ size: 450, orgProfile: profile });
    const dv = sandbox.dynamics;
    if (!dv) throw new Error('the sandbox started without Dataverse');
    const connector = connect({ pageSize: PAGE_SIZE });
    const control: CrmTestControl = {
      pageSize: PAGE_SIZE,
      fields: {
        flag: 'cosell_syncwithpartnercenter',
        externalId: 'cosell_referralid',
        text: 'name',
        optionalText: 'description',
        amount: 'estimatedvalue',
        requiredOnCreate: { estimatedclosedate: '2026-06-30' },
        // name holds at most 300 characters (Dynamics 365 "Opportunity table/entity reference").
        rejected: { field: 'name', value: 'x'.repeat(301) },
      },
      createRecord: ({ kind, fields }) => Promise.resolve(dv.control.createRecord({ table: tableOf(kind), values: fields })),
      updateRecord: ({ kind, id, fields }) => Promise.resolve(dv.control.editRecord({ table: tableOf(kind), id, values: fields })),
      deleteRecord: ({ kind, id }) => Promise.resolve(dv.control.deleteRecord({ table: tableOf(kind), id })),
      readRecord: ({ kind, id }) => Promise.resolve(dv.control.getRecord({ table: tableOf(kind), id }) ?? null),
      countRecords: ({ kind, field, value }) =>
        Promise.resolve(
          field === undefined
            ? dv.control.count({ table: tableOf(kind) })
            : dv.control.count({ table: tableOf(kind), column: field, value: (value ?? null) as string | number | boolean | null }),
        ),
      advanceClock: (ms) => sandbox.clock.advance(ms),
      countAccounts: (name) => Promise.resolve(dv.control.count({ table: 'accounts', column: 'name', value: name })),
    };
    return { connector, control, cleanup: () => sandbox.close() };
  },
});
