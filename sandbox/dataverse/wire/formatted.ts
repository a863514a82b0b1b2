/**
 * `OData.Community.Display.V1.FormattedValue` texts. Real values follow the caller's locale and
 * currency (Dataverse developer guide, "Query data using the Web API"; the exact format is not documented); the emulator uses one fixed en-US format.
 */
import type { AttributeDef } from '../schema/types.js';
import type { Value } from '../model/row.js';

const number2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

function formatDate(iso: string, withTime: boolean): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const date = `${m}/${d}/${y}`;
  if (!withTime) return date;
  const hours = Number(iso.slice(11, 13));
  const minutes = iso.slice(14, 16);
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${date} ${h12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** The formatted text of a non-lookup value, or undefined when the type has none. */
export function formattedValue(attribute: AttributeDef, value: Value, currencySymbol: string): string | undefined {
  if (value === null) return undefined;
  switch (attribute.type) {
    case 'Picklist':
    case 'State':
    case 'Status':
      return attribute.options?.find((o) => o.value === value)?.label;
    case 'Boolean':
      return value ? 'Yes' : 'No';
    case 'Money':
      return `${currencySymbol}${number2.format(value as number)}`;
    case 'Integer':
    case 'BigInt':
    case 'Decimal':
      return integer.format(value as number);
    case 'DateTime':
      return formatDate(String(value), !attribute.dateOnly);
    default:
      return undefined;
  }
}
