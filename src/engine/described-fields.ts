import type { CrmFieldDescription, CrmObjectKind } from '../domain/crm-record.js';
import type { FieldDescriptions } from './crm-fit.js';
import type { CrmSide } from './types.js';

const described = new WeakMap<CrmSide, Map<CrmObjectKind, Promise<FieldDescriptions>>>();

/** The CRM's description of a kind's fields, asked once per connector (and only when writing). */
export function describedFields(side: CrmSide, kind: CrmObjectKind): Promise<FieldDescriptions> {
  let byKind = described.get(side);
  if (!byKind) described.set(side, (byKind = new Map()));
  let found = byKind.get(kind);
  if (!found) {
    found = side.connector.describe(kind).then((d) => new Map(d.fields.map((f): [string, CrmFieldDescription] => [f.path, f])));
    // A failed describe is asked again next time.
    found.catch(() => byKind.delete(kind));
    byKind.set(kind, found);
  }
  return found;
}
