/** `/_control/dataverse/...`: the control API over HTTP, one route per DataverseControl method. */
import { EmuHttpError, type EmuRequest, type EmuResponse, type Router } from '../../shared/http.js';
import type { LimitKind } from '../http/service-protection.js';
import type { Value } from '../model/row.js';
import type { ServiceProtectionLimits } from '../options.js';
import { DvError } from '../wire/errors.js';
import type { DataverseControl } from './control.js';

const BASE = '/_control/dataverse';

function guarded(fn: (req: EmuRequest) => EmuResponse): (req: EmuRequest) => EmuResponse {
  return (req) => {
    try {
      return fn(req);
    } catch (error) {
      if (error instanceof DvError) throw new EmuHttpError(error.status, error.body());
      throw error;
    }
  };
}

function parseValue(text: string | null): Value {
  if (text === null || text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

export function addControlRoutes(router: Router, control: DataverseControl): void {
  const add = (method: string, path: string, fn: (req: EmuRequest) => EmuResponse): void => {
    router.add(method, `${BASE}${path}`, guarded(fn), `${method} ${BASE}${path}`);
  };
  add('GET', '/records/:table/:id', (req) => {
    const record = control.getRecord({ table: req.params['table'] ?? '', id: req.params['id'] ?? '' });
    if (!record) throw new EmuHttpError(404, { error: { code: '0x80040217', message: 'record not found' } });
    return { status: 200, body: record };
  });
  add('POST', '/records/:table', (req) => ({ status: 201, body: { id: control.createRecord({ table: req.params['table'] ?? '', values: req.json<Record<string, unknown>>() }) } }));
  add('PATCH', '/records/:table/:id', (req) => {
    control.editRecord({ table: req.params['table'] ?? '', id: req.params['id'] ?? '', values: req.json<Record<string, unknown>>() });
    return { status: 204 };
  });
  add('DELETE', '/records/:table/:id', (req) => {
    control.deleteRecord({ table: req.params['table'] ?? '', id: req.params['id'] ?? '' });
    return { status: 204 };
  });
  add('POST', '/opportunities/:id/close', (req) => {
    const body = req.json<{ won: boolean; status?: number; actualRevenue?: number }>();
    control.closeOpportunity({ id: req.params['id'] ?? '', won: body.won, ...(body.status !== undefined ? { status: body.status } : {}), ...(body.actualRevenue !== undefined ? { actualRevenue: body.actualRevenue } : {}) });
    return { status: 204 };
  });
  add('GET', '/count/:table', (req) => {
    const name = req.query.get('column');
    const args = name === null ? { table: req.params['table'] ?? '' } : { table: req.params['table'] ?? '', column: name, value: parseValue(req.query.get('value')) };
    return { status: 200, body: { count: control.count(args) } };
  });
  add('PUT', '/change-tracking/:table', (req) => {
    control.setChangeTracking({ table: req.params['table'] ?? '', enabled: req.json<{ enabled: boolean }>().enabled });
    return { status: 204 };
  });
  add('POST', '/delta-tokens/expire', () => {
    control.expireDeltaTokens();
    return { status: 204 };
  });
  add('PUT', '/delta-tokens', (req) => {
    control.setDeltaTokenExpired(req.json<{ expired: boolean }>().expired);
    return { status: 204 };
  });
  add('PUT', '/service-protection', (req) => {
    control.setServiceProtection(req.json<ServiceProtectionLimits | null>());
    return { status: 204 };
  });
  add('POST', '/service-protection/trip', (req) => {
    control.tripServiceProtection(req.json<{ kind: LimitKind; count?: number; retryAfterSeconds?: number }>());
    return { status: 204 };
  });
  add('POST', '/tokens', (req) => {
    control.addToken(req.json<{ token: string }>().token);
    return { status: 204 };
  });
  add('GET', '/calls', () => ({ status: 200, body: control.callCounts() }));
}
