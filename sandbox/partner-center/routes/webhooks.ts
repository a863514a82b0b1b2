/**
 * Webhook registration on the CSP host path (Partner Center docs, "Partner Center webhooks"), its token audience
 * `https://api.partnercenter.microsoft.com`, and the signing certificate download.
 * CSP-side errors use the CSP shape `{ code, description, data, source }` (Partner Center docs, "Referrals API response codes").
 */
import { EmuHttpError, type EmuRequest, type Router } from '../../shared/http.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { readRegistration, SUPPORTED_EVENTS, type RegistrationBook } from '../webhooks/registration.js';
import { SIGNING_CERT_PATH, type WebhookSigner } from '../webhooks/signer.js';
import { bearerToken, CSP_AUDIENCE, responseHeaders, type RouteContext } from './context.js';

const BASE = '/webhooks/v1/registration';

function cspError(status: number, description: string): EmuHttpError {
  return new EmuHttpError(status, { code: status, description, data: [], source: 'PartnerCenter.Webhooks' });
}

export function addWebhookRoutes(
  router: Router,
  ctx: RouteContext & { registrations: RegistrationBook; signer: WebhookSigner; dispatcher: WebhookDispatcher },
): void {
  const guard = (req: EmuRequest): void => {
    const token = bearerToken(req);
    if (!token || !ctx.tokenValidator(token, CSP_AUDIENCE)) throw cspError(401, 'A valid token for https://api.partnercenter.microsoft.com is required');
  };
  const save = (req: EmuRequest, status: number): { status: number; headers: Record<string, string>; body: unknown } => {
    let body: unknown;
    try {
      body = req.json();
    } catch {
      throw cspError(400, 'The request body is not valid JSON');
    }
    const input = readRegistration(body);
    if (!input.ok) throw cspError(400, input.message);
    // Make the signing certificate now, so the first delivery does not wait for key generation.
    ctx.signer.certificate();
    return { status, headers: responseHeaders(req), body: ctx.registrations.register(input.value) };
  };

  router.add('GET', `${BASE}/events`, (req) => (guard(req), { status: 200, body: [...SUPPORTED_EVENTS] }), 'webhooks.events');
  router.add('POST', BASE, (req) => (guard(req), save(req, 200)), 'webhooks.register');
  router.add(
    'PUT',
    BASE,
    (req) => {
      guard(req);
      if (!ctx.registrations.get()) throw cspError(404, 'No webhook registration exists');
      return save(req, 200);
    },
    'webhooks.update',
  );
  router.add(
    'GET',
    BASE,
    (req) => {
      guard(req);
      const registration = ctx.registrations.get();
      if (!registration) throw cspError(404, 'No webhook registration exists');
      return { status: 200, headers: responseHeaders(req), body: registration };
    },
    'webhooks.get',
  );
  router.add(
    'DELETE',
    BASE,
    (req) => {
      guard(req);
      if (!ctx.registrations.remove()) throw cspError(404, 'No webhook registration exists');
      return { status: 204, headers: responseHeaders(req) };
    },
    'webhooks.delete',
  );
  // "Partner Center webhooks": `test-created` events help validate the setup.
  router.add(
    'POST',
    `${BASE}/validationEvents`,
    (req) => {
      guard(req);
      const registration = ctx.registrations.get();
      if (!registration) throw cspError(404, 'No webhook registration exists');
      const correlationId = responseHeaders(req)['Request-ID'] ?? '';
      ctx.dispatcher.publish({
        EventName: 'test-created',
        ResourceUri: `${ctx.options.baseUrl}/webhooks/v1/registration/validationEvents/${correlationId}`,
        ResourceName: 'referral',
        AuditUri: null,
        ResourceChangeUtcDate: ctx.clock.now().toISOString(),
      });
      return { status: 200, body: { CorrelationId: correlationId } };
    },
    'webhooks.validate',
  );
  router.add(
    'GET',
    SIGNING_CERT_PATH,
    () => ({ status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: ctx.signer.certificate().cert }),
    'webhooks.cert',
  );
}
