/** Small constructors that keep the table definitions readable. */
import type { AttributeDef, OptionDef } from './types.js';

type Extra = Partial<Omit<AttributeDef, 'logicalName' | 'type'>>;

const writable = { validForCreate: true, validForUpdate: true, requiredLevel: 'None' } as const;
const readOnly = { validForCreate: false, validForUpdate: false, requiredLevel: 'None' } as const;

export const id = (logicalName: string): AttributeDef => ({ logicalName, type: 'Uniqueidentifier', validForCreate: true, validForUpdate: false, requiredLevel: 'SystemRequired' });
export const str = (logicalName: string, maxLength: number, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'String', maxLength, ...writable, ...extra });
export const memo = (logicalName: string, maxLength: number): AttributeDef => ({ logicalName, type: 'Memo', maxLength, ...writable });
export const money = (logicalName: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Money', minValue: -922337203685477, maxValue: 922337203685477, ...writable, ...extra });
export const decimal = (logicalName: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Decimal', ...writable, ...extra });
export const int = (logicalName: string, minValue: number, maxValue: number, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Integer', minValue, maxValue, ...writable, ...extra });
export const bool = (logicalName: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Boolean', options: [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }], ...writable, ...extra });
export const dateOnly = (logicalName: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'DateTime', dateOnly: true, ...writable, ...extra });
export const dateTime = (logicalName: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'DateTime', ...writable, ...extra });
export const picklist = (logicalName: string, options: readonly OptionDef[], extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Picklist', options, ...writable, ...extra });
export const lookup = (logicalName: string, target: string, extra: Extra = {}): AttributeDef => ({ logicalName, type: 'Lookup', navigation: { [logicalName]: target }, ...writable, ...extra });

/** The polymorphic customer lookup binds through `<name>_account` / `<name>_contact` (Dataverse developer guide, "Associate and disassociate table rows using the Web API"). */
export const customer = (logicalName: string, extra: Extra = {}): AttributeDef => ({
  logicalName,
  type: 'Customer',
  navigation: { [`${logicalName}_account`]: 'account', [`${logicalName}_contact`]: 'contact' },
  ...writable,
  ...extra,
});

export const owner = (): AttributeDef => ({ logicalName: 'ownerid', type: 'Owner', navigation: { ownerid: 'systemuser' }, ...writable, requiredLevel: 'SystemRequired' });

/** Columns every table has: audit timestamps, the row version and the owning user. */
export const systemColumns = (withOwner: boolean): AttributeDef[] => [
  { logicalName: 'createdon', type: 'DateTime', ...readOnly },
  { logicalName: 'modifiedon', type: 'DateTime', ...readOnly },
  { logicalName: 'versionnumber', type: 'BigInt', ...readOnly },
  ...(withOwner ? [owner(), { logicalName: 'owninguser', type: 'Lookup', navigation: { owninguser: 'systemuser' }, ...readOnly } as AttributeDef] : []),
];

export const state = (options: readonly OptionDef[]): AttributeDef => ({ logicalName: 'statecode', type: 'State', options, validForCreate: false, validForUpdate: true, requiredLevel: 'SystemRequired' });
export const status = (options: readonly OptionDef[]): AttributeDef => ({ logicalName: 'statuscode', type: 'Status', options, ...writable });
