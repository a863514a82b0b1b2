/**
 * statecode / statuscode rules on writes: a status reason must belong to its state (Dataverse developer guide, "Update and
 * delete table rows using the Web API"; Dynamics 365 "Opportunity table/entity reference");
 * an opportunity cannot be won or lost by a plain update, must be reopened before other edits,
 * and may be reopened with `statecode: 0` (Dynamics 365 "Opportunity table/entity reference", Web API "WinOpportunity Action" / "LoseOpportunity Action").
 */
import type { Row, Value } from '../model/row.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, CODES } from '../wire/errors.js';
import type { Changes } from './write-values.js';

const STATE_NAMES: Record<number, string> = { 1: 'Won', 2: 'Lost' };

function opportunityRules(existing: Row, changes: Changes, reopenClearsActuals: boolean): void {
  const state = changes.values['statecode'];
  const current = (existing.values['statecode'] ?? 0) as number;
  if (state === 1 || state === 2) {
    const name = STATE_NAMES[state] as string;
    // The server's own text; its status (400) and code are not documented, so both are this emulator's choice.
    throw badRequest(
      `This message can not be used to set the state of opportunity to ${name}. In order to set the state of opportunity to ${name}, use the ${name === 'Won' ? 'WinOpportunityRequest' : 'LoseOpportunityRequest'} message instead.`,
      CODES.invalidArgument,
    );
  }
  if (current !== 0 && state !== 0) {
    // Won and Lost rows are read-only until reopened (Dynamics 365 "Opportunity table/entity reference"); the error code is this emulator's choice.
    throw badRequest(`The opportunity with Id = ${existing.id} is closed and cannot be updated. Reopen it first by setting statecode to 0.`, CODES.invalidArgument);
  }
  if (current !== 0 && state === 0 && reopenClearsActuals) {
    changes.values['actualvalue'] = null;
    changes.values['actualclosedate'] = null;
  }
}

function checkStatusBelongs(info: TableInfo, state: number, status: Value, id: string): void {
  const options = info.byName.get('statuscode')?.options ?? [];
  const option = options.find((o) => o.value === status);
  if (option && option.state === state) return;
  const stateLabel = info.byName.get('statecode')?.options?.find((o) => o.value === state)?.label ?? String(state);
  throw badRequest(`${String(status)} is not a valid status code for state code ${info.def.logicalName}State.${stateLabel} on ${info.def.logicalName} with Id ${id}.`, CODES.validation);
}

/** Adjusts and validates state changes in place; `existing` is undefined on create. */
export function applyStateRules(args: { info: TableInfo; existing: Row | undefined; id: string; changes: Changes; reopenClearsActuals: boolean }): void {
  const { info, existing, changes } = args;
  if (!info.byName.has('statecode')) return;
  if (existing && info.def.logicalName === 'opportunity') opportunityRules(existing, changes, args.reopenClearsActuals);
  const stateChanged = 'statecode' in changes.values;
  const state = (stateChanged ? changes.values['statecode'] : (existing?.values['statecode'] ?? 0)) as number;
  if (!existing && !stateChanged) changes.values['statecode'] = 0;
  if ('statuscode' in changes.values && changes.values['statuscode'] !== null) {
    checkStatusBelongs(info, state, changes.values['statuscode'] ?? null, args.id);
  } else if (stateChanged || !existing) {
    const option = info.byName.get('statecode')?.options?.find((o) => o.value === state);
    changes.values['statuscode'] = option?.defaultStatus ?? 1;
  }
}
