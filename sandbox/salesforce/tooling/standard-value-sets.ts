/**
 * The Tooling API's `StandardValueSet` for the opportunity stages (Tooling API Developer Guide,
 * StandardValueSet; Metadata API Developer Guide, StandardValueSet): `SELECT Id, MasterLabel,
 * Metadata FROM StandardValueSet WHERE MasterLabel = 'OpportunityStage'` and a PATCH of its
 * Metadata, whose `standardValue` list becomes the StageName picklist. A stage keeps the meaning
 * the stage table gives it (schema/stages.ts); the emulator refuses removing a stage.
 */
import type { SalesforceOrg } from '../model/org.js';
import { requestError } from '../model/sf-error.js';
import { DEFAULT_STAGES } from '../schema/stages.js';

const SETS = { OpportunityStage: { object: 'Opportunity', field: 'StageName' } } as const;
type SetName = keyof typeof SETS;

interface StandardValue {
  fullName: string;
  label?: string;
  default?: boolean;
  closed?: boolean;
  won?: boolean;
  probability?: number;
  forecastCategory?: string;
}

export class StandardValueSets {
  private readonly ids = new Map<SetName, string>();

  constructor(private readonly org: SalesforceOrg) {}

  private idOf(name: SetName): string {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.org.newId('0Dh');
      this.ids.set(name, id);
    }
    return id;
  }

  private values(name: SetName): readonly string[] {
    const { object, field } = SETS[name];
    return this.org.catalog.object(object)?.field(field)?.picklist?.values ?? [];
  }

  private metadata(name: SetName): { sorted: boolean; standardValue: StandardValue[] } {
    const stages = new Map(DEFAULT_STAGES.map((s) => [s.apiName, s]));
    return {
      sorted: false,
      standardValue: this.values(name).map((value) => {
        const stage = stages.get(value);
        return { fullName: value, label: value, default: false, closed: stage?.isClosed ?? false, won: stage?.isWon ?? false, probability: stage?.defaultProbability ?? 10, forecastCategory: stage?.forecastCategoryName ?? 'Pipeline' };
      }),
    };
  }

  /** `GET tooling/query` on StandardValueSet: `WHERE MasterLabel = '<set>'` (one row) or every set. */
  query(soql: string, urlOf: (id: string) => string): Record<string, unknown> {
    const m = /^\s*SELECT\s+(.+?)\s+FROM\s+StandardValueSet(?:\s+WHERE\s+MasterLabel\s*=\s*'([^']*)')?\s*$/is.exec(soql);
    if (!m) throw requestError(400, 'MALFORMED_QUERY', "The emulator serves SELECT ... FROM StandardValueSet [WHERE MasterLabel = '...']");
    const columns = (m[1] ?? '').split(',').map((c) => c.trim());
    const names = (Object.keys(SETS) as SetName[]).filter((n) => m[2] === undefined || n.toLowerCase() === m[2].toLowerCase());
    const records = names.map((n) => {
      const row: Record<string, unknown> = { Id: this.idOf(n), MasterLabel: n, Metadata: this.metadata(n) };
      return { attributes: { type: 'StandardValueSet', url: urlOf(this.idOf(n)) }, ...Object.fromEntries(columns.map((c) => [c, row[c]])) };
    });
    return { size: records.length, totalSize: records.length, done: true, queryLocator: null, entityTypeName: 'StandardValueSet', records };
  }

  /** `PATCH tooling/sobjects/StandardValueSet/<id>`: the Metadata's values become the picklist's. */
  update(id: string, metadata: unknown): void {
    const name = (Object.keys(SETS) as SetName[]).find((n) => this.ids.get(n) === id);
    if (!name) throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const list = (metadata as { standardValue?: unknown } | null)?.standardValue;
    if (!Array.isArray(list) || list.some((v) => typeof (v as StandardValue | null)?.fullName !== 'string')) {
      throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Metadata.standardValue must list the values, each with a fullName');
    }
    const values = (list as StandardValue[]).map((v) => v.fullName);
    const removed = this.values(name).filter((v) => !values.includes(v));
    if (removed.length > 0) throw requestError(400, 'FIELD_INTEGRITY_EXCEPTION', `The emulator does not remove values (${removed.join(', ')})`);
    const { object, field } = SETS[name];
    const current = this.org.catalog.object(object)?.field(field);
    if (!current?.picklist) throw requestError(404, 'NOT_FOUND', `no ${object}.${field}`);
    this.org.putField(object, { ...current, picklist: { ...current.picklist, values } });
  }
}

