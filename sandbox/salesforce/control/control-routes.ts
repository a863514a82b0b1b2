import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { SfRequestError, toRestErrors } from '../model/sf-error.js';
import type { SaveResult } from '../model/dml.js';
import type { SalesforceControl } from './control.js';

const PREFIX = '/_control/salesforce';

function body(req: EmuRequest): Record<string, unknown> {
  const text = req.text();
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function fieldsOf(b: Record<string, unknown>): Record<string, unknown> {
  const f = b['fields'];
  return f !== null && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : {};
}

function saved(result: SaveResult): EmuResponse {
  return { status: result.success ? 200 : 400, body: result };
}

function guard(handler: (req: EmuRequest) => EmuResponse): (req: EmuRequest) => EmuResponse {
  return (req) => {
    try {
      return handler(req);
    } catch (error) {
      if (error instanceof SfRequestError) return { status: error.status, body: toRestErrors(error.errors) };
      if (error instanceof SyntaxError) return { status: 400, body: [{ message: error.message, errorCode: 'JSON_PARSER_ERROR' }] };
      throw error;
    }
  };
}

/** The control API over HTTP, under `/_control/salesforce/...`, mirroring SalesforceControl. */
export function addControlRoutes(router: Router, control: SalesforceControl): void {
  const add = (method: string, path: string, handler: (req: EmuRequest) => EmuResponse): void => {
    router.add(method, `${PREFIX}${path}`, guard(handler), `control ${method} ${path}`);
  };
  add('GET', '/info', () => ({
    status: 200,
    body: { orgId: control.orgId, integrationUser: control.integrationUser, clientIds: control.clientIds, seed: control.seedSummary, apiUsage: control.apiUsage() },
  }));
  add('GET', '/records/:type/:id', (req) => {
    const record = control.getRecord({ type: req.params['type'] ?? '', id: req.params['id'] ?? '' });
    return record ? { status: 200, body: record } : { status: 404, body: [{ message: 'no such record', errorCode: 'NOT_FOUND' }] };
  });
  add('POST', '/records/:type', (req) => {
    const b = body(req);
    return saved(control.createRecord({ type: req.params['type'] ?? '', fields: fieldsOf(b), allowDuplicates: b['allowDuplicates'] === true }));
  });
  add('PATCH', '/records/:type/:id', (req) => {
    const b = body(req);
    const stamp = typeof b['stamp'] === 'string' ? new Date(b['stamp']) : undefined;
    return saved(
      control.editRecord({
        type: req.params['type'] ?? '',
        id: req.params['id'] ?? '',
        fields: fieldsOf(b),
        system: b['system'] === true,
        ...(stamp ? { stamp } : {}),
        ...(typeof b['userId'] === 'string' ? { userId: b['userId'] } : {}),
      }),
    );
  });
  add('POST', '/records/:type/:id/edit-in-same-second', (req) => {
    const b = body(req);
    return saved(
      control.editInSameSecond({
        type: req.params['type'] ?? '',
        id: req.params['id'] ?? '',
        fields: fieldsOf(b),
        ...(typeof b['sameSecondAs'] === 'string' ? { sameSecondAs: b['sameSecondAs'] } : {}),
        ...(typeof b['userId'] === 'string' ? { userId: b['userId'] } : {}),
      }),
    );
  });
  add('POST', '/records/:type/batch-edit', (req) => {
    const edits = body(req)['edits'];
    const list = Array.isArray(edits) ? (edits as Array<{ id: string; fields: Record<string, unknown> }>) : [];
    return { status: 200, body: control.editRecords({ type: req.params['type'] ?? '', edits: list }) };
  });
  add('DELETE', '/records/:type/:id', (req) => saved(control.deleteRecord({ type: req.params['type'] ?? '', id: req.params['id'] ?? '' })));
  add('POST', '/records/:type/:id/undelete', (req) => saved(control.undeleteRecord({ type: req.params['type'] ?? '', id: req.params['id'] ?? '' })));
  add('GET', '/count', (req) => ({
    status: 200,
    body: {
      count: control.countRecords({
        type: req.query.get('type') ?? '',
        field: req.query.get('field') ?? '',
        value: req.query.get('value'),
        includeDeleted: req.query.get('includeDeleted') === 'true',
      }),
    },
  }));
  add('POST', '/query', (req) => {
    const b = body(req);
    return { status: 200, body: { records: control.query({ soql: String(b['soql'] ?? ''), includeDeleted: b['includeDeleted'] === true }) } };
  });
  add('GET', '/api-usage', () => ({ status: 200, body: control.apiUsage() }));
  add('PUT', '/api-usage', (req) => {
    control.setApiUsage(Number(body(req)['used'] ?? 0));
    return { status: 200, body: control.apiUsage() };
  });
  add('POST', '/sessions/expire', () => {
    control.expireAllSessions();
    return { status: 204 };
  });
  add('POST', '/jwt-keys', (req) => {
    const b = body(req);
    control.registerJwtKey({ publicKeyPem: String(b['publicKeyPem'] ?? ''), ...(typeof b['clientId'] === 'string' ? { clientId: b['clientId'] } : {}) });
    return { status: 204 };
  });
  add('POST', '/refresh-tokens', (req) => {
    const b = body(req);
    const token = control.issueRefreshToken({
      ...(typeof b['username'] === 'string' ? { username: b['username'] } : {}),
      ...(typeof b['clientId'] === 'string' ? { clientId: b['clientId'] } : {}),
    });
    return { status: 200, body: { refresh_token: token } };
  });
  add('POST', '/delete-log/purge', (req) => {
    control.purgeDeleteLog({ before: new Date(String(body(req)['before'] ?? '')) });
    return { status: 204 };
  });
}
