/**
 * Salesforce REST wire shapes (Salesforce REST API Developer Guide) and their parsing. Vendor shapes stay here; the
 * canonical CrmRecord is built in ../record-parse.ts.
 */

/** A row as the query endpoints return it: `attributes`, fields, parent objects, child results. */
export interface SalesforceRow {
  attributes?: { type: string; url?: string };
  [field: string]: unknown;
}

/** "Query": query / queryAll / next page. */
export interface SalesforceQueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SalesforceRow[];
}

/** "sObject Collections": per-row result of a collection call (note `statusCode`, not `errorCode`). */
export interface SalesforceSaveResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

/** "sObject Describe": the keys the connector reads. */
export interface SalesforceDescribeField {
  name: string;
  type: string;
  label: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  picklistValues?: { value: string; active: boolean }[];
  relationshipName?: string | null;
  referenceTo?: string[];
  /** A custom field (`__c`), and one marked External ID (read by `crm setup`). */
  custom?: boolean;
  externalId?: boolean;
}

export interface SalesforceDescribe {
  name: string;
  fields: SalesforceDescribeField[];
  childRelationships?: { relationshipName: string | null; childSObject: string; field: string }[];
}

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseQueryPage(body: unknown, what: string): SalesforceQueryPage {
  if (!isObject(body) || !Array.isArray(body['records']) || typeof body['done'] !== 'boolean') {
    throw new WireFormatError(`${what}: not a query result`);
  }
  const next = body['nextRecordsUrl'];
  if (body['done'] === false && typeof next !== 'string') throw new WireFormatError(`${what}: done=false without nextRecordsUrl`);
  return {
    totalSize: typeof body['totalSize'] === 'number' ? body['totalSize'] : body['records'].length,
    done: body['done'],
    ...(typeof next === 'string' ? { nextRecordsUrl: next } : {}),
    records: body['records'].filter(isObject) as SalesforceRow[],
  };
}

/** A nested child result (`OpportunityContactRoles`): null when there are no rows. */
export function parseChildResult(value: unknown, what: string): SalesforceQueryPage | null {
  if (value === null || value === undefined) return null;
  return parseQueryPage(value, what);
}

export function parseSaveResults(body: unknown, expected: number, what: string): SalesforceSaveResult[] {
  if (!Array.isArray(body) || body.length !== expected) {
    throw new WireFormatError(`${what}: expected ${expected} results, got ${Array.isArray(body) ? body.length : typeof body}`);
  }
  return body.map((row, i) => {
    if (!isObject(row) || typeof row['success'] !== 'boolean') throw new WireFormatError(`${what}: result ${i} malformed`);
    const errors = Array.isArray(row['errors']) ? row['errors'].filter(isObject) : [];
    return {
      id: typeof row['id'] === 'string' ? row['id'] : null,
      success: row['success'],
      ...(typeof row['created'] === 'boolean' ? { created: row['created'] } : {}),
      errors: errors.map((e) => ({
        statusCode: typeof e['statusCode'] === 'string' ? e['statusCode'] : 'UNKNOWN_EXCEPTION',
        message: typeof e['message'] === 'string' ? e['message'] : '',
        ...(Array.isArray(e['fields']) ? { fields: e['fields'].filter((f): f is string => typeof f === 'string') } : {}),
      })),
    };
  });
}

export function parseDescribe(body: unknown, what: string): SalesforceDescribe {
  if (!isObject(body) || typeof body['name'] !== 'string' || !Array.isArray(body['fields'])) {
    throw new WireFormatError(`${what}: not a describe result`);
  }
  const fields = body['fields'].filter(isObject).map((f, i): SalesforceDescribeField => {
    if (typeof f['name'] !== 'string' || typeof f['type'] !== 'string') throw new WireFormatError(`${what}: field ${i} malformed`);
    const picklist = Array.isArray(f['picklistValues']) ? f['picklistValues'].filter(isObject) : [];
    return {
      name: f['name'],
      type: f['type'],
      label: typeof f['label'] === 'string' ? f['label'] : f['name'],
      length: typeof f['length'] === 'number' ? f['length'] : 0,
      createable: f['createable'] === true,
      updateable: f['updateable'] === true,
      // Absent means nillable: only an explicit false forbids null.
      nillable: f['nillable'] !== false,
      picklistValues: picklist
        .filter((p) => typeof p['value'] === 'string')
        .map((p) => ({ value: p['value'] as string, active: p['active'] !== false })),
      relationshipName: typeof f['relationshipName'] === 'string' ? f['relationshipName'] : null,
      referenceTo: Array.isArray(f['referenceTo']) ? f['referenceTo'].filter((r): r is string => typeof r === 'string') : [],
      custom: f['custom'] === true,
      externalId: f['externalId'] === true,
    };
  });
  const children = Array.isArray(body['childRelationships']) ? body['childRelationships'].filter(isObject) : [];
  return {
    name: body['name'],
    fields,
    childRelationships: children.map((c) => ({
      relationshipName: typeof c['relationshipName'] === 'string' ? c['relationshipName'] : null,
      childSObject: typeof c['childSObject'] === 'string' ? c['childSObject'] : '',
      field: typeof c['field'] === 'string' ? c['field'] : '',
    })),
  };
}
