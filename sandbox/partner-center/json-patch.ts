/**
 * RFC 6902 JSON Patch as Partner Center takes it (Partner Center docs, "Update a referral"): an array of
 * `replace` and `add` operations only; `add` to `/team/-` appends a member ("Update a referral").
 */
import { invalidRequest } from './errors.js';
import { isObject, type JsonObject } from './validation.js';

export interface PatchOperation {
  op: 'replace' | 'add';
  path: string[];
  value: unknown;
}

/** Top-level properties the server owns; a patch may not touch them (Partner Center docs, "Referral resources"; mpnId cannot change after creation). */
export const READ_ONLY_ROOTS: ReadonlySet<string> = new Set([
  'id',
  'engagementId',
  'direction',
  'createdDateTime',
  'updatedDateTime',
  'acceptedDateTime',
  'closedDateTime',
  'organizationId',
  'organizationName',
  'mpnId',
  'eTag',
  'links',
  'trackingInfo',
]);

/** Parses and checks a PATCH body; throws 400 invalidRequest for anything the service refuses. */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw invalidRequest('The request body must be a non-empty JSON Patch array', 'body');
  }
  return body.map((raw, index) => {
    if (!isObject(raw)) throw invalidRequest(`Operation ${index} must be an object`, `[${index}]`);
    if (raw.op !== 'replace' && raw.op !== 'add') {
      throw invalidRequest(`Operation '${String(raw.op)}' is not supported; use replace or add`, `[${index}].op`);
    }
    if (typeof raw.path !== 'string' || !raw.path.startsWith('/') || raw.path === '/') {
      throw invalidRequest(`Operation ${index} needs a JSON Pointer path`, `[${index}].path`);
    }
    if (!('value' in raw)) throw invalidRequest(`Operation ${index} needs a value`, `[${index}].value`);
    const path = raw.path
      .slice(1)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const root = path[0] ?? '';
    if (READ_ONLY_ROOTS.has(root)) throw invalidRequest(`'${root}' cannot be changed`, raw.path);
    return { op: raw.op, path, value: raw.value };
  });
}

/** Applies the operations to `target` in place. */
export function applyPatch(target: JsonObject, operations: readonly PatchOperation[]): void {
  for (const operation of operations) applyOne(target, operation);
}

function applyOne(target: JsonObject, { op, path, value }: PatchOperation): void {
  const pointer = '/' + path.join('/');
  let parent: unknown = target;
  for (const segment of path.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[arrayIndex(segment, parent.length - 1, pointer)] : isObject(parent) ? parent[segment] : undefined;
    if (typeof parent !== 'object' || parent === null) throw invalidRequest(`Path '${pointer}' does not exist`, pointer);
  }
  const last = path[path.length - 1] ?? '';
  const copy = structuredClone(value);
  if (Array.isArray(parent)) {
    if (op === 'add') {
      const index = last === '-' ? parent.length : arrayIndex(last, parent.length, pointer);
      parent.splice(index, 0, copy);
    } else {
      parent[arrayIndex(last, parent.length - 1, pointer)] = copy;
    }
    return;
  }
  // Lenient on purpose: `replace` of a member the object lacks sets it, as the service's own
  // samples replace optional fields that may be absent.
  (parent as JsonObject)[last] = copy;
}

function arrayIndex(segment: string, max: number, pointer: string): number {
  if (!/^\d+$/.test(segment) || Number(segment) > max) throw invalidRequest(`Path '${pointer}' does not exist`, pointer);
  return Number(segment);
}
