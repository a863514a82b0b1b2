/**
 * The control API over HTTP, under `/_control/partner-center/...`; no token needed.
 */
import type { Router } from '../../shared/http.js';
import { controlError, readMicrosoftSide, type PartnerCenterControl } from '../control.js';
import type { InboundCategory } from '../factories.js';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '../registrations.js';

const BASE = '/_control/partner-center';

export function addControlRoutes(router: Router, control: PartnerCenterControl): void {
  router.add('POST', `${BASE}/seed`, (req) => {
    const { count } = req.json<{ count?: number }>();
    if (!Number.isInteger(count) || (count ?? 0) < 1) throw controlError(400, 'count must be a positive integer');
    return { status: 200, body: { created: control.seed({ count: count as number }).length } };
  });
  router.add('GET', `${BASE}/referrals`, () => ({ status: 200, body: control.list() }));
  router.add('GET', `${BASE}/referrals/:id`, (req) => {
    const referral = control.get(req.params.id ?? '');
    if (!referral) throw controlError(404, 'no such referral');
    return { status: 200, body: referral };
  });
  router.add('PATCH', `${BASE}/referrals/:id`, (req) => ({
    status: 200,
    body: control.editAsUser({ id: req.params.id ?? '', changes: req.json() }),
  }));
  router.add('POST', `${BASE}/inbound`, (req) => {
    const body = req.json<{ category?: string; overrides?: Record<string, unknown>; receivedAt?: string }>();
    if (body.category !== 'lead' && body.category !== 'coSellInvite') throw controlError(400, "category must be 'lead' or 'coSellInvite'");
    const category: InboundCategory = body.category;
    const receivedAt = body.receivedAt === undefined ? undefined : new Date(body.receivedAt);
    if (receivedAt !== undefined && Number.isNaN(receivedAt.getTime())) throw controlError(400, 'receivedAt must be an ISO-8601 date-time');
    return { status: 201, body: control.createInbound({ category, ...(body.overrides ? { overrides: body.overrides } : {}), ...(receivedAt ? { receivedAt } : {}) }) };
  });
  router.add('POST', `${BASE}/microsoft-response`, (req) => {
    const body = req.json<{ referralId?: string; engagementId?: string; decision?: string; reason?: string }>();
    if (body.decision !== 'accept' && body.decision !== 'decline') throw controlError(400, "decision must be 'accept' or 'decline'");
    return { status: 200, body: control.microsoftRespond({ ...body, decision: body.decision }) };
  });
  router.add('POST', `${BASE}/referrals/:id/registration-review`, (req) => {
    const body = req.json<{ status?: string; reason?: string }>();
    if (body.status !== undefined && !(REGISTRATION_STATUSES as readonly string[]).includes(body.status)) throw controlError(400, `status must be one of ${REGISTRATION_STATUSES.join(', ')}`);
    const status = body.status as RegistrationStatus | undefined;
    return { status: 200, body: control.reviewRegistration({ referralId: req.params.id ?? '', ...(status ? { status } : {}), ...(body.reason ? { reason: body.reason } : {}) }) };
  });
  router.add('PUT', `${BASE}/microsoft-side`, (req) => ({ status: 200, body: control.setMicrosoftSide(readMicrosoftSide(req.json())) }));
  router.add('GET', `${BASE}/count`, (req) => {
    const id = req.query.get('externalReferenceId');
    if (id === null) throw controlError(400, 'externalReferenceId is required');
    return { status: 200, body: { externalReferenceId: id, count: control.countByExternalReferenceId(id) } };
  });
  router.add('GET', `${BASE}/webhooks/registration`, () => ({ status: 200, body: control.webhookRegistration() }));
  router.add('GET', `${BASE}/webhooks/deliveries`, () => ({ status: 200, body: control.webhookDeliveries() }));
  router.add('POST', `${BASE}/tick`, () => (control.tick(), { status: 204 }));
}
