import { createHash } from 'node:crypto';

/** A stable MetadataId (GUID shape) for a table, column or key name. */
export function metadataId(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
