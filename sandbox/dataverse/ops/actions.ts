/**
 * The unbound `WinOpportunity` and `LoseOpportunity` actions (Web API "WinOpportunity Action" / "LoseOpportunity Action"): validate
 * `Status` against the target state, create the opportunityclose activity, close the opportunity
 * and fill `actualvalue` / `actualclosedate`; 204 on success. All of it is one atomic write.
 */
import { randomUUID } from 'node:crypto';
import type { Value } from '../model/row.js';
import { badRequest, CODES } from '../wire/errors.js';
import { noContent, type DvResponse, type RequestContext } from './context.js';
import { resolveReference } from './references.js';
import { nextRow } from './rows.js';
import { applyBody } from './write-values.js';

const TARGET_STATE = { WinOpportunity: 1, LoseOpportunity: 2 } as const;
export type CloseAction = keyof typeof TARGET_STATE;

export function isCloseAction(name: string): name is CloseAction {
  return name in TARGET_STATE;
}

interface ActionBody {
  Status?: unknown;
  OpportunityClose?: Record<string, unknown>;
}

function parse(ctx: RequestContext): ActionBody {
  try {
    const body = JSON.parse(ctx.request.body || '{}') as unknown;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as ActionBody;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The request body is not valid JSON.', CODES.propertyNotFound);
}

export function closeOpportunity(ctx: RequestContext, action: CloseAction): DvResponse {
  const body = parse(ctx);
  const state = TARGET_STATE[action];
  const stateLabel = state === 1 ? 'Won' : 'Lost';
  if (typeof body.Status !== 'number') throw badRequest(`The parameter 'Status' of ${action} is required and must be an Int32.`);
  const status = body.Status;
  const statuses = ctx.service.store.schema.tableByLogicalName('opportunity')?.byName.get('statuscode')?.options ?? [];
  if (!statuses.some((o) => o.value === status && o.state === state)) {
    throw badRequest(`${status} is not a valid status code for state code OpportunityState.${stateLabel} on opportunity.`, CODES.validation);
  }
  const close = body.OpportunityClose;
  if (typeof close !== 'object' || close === null) throw badRequest(`The parameter 'OpportunityClose' of ${action} is required.`);
  const bind = close['opportunityid@odata.bind'];
  if (typeof bind !== 'string') throw badRequest("OpportunityClose must bind 'opportunityid@odata.bind' to the opportunity.");
  const { store } = ctx.service;
  const { info: oppInfo, row: opportunity } = resolveReference(store, bind, ctx.request.contentIds);
  if (oppInfo.def.logicalName !== 'opportunity') throw badRequest("'opportunityid@odata.bind' must reference an opportunity.");
  if (opportunity.values['statecode'] !== 0) {
    throw badRequest(`The opportunity with Id = ${opportunity.id} is already closed. Reopen it before closing it again.`, CODES.invalidArgument);
  }
  const closeInfo = store.table('opportunityclose').info;
  const { ['@odata.type']: _type, ...closeFields } = close;
  const closeChanges = applyBody({ store, info: closeInfo, body: closeFields, mode: 'create', bindNullClears: false, contentIds: ctx.request.contentIds });
  const today = ctx.service.clock.now().toISOString().slice(0, 10);
  const actualEnd = (closeChanges.values['actualend'] as string | undefined) ?? today;
  const revenue = closeChanges.values['actualrevenue'];
  closeChanges.values['actualend'] = actualEnd;
  closeChanges.values['statecode'] = 1;
  closeChanges.values['statuscode'] = 2;
  const actualValue: Value = revenue ?? (state === 1 ? (opportunity.values['estimatedvalue'] ?? null) : null);
  store.atomic(() => {
    const closeRow = nextRow({ service: ctx.service, info: closeInfo, id: randomUUID(), existing: undefined, changes: closeChanges });
    store.put(store.table('opportunityclose'), closeRow);
    const changes = {
      values: {
        statecode: state,
        statuscode: status,
        actualvalue: actualValue,
        actualclosedate: actualEnd,
        closeprobability: state === 1 ? 100 : 0,
        msdyn_forecastcategory: state === 1 ? 100000005 : 100000006,
      },
      targets: {},
    };
    store.put(store.table('opportunity'), nextRow({ service: ctx.service, info: oppInfo, id: opportunity.id, existing: opportunity, changes }));
  });
  return noContent();
}
