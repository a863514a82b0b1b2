import { STANDARD_SHAPE, type OrgShape } from '../../org-profiles.js';
import { accountDef } from './account.js';
import type { ChildRelationshipDef, FieldDef, ObjectDef } from './field-def.js';
import { opportunityDef } from './opportunity.js';
import { OPPORTUNITY_CONTACT_ROLE, OPPORTUNITY_STAGE, OPPORTUNITY_TEAM_MEMBER } from './opportunity-children.js';
import { CONTACT, LEAD, USER } from './people.js';
import { FIELD_PERMISSIONS, PERMISSION_SET, PERMISSION_SET_ASSIGNMENT } from './permissions.js';

/** An object with case-insensitive lookups (SOQL and JSON bodies name fields in any case). */
export interface ObjectSchema {
  /** The current definition; replaced (never edited) when a field is added or changed. */
  readonly def: ObjectDef;
  field(name: string): FieldDef | undefined;
  /** A lookup field by its relationship name (`Account` -> AccountId). */
  relationship(name: string): FieldDef | undefined;
  child(relationshipName: string): ChildRelationshipDef | undefined;
  readonly externalIdFields: readonly FieldDef[];
}

/** The mutable schema of one object: the Tooling API adds and changes custom fields at run time. */
class LiveObjectSchema implements ObjectSchema {
  def: ObjectDef;
  externalIdFields: readonly FieldDef[] = [];
  private byName = new Map<string, FieldDef>();
  private byRelationship = new Map<string, FieldDef>();
  private readonly children: Map<string, ChildRelationshipDef>;

  constructor(def: ObjectDef) {
    this.def = def;
    this.children = new Map(def.childRelationships.map((c) => [c.relationshipName.toLowerCase(), c]));
    this.index();
  }

  field(name: string): FieldDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  relationship(name: string): FieldDef | undefined {
    return this.byRelationship.get(name.toLowerCase());
  }

  child(relationshipName: string): ChildRelationshipDef | undefined {
    return this.children.get(relationshipName.toLowerCase());
  }

  /** Adds a field, or replaces the field of the same name. */
  putField(field: FieldDef): void {
    const at = this.def.fields.findIndex((f) => f.name.toLowerCase() === field.name.toLowerCase());
    const fields = at < 0 ? [...this.def.fields, field] : this.def.fields.map((f, i) => (i === at ? field : f));
    this.def = { ...this.def, fields };
    this.index();
  }

  private index(): void {
    this.byName = new Map(this.def.fields.map((f) => [f.name.toLowerCase(), f]));
    this.byRelationship = new Map(
      this.def.fields.filter((f) => f.relationshipName !== null).map((f) => [String(f.relationshipName).toLowerCase(), f]),
    );
    this.externalIdFields = this.def.fields.filter((f) => f.externalId || f.unique);
  }
}

/** The sObjects of an org of this shape. */
export const objectDefsOf = (shape: OrgShape): readonly ObjectDef[] => [
  accountDef(shape),
  CONTACT,
  FIELD_PERMISSIONS,
  LEAD,
  opportunityDef(shape),
  OPPORTUNITY_CONTACT_ROLE,
  OPPORTUNITY_STAGE,
  OPPORTUNITY_TEAM_MEMBER,
  PERMISSION_SET,
  PERMISSION_SET_ASSIGNMENT,
  USER,
];

/** Objects whose custom fields the default mappings use (docs/crm-custom-fields.md). */
const MAPPED_OBJECTS: ReadonlySet<string> = new Set(['Opportunity', 'Lead', 'Account']);

/** The definitions without the mapped objects' custom fields: an org before `crm setup`. */
export function withoutCustomFields(defs: readonly ObjectDef[] = objectDefsOf(STANDARD_SHAPE)): ObjectDef[] {
  return defs.map((def) => (MAPPED_OBJECTS.has(def.name) ? { ...def, fields: def.fields.filter((f) => !f.custom) } : def));
}

/** The sObjects of the sandbox org (the standard shape unless given others). */
export class Catalog {
  private readonly byName = new Map<string, LiveObjectSchema>();
  private readonly byPrefix = new Map<string, LiveObjectSchema>();

  constructor(defs: readonly ObjectDef[] = objectDefsOf(STANDARD_SHAPE)) {
    for (const def of defs) {
      const schema = new LiveObjectSchema(def);
      this.byName.set(def.name.toLowerCase(), schema);
      this.byPrefix.set(def.keyPrefix, schema);
    }
  }

  object(name: string): ObjectSchema | undefined {
    return this.byName.get(name.toLowerCase());
  }

  objectOfId(id: string): ObjectSchema | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  objects(): ObjectSchema[] {
    return [...this.byName.values()];
  }

  /** Adds or replaces a field of an existing object (the org's tables follow through SalesforceOrg). */
  putField(objectName: string, field: FieldDef): void {
    const schema = this.byName.get(objectName.toLowerCase());
    if (!schema) throw new Error(`no object ${objectName}`);
    schema.putField(field);
  }
}
