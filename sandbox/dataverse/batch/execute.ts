/**
 * Runs a `$batch` (Dataverse developer guide, "Execute batch operations using the Web API"): operations in order, change sets atomically (any failure
 * rolls the whole set back), `$n` Content-ID references inside a change set, at most 1,000
 * operations, stop at the first failure with 400 unless `Prefer: odata.continue-on-error`.
 */
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parsePrefer } from '../odata/prefer.js';
import type { DvRequest, DvResponse, Service } from '../ops/context.js';
import { relativeReference } from '../ops/references.js';
import { badRequest, CODES, DvError } from '../wire/errors.js';
import { BatchSyntaxError, boundaryOf, operationCount, parseBatch, type InnerRequest } from './multipart.js';

const MAX_OPERATIONS = 1000;

export type RunInner = (request: DvRequest) => DvResponse;

interface PartResult {
  contentId: string | null;
  response: DvResponse;
}

type Block = { kind: 'single'; result: PartResult } | { kind: 'changeset'; results: PartResult[] };

class ChangesetFailed extends Error {
  constructor(readonly results: PartResult[]) {
    super('change set failed');
  }
}

function toInner(outer: DvRequest, inner: InnerRequest, contentIds: Map<string, string> | undefined): DvRequest {
  let url = inner.url;
  const ref = /^\$([^/?(]+)(.*)$/.exec(url);
  if (ref) {
    const target = contentIds?.get(ref[1] as string);
    if (!target) throw badRequest(`Content-ID reference '$${ref[1]}' was not found in the change set.`);
    url = `${target}${ref[2] ?? ''}`;
  }
  const relative = relativeReference(url);
  const q = relative.indexOf('?');
  const rawQuery = q < 0 ? '' : relative.slice(q + 1);
  let resource = q < 0 ? relative : relative.slice(0, q);
  try {
    resource = decodeURIComponent(resource);
  } catch {
    throw badRequest(`The URL '${inner.url}' is not valid.`);
  }
  const request: DvRequest = { method: inner.method, resource, rawQuery, query: new URLSearchParams(rawQuery), headers: inner.headers, body: inner.body, apiBase: outer.apiBase };
  if (contentIds) request.contentIds = contentIds;
  return request;
}

function runOne(outer: DvRequest, inner: InnerRequest, run: RunInner, contentIds?: Map<string, string>): PartResult {
  try {
    if (/\$batch/.test(inner.url)) throw badRequest('Nested $batch requests are not supported.');
    return { contentId: inner.contentId, response: run(toInner(outer, inner, contentIds)) };
  } catch (error) {
    if (!(error instanceof DvError)) throw error;
    return { contentId: inner.contentId, response: { status: error.status, headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' }, body: error.body() } };
  }
}

function runChangeset(service: Service, outer: DvRequest, requests: InnerRequest[], run: RunInner): PartResult[] {
  const contentIds = new Map<string, string>();
  return service.store.atomic(() => {
    const results: PartResult[] = [];
    for (const inner of requests) {
      // GET is not allowed inside a change set ("Execute batch operations using the Web API").
      const result = inner.method === 'GET'
        ? { contentId: inner.contentId, response: { status: 400, headers: { 'Content-Type': 'application/json; odata.metadata=minimal' }, body: badRequest('GET requests are not allowed inside a change set.').body() } }
        : runOne(outer, inner, run, contentIds);
      results.push(result);
      if (result.response.status >= 400) throw new ChangesetFailed(results);
      if (inner.contentId && result.response.entityUrl) contentIds.set(inner.contentId, result.response.entityUrl);
    }
    return results;
  });
}

function writePart(lines: string[], result: PartResult): void {
  const { response } = result;
  lines.push('Content-Type: application/http', 'Content-Transfer-Encoding: binary');
  if (result.contentId) lines.push(`Content-ID: ${result.contentId}`);
  lines.push('', `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`);
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`);
  lines.push('');
  if (response.body !== undefined) lines.push(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
  lines.push('');
}

function format(blocks: Block[]): { boundary: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const lines: string[] = [];
  for (const block of blocks) {
    lines.push(`--${boundary}`);
    if (block.kind === 'single') {
      writePart(lines, block.result);
      continue;
    }
    const changeset = `changesetresponse_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`, '');
    for (const result of block.results) {
      lines.push(`--${changeset}`);
      writePart(lines, result);
    }
    lines.push(`--${changeset}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { boundary, body: lines.join('\r\n') };
}

export function executeBatch(service: Service, outer: DvRequest, run: RunInner): DvResponse {
  const boundary = boundaryOf(outer.headers['content-type']);
  if (!boundary) throw badRequest('The $batch request must be multipart/mixed with a boundary.', CODES.propertyNotFound);
  let parts;
  try {
    parts = parseBatch(outer.body, boundary);
  } catch (error) {
    if (error instanceof BatchSyntaxError) throw badRequest(`The $batch body is not valid: ${error.message}.`, CODES.propertyNotFound);
    throw error;
  }
  const count = operationCount(parts);
  if (count > MAX_OPERATIONS) throw badRequest(`The number of requests in the batch (${count}) exceeds the limit of ${MAX_OPERATIONS}.`);
  const continueOnError = parsePrefer(outer.headers['prefer']).continueOnError;
  const blocks: Block[] = [];
  let failed = false;
  for (const part of parts) {
    if (part.kind === 'request') {
      const result = runOne(outer, part.request, run);
      blocks.push({ kind: 'single', result });
      failed = result.response.status >= 400;
    } else {
      try {
        blocks.push({ kind: 'changeset', results: runChangeset(service, outer, part.requests, run) });
        failed = false;
      } catch (error) {
        if (!(error instanceof ChangesetFailed)) throw error;
        const last = error.results[error.results.length - 1] as PartResult;
        // Two readings of Microsoft's documentation (see options): one error part for the failed change set, or one part per operation run.
        blocks.push(service.options.changesetFailureParts === 'single' ? { kind: 'single', result: last } : { kind: 'changeset', results: error.results });
        failed = true;
      }
    }
    if (failed && !continueOnError) break;
  }
  const { boundary: responseBoundary, body } = format(blocks);
  const headers = { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' };
  return { status: failed && !continueOnError ? 400 : 200, headers, body };
}
