/**
 * The `CustomField` rows of the Tooling API, derived from the org's schema: every custom field
 * of every object, with a stable `00N` id minted when it is first seen.
 */
import type { SalesforceOrg } from '../model/org.js';
import { requestError } from '../model/sf-error.js';
import type { FieldDef } from '../schema/field-def.js';
import { fieldFromMetadata, metadataOf, updatedField, type CustomFieldMetadata } from './custom-field-metadata.js';

export interface CustomFieldRow {
  Id: string;
  DeveloperName: string;
  /** The object's API name for a standard object (Tooling API: TableEnumOrId). */
  TableEnumOrId: string;
  FullName: string;
  Metadata: CustomFieldMetadata;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/;

export class CustomFields {
  private readonly ids = new Map<string, string>();
  private readonly byId = new Map<string, { object: string; field: string }>();

  constructor(private readonly org: SalesforceOrg) {}

  rows(): CustomFieldRow[] {
    return this.org.catalog.objects().flatMap((o) => o.def.fields.filter((f) => f.custom).map((f) => this.row(o.def.name, f)));
  }

  get(id: string): CustomFieldRow | undefined {
    const at = this.byId.get(id.slice(0, 15)) ?? this.byId.get(id);
    const def = at ? this.org.catalog.object(at.object)?.field(at.field) : undefined;
    return at && def ? this.row(at.object, def) : undefined;
  }

  /** `POST tooling/sobjects/CustomField`: the new field's id, or the API's refusal. */
  create(fullName: unknown, metadata: unknown): string {
    const [objectName, fieldName, extra] = typeof fullName === 'string' ? fullName.split('.') : [];
    if (!objectName || !fieldName || extra !== undefined) throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', `FullName must be Object.Field__c, not ${JSON.stringify(fullName)}`);
    const table = this.org.table(objectName);
    if (!table) throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', `Cannot find entity: ${objectName}`);
    if (!NAME.test(fieldName) || fieldName.length > 43) {
      throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', `Invalid field name ${fieldName}: a custom field name ends in __c, starts with a letter, has at most 40 characters before __c, and no double or trailing underscores`);
    }
    if (table.schema.field(fieldName)) {
      throw requestError(400, 'DUPLICATE_DEVELOPER_NAME', `There is already a field named ${fieldName.replace(/__c$/, '')} on ${table.schema.def.name}.`);
    }
    const def = fieldFromMetadata(fieldName, asMetadata(metadata));
    this.org.putField(table.schema.def.name, def);
    return this.idOf(table.schema.def.name, def.name);
  }

  /** `PATCH tooling/sobjects/CustomField/<id>`: a new Metadata for the field. */
  update(id: string, metadata: unknown): void {
    const row = this.get(id);
    const at = this.byId.get(id.slice(0, 15)) ?? this.byId.get(id);
    const current = at ? this.org.catalog.object(at.object)?.field(at.field) : undefined;
    if (!row || !at || !current) throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
    this.org.putField(at.object, updatedField(current, asMetadata(metadata)));
  }

  private row(object: string, def: FieldDef): CustomFieldRow {
    return { Id: this.idOf(object, def.name), DeveloperName: def.name.replace(/__c$/, ''), TableEnumOrId: object, FullName: `${object}.${def.name}`, Metadata: metadataOf(def) };
  }

  private idOf(object: string, fieldName: string): string {
    const key = `${object}.${fieldName}`.toLowerCase();
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.org.newId('00N');
      this.ids.set(key, id);
      this.byId.set(id.slice(0, 15), { object, field: fieldName });
      this.byId.set(id, { object, field: fieldName });
    }
    return id;
  }
}

function asMetadata(value: unknown): CustomFieldMetadata {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Metadata must be an object');
  return value as CustomFieldMetadata;
}
