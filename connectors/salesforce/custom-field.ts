/**
 * A field need as Salesforce metadata: the `CustomField` Metadata the Tooling API takes (Tooling
 * API Developer Guide, CustomField) and, in the same shape, what the source format writes
 * (Metadata API Developer Guide, CustomField). Text longer than 255 is a Long Text Area.
 */
import type { FieldNeed, PicklistOption } from '../../src/domain/crm-setup.js';

/** The longest Text field; longer text is a Long Text Area. */
const TEXT_MAX = 255;

export type MetadataValue = string | number | boolean | MetadataValue[] | { [key: string]: MetadataValue };
export type CustomFieldMetadata = Record<string, MetadataValue>;

const picklistValue = (o: PicklistOption): MetadataValue => ({ fullName: o.value, default: false, label: o.label });

/** The values of a restricted local picklist, in the mapping's order. */
export function valueSetOf(options: readonly PicklistOption[]): MetadataValue {
  return { restricted: true, valueSetDefinition: { sorted: false, value: options.map(picklistValue) } };
}

export function customFieldMetadata(need: FieldNeed): CustomFieldMetadata {
  const label = need.label.slice(0, 40);
  switch (need.type) {
    case 'text': {
      const length = need.length ?? TEXT_MAX;
      if (length > TEXT_MAX) return { label, length, type: 'LongTextArea', visibleLines: 3 };
      return need.externalId
        ? { caseSensitive: false, externalId: true, label, length, required: false, type: 'Text', unique: true }
        : { externalId: false, label, length, required: false, type: 'Text', unique: false };
    }
    case 'checkbox':
      return { defaultValue: 'false', label, type: 'Checkbox' };
    case 'number':
      return { label, precision: 18, required: false, scale: 2, type: 'Number' };
    case 'currency':
      return { label, precision: 18, required: false, scale: 2, type: 'Currency' };
    case 'date':
      return { label, required: false, type: 'Date' };
    case 'datetime':
      return { label, required: false, type: 'DateTime' };
    case 'picklist':
      return { label, required: false, type: 'Picklist', valueSet: valueSetOf(need.options) };
  }
}

/**
 * An opportunity stage as the `OpportunityStage` standard value set holds it: closed and won as the
 * mapping reads the stage, with the probability and forecast category a new org gives such stages.
 */
export function stageValue(o: PicklistOption): { [key: string]: MetadataValue } {
  const closed = o.status?.closed === true;
  const won = o.status?.won === true;
  return { fullName: o.value, default: false, label: o.label, closed, forecastCategory: won ? 'Closed' : closed ? 'Omitted' : 'Pipeline', probability: won ? 100 : closed ? 0 : 10, won };
}
