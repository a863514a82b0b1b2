/**
 * The unbound `InsertStatusValue` action (Web API "InsertStatusValue Action"): a new status reason
 * on a table's `statuscode`, under an existing state. Body `EntityLogicalName`,
 * `AttributeLogicalName`, `Label`, `StateCode` and optionally `Value`; answers 200 with
 * `NewOptionValue`. The new value is at once valid for writes and listed in the metadata.
 */
import { badRequest, CODES } from '../wire/errors.js';
import { json, type DvResponse, type RequestContext } from './context.js';

/** Where a new status value is numbered when the body gives none (the default publisher's range). */
const FIRST_CUSTOM_VALUE = 100000000;

function labelText(label: unknown): string | undefined {
  const text = (label as { LocalizedLabels?: Array<{ Label?: unknown }> } | undefined)?.LocalizedLabels?.[0]?.Label;
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

export function insertStatusValue(ctx: RequestContext): DvResponse {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(ctx.request.body || '{}') as Record<string, unknown>;
  } catch {
    throw badRequest('The request body is not valid JSON.', CODES.propertyNotFound);
  }
  const { schema } = ctx.service.store;
  const info = schema.tableByLogicalName(String(body['EntityLogicalName'] ?? ''));
  if (!info) throw badRequest(`Could not find an entity with the name ${JSON.stringify(body['EntityLogicalName'])}.`, CODES.objectDoesNotExist);
  const attribute = info.byName.get(String(body['AttributeLogicalName'] ?? ''));
  if (attribute?.type !== 'Status') throw badRequest(`${JSON.stringify(body['AttributeLogicalName'])} is not a status column of ${info.def.logicalName}.`, CODES.invalidArgument);
  const state = body['StateCode'];
  const states = info.byName.get('statecode')?.options ?? [];
  if (typeof state !== 'number' || !states.some((o) => o.value === state)) throw badRequest(`StateCode ${JSON.stringify(state)} is not a state of ${info.def.logicalName}.`, CODES.invalidArgument);
  const label = labelText(body['Label']);
  if (!label) throw badRequest('Label must carry a LocalizedLabel.', CODES.invalidArgument);
  const options = attribute.options ?? [];
  const asked = body['Value'];
  const value = typeof asked === 'number' ? asked : Math.max(FIRST_CUSTOM_VALUE, ...options.map((o) => o.value + 1));
  if (!Number.isInteger(value) || options.some((o) => o.value === value)) throw badRequest(`The status value ${value} already exists on ${info.def.logicalName}.statuscode.`, CODES.invalidArgument);
  schema.replaceAttribute(info, { ...attribute, options: [...options, { value, label, state }] });
  return json(200, { '@odata.context': `${ctx.request.apiBase}$metadata#Microsoft.Dynamics.CRM.InsertStatusValueResponse`, NewOptionValue: value });
}
