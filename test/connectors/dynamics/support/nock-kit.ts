/** Shared pieces of the nock tests: the org URL, a fake clock, a connector and $batch answers. */
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector, type DynamicsOptionsInput } from '../../../../connectors/dynamics/index.js';
import { FakeClock as SharedFakeClock } from '../../../support/fake-clock.js';
import type { Clock } from '../../../../src/core/clock.js';

export const ORG = 'https://contoso.crm.dynamics.com';
export const API = '/api/data/v9.2/';

/** A clock whose sleeps return at once and are recorded. */
/** The shared fake clock, starting at this suite's moment. */
export class FakeClock extends SharedFakeClock {
  constructor(t = Date.parse('2026-03-02T09:00:00Z')) {
    super(t);
  }
}

export function nockConnector(args: { clock: Clock; options?: Partial<DynamicsOptionsInput> }): DynamicsConnector {
  return createDynamicsConnector(
    { auth: { kind: 'staticToken', accessToken: 'nock-token' }, url: ORG, ...args.options },
    { logger: pino({ level: 'silent' }), clock: args.clock },
  );
}

export interface Part {
  status: number;
  body?: unknown;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 412: 'Precondition Failed' };

function httpPart(part: Part, contentId: number | null): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== null) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `HTTP/1.1 ${part.status} ${STATUS_TEXT[part.status] ?? ''}`);
  if (part.body !== undefined) lines.push('Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0', '', JSON.stringify(part.body));
  else lines.push('', '');
  return lines.join('\r\n');
}

/** A multipart `$batch` answer (Dataverse developer guide, "Execute batch operations using the Web API"): arrays are change sets, single parts are GETs. */
export function batchAnswer(groups: (Part[] | Part)[]): { body: string; headers: Record<string, string> } {
  const boundary = 'batchresponse_5f3c2b8e-0000-4000-8000-000000000001';
  let id = 1;
  const parts = groups.map((group, i) => {
    if (!Array.isArray(group)) return httpPart(group, null);
    const cs = `changesetresponse_5f3c2b8e-0000-4000-8000-00000000010${i}`;
    const inner = group.map((p) => `--${cs}\r\n${httpPart(p, id++)}`).join('\r\n');
    return `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`;
  });
  return {
    body: `${parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n')}\r\n--${boundary}--\r\n`,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}`, 'OData-Version': '4.0' },
  };
}

export const row = (id: string, etag: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@odata.etag': `W/"${etag}"`,
  opportunityid: id,
  modifiedon: '2026-03-02T08:59:00Z',
  ...extra,
});
