/**
 * A field need as Dataverse metadata: the body of `POST EntityDefinitions(...)/Attributes` with its
 * derived `@odata.type` ("Create and update column definitions using the Web API"), and of
 * `POST EntityDefinitions(...)/Keys` ("Define alternate keys using the Web API"). Setup sends
 * them; `crm setup --emit` writes them for an admin to import.
 */
import type { FieldNeed, PicklistOption } from '../../src/domain/crm-setup.js';
import { ConnectorError } from '../errors.js';

/** The longest single-line text column; longer text is a multiline (Memo) column. */
const STRING_MAX = 4000;
const LANGUAGE = 1033;

export type Json = Record<string, unknown>;

export const labelOf = (text: string): Json => ({
  '@odata.type': 'Microsoft.Dynamics.CRM.Label',
  LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: LANGUAGE }],
});

const NOT_REQUIRED = { Value: 'None', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' };

/** `cosell_referralid` -> `cosell_Referralid`: the logical name is the schema name in lower case. */
export function schemaNameOf(logicalName: string): string {
  const at = logicalName.indexOf('_') + 1;
  return `${logicalName.slice(0, at)}${logicalName.charAt(at).toUpperCase()}${logicalName.slice(at + 1)}`;
}

const cast = (type: string): string => `Microsoft.Dynamics.CRM.${type}`;

/** The column definition to create for `name` (a logical name with the publisher prefix). */
export function columnDefinition(name: string, need: FieldNeed): Json {
  const base = { SchemaName: schemaNameOf(name), DisplayName: labelOf(need.label), RequiredLevel: NOT_REQUIRED };
  switch (need.type) {
    case 'text': {
      const length = need.length ?? 255;
      return length > STRING_MAX
        ? { '@odata.type': cast('MemoAttributeMetadata'), ...base, MaxLength: length, Format: 'TextArea' }
        : { '@odata.type': cast('StringAttributeMetadata'), ...base, MaxLength: length, FormatName: { Value: 'Text' } };
    }
    case 'checkbox':
      return {
        '@odata.type': cast('BooleanAttributeMetadata'),
        ...base,
        DefaultValue: false,
        OptionSet: { '@odata.type': cast('BooleanOptionSetMetadata'), TrueOption: { Value: 1, Label: labelOf('Yes') }, FalseOption: { Value: 0, Label: labelOf('No') }, OptionSetType: 'Boolean' },
      };
    case 'date':
      return { '@odata.type': cast('DateTimeAttributeMetadata'), ...base, Format: 'DateOnly', DateTimeBehavior: { Value: 'DateOnly' } };
    case 'datetime':
      return { '@odata.type': cast('DateTimeAttributeMetadata'), ...base, Format: 'DateAndTime', DateTimeBehavior: { Value: 'UserLocal' } };
    case 'number':
      return { '@odata.type': cast('DecimalAttributeMetadata'), ...base, Precision: 2, MinValue: -100000000000, MaxValue: 100000000000 };
    case 'currency':
      return { '@odata.type': cast('MoneyAttributeMetadata'), ...base, Precision: 2, PrecisionSource: 2, MinValue: -922337203685477, MaxValue: 922337203685477 };
    case 'picklist': {
      const options = need.options.map((o) => {
        const value = Number(o.value);
        if (!Number.isInteger(value)) throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: `a choice column's values are whole numbers; the mapping gives ${name} the value ${JSON.stringify(o.value)}` });
        return { Value: value, Label: labelOf(o.label) };
      });
      return { '@odata.type': cast('PicklistAttributeMetadata'), ...base, OptionSet: { '@odata.type': cast('OptionSetMetadata'), IsGlobal: false, OptionSetType: 'Picklist', Options: options } };
    }
  }
}

/** The alternate key on one column (the referral id), upserts' key. */
export function alternateKeyDefinition(args: { name: string; columns: readonly string[] }): Json {
  return { SchemaName: args.name, DisplayName: labelOf('Referral ID'), KeyAttributes: [...args.columns] };
}

/** The body of `InsertStatusValue` for one status reason, under the state the mapping pairs it with. */
export function statusValueDefinition(args: { table: string; column: string; option: PicklistOption }): Json {
  return { EntityLogicalName: args.table, AttributeLogicalName: args.column, Value: Number(args.option.value), Label: labelOf(args.option.label), StateCode: args.option.status?.stateCode ?? 0 };
}
