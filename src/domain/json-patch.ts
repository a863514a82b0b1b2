/** One operation of a JSON Patch (RFC 6902) document, as a referral update sends it. */
export interface JsonPatchOp {
  op: 'replace' | 'add';
  path: string;
  value: unknown;
}
