/**
 * Builds the Partner Center emulator: store, simulation, webhooks, routes and control, with no
 * server, so tests can mount the router themselves (startPartnerCenterEmulator adds the server).
 */
import type { TokenValidator } from '../entra/types.js';
import type { SandboxClock } from '../shared/clock.js';
import { Router } from '../shared/http.js';
import { createRandom } from '../shared/random.js';
import type { Pem } from '../shared/tls.js';
import { controlError, toPatch, type PartnerCenterControl } from './control.js';
import { makePartnerIdentity } from './fake-data.js';
import { makeInbound, type FactoryDeps } from './factories.js';
import { resolveOptions, type PartnerCenterOptionsInput } from './options.js';
import { ReferralService } from './referral-service.js';
import { addApiRoutes } from './routes/api.js';
import { present, type RouteContext } from './routes/context.js';
import { addControlRoutes } from './routes/control.js';
import { addWebhookRoutes } from './routes/webhooks.js';
import { seedReferrals } from './seed.js';
import { Simulation } from './simulation.js';
import { ReferralStore } from './store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { eventsFor } from './webhooks/events.js';
import { RegistrationBook } from './webhooks/registration.js';
import { SIGNING_CERT_PATH, WebhookSigner } from './webhooks/signer.js';
import type { WireReferral } from './wire-types.js';

export interface PartnerCenterEmulatorArgs {
  clock: SandboxClock;
  /** Seed of every random choice: data, ids, Microsoft's answers. */
  seed: number;
  /** How many referrals to seed at start. */
  size: number;
  options?: PartnerCenterOptionsInput;
  /** Checks bearer tokens (from the Entra emulator). */
  tokenValidator: TokenValidator;
  /** A ready signing certificate for webhooks; else one is issued by `options.webhooks.ca` (or a new CA). */
  webhookSigningCert?: Pem;
}

/**
 * The Partner Center emulator without a server: `router` serves the referrals API, the webhook
 * registration API, the signing certificate and the control routes; `control` drives it in-process.
 * Seeds `size` referrals from `seed` at once, on `clock`.
 */
export function createPartnerCenterEmulator(args: PartnerCenterEmulatorArgs): { router: Router; control: PartnerCenterControl } {
  const options = resolveOptions(args.options);
  const { clock } = args;
  const random = createRandom(args.seed);
  const store = new ReferralStore(clock);
  const partner = makePartnerIdentity(random, { id: options.partnerOrganizationId, name: options.partnerOrganizationName });
  const factory: FactoryDeps = { store, random, partner, options };
  const simulation = new Simulation({ ...factory, clock, simRandom: createRandom(args.seed ^ 0x5eed) });
  const service = new ReferralService({ store, options, random, clock });
  const registrations = new RegistrationBook(random);
  const signer = new WebhookSigner({ ca: options.webhooks.ca, signing: args.webhookSigningCert });
  const dispatcher = new WebhookDispatcher({
    registrations,
    signer,
    options: options.webhooks,
    certificateUrl: () => `${options.baseUrl}${SIGNING_CERT_PATH}`,
  });
  const stopEvents = store.onChange((change) => {
    if (change.actor === 'seed') return;
    for (const payload of eventsFor({ change, store, options: options.webhooks, baseUrl: options.baseUrl })) dispatcher.publish(payload);
  });

  const show = (referral: WireReferral) => present(options, referral);
  const findRequest = (target: { referralId?: string; engagementId?: string }): WireReferral => {
    if (target.referralId) {
      const referral = store.get(target.referralId);
      if (!referral) throw controlError(404, `no referral ${target.referralId}`);
      if (!simulation.isAwaitingMicrosoft(referral)) throw controlError(409, 'that referral is not a co-sell request waiting for Microsoft');
      return referral;
    }
    const pending = target.engagementId ? store.engagement(target.engagementId).find((r) => simulation.isAwaitingMicrosoft(r)) : undefined;
    if (!pending) throw controlError(409, 'no co-sell request is waiting for Microsoft in that engagement');
    return pending;
  };

  const control: PartnerCenterControl = {
    seed: ({ count }) => seedReferrals({ ...factory, count, now: clock.now() }).map(show),
    list: () => [...store.all()].map(show),
    get: (id) => {
      const referral = store.get(id);
      return referral ? show(referral) : null;
    },
    createInbound: ({ category, overrides, receivedAt }) =>
      show(makeInbound(factory, category, { at: receivedAt && receivedAt < clock.now() ? receivedAt : clock.now(), status: 'New', substatus: 'Pending', actor: 'control', ...(overrides ? { extra: overrides } : {}) })),
    microsoftRespond: ({ decision, reason, ...target }) =>
      show(simulation.respond({ referral: findRequest(target), decision, actor: 'control', ...(reason ? { reason } : {}) })),
    reviewRegistration: ({ referralId, status, reason }) => {
      const reviewed = simulation.reviewRegistration({ referralId, actor: 'control', force: true, ...(status ? { status } : {}), ...(reason ? { reason } : {}) });
      if (!reviewed) throw controlError(409, `referral ${referralId} has no deal registration`);
      return show(reviewed);
    },
    editAsUser: ({ id, changes }) => show(service.patch({ id, body: toPatch(changes), actor: 'control' })),
    setMicrosoftSide: (switches) => {
      Object.assign(options.microsoftSide, switches);
      return { ...options.microsoftSide };
    },
    countByExternalReferenceId: (externalReferenceId) => service.countByExternalReferenceId(externalReferenceId),
    webhookRegistration: () => registrations.get(),
    webhookDeliveries: () => dispatcher.deliveries(),
    webhooksIdle: () => dispatcher.idle(),
    signingCertificatePem: () => signer.certificate().cert,
    tick: () => simulation.tick(),
    setBaseUrl: (url) => {
      options.baseUrl = url.replace(/\/$/, '');
    },
    dispose: () => {
      stopEvents();
      simulation.dispose();
      dispatcher.dispose();
    },
  };

  if (args.size > 0) seedReferrals({ ...factory, count: args.size, now: clock.now() });

  const router = new Router();
  const ctx: RouteContext = { service, simulation, options, tokenValidator: args.tokenValidator, clock };
  addApiRoutes(router, ctx);
  addWebhookRoutes(router, { ...ctx, registrations, signer, dispatcher });
  addControlRoutes(router, control);
  return { router, control };
}
