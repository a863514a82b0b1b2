import { ACCOUNT } from './account.js';
import type { ChildRelationshipDef, FieldDef, ObjectDef } from './field-def.js';
import { OPPORTUNITY } from './opportunity.js';
import { OPPORTUNITY_CONTACT_ROLE, OPPORTUNITY_STAGE, OPPORTUNITY_TEAM_MEMBER } from './opportunity-children.js';
import { CONTACT, LEAD, USER } from './people.js';

/** An object with case-insensitive lookups (SOQL and JSON bodies name fields in any case). */
export interface ObjectSchema {
  def: ObjectDef;
  field(name: string): FieldDef | undefined;
  /** A lookup field by its relationship name (`Account` -> AccountId). */
  relationship(name: string): FieldDef | undefined;
  child(relationshipName: string): ChildRelationshipDef | undefined;
  externalIdFields: readonly FieldDef[];
}

function prepare(def: ObjectDef): ObjectSchema {
  const byName = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
  const byRelationship = new Map(
    def.fields.filter((f) => f.relationshipName !== null).map((f) => [String(f.relationshipName).toLowerCase(), f]),
  );
  const children = new Map(def.childRelationships.map((c) => [c.relationshipName.toLowerCase(), c]));
  return {
    def,
    field: (name) => byName.get(name.toLowerCase()),
    relationship: (name) => byRelationship.get(name.toLowerCase()),
    child: (name) => children.get(name.toLowerCase()),
    externalIdFields: def.fields.filter((f) => f.externalId || f.unique),
  };
}

const ALL: readonly ObjectDef[] = [
  ACCOUNT,
  CONTACT,
  LEAD,
  OPPORTUNITY,
  OPPORTUNITY_CONTACT_ROLE,
  OPPORTUNITY_STAGE,
  OPPORTUNITY_TEAM_MEMBER,
  USER,
];

/** The sObjects of the sandbox org. */
export class Catalog {
  private readonly byName = new Map<string, ObjectSchema>();
  private readonly byPrefix = new Map<string, ObjectSchema>();

  constructor(defs: readonly ObjectDef[] = ALL) {
    for (const def of defs) {
      const schema = prepare(def);
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
}
