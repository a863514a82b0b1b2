/**
 * Delivers referral events to the registered URL (Partner Center docs, "Partner Center webhooks"): signed, asynchronous
 * (the API answer never waits), retried with doubling backoff up to 10 attempts, then parked in
 * an offline queue with no further delivery. Each event goes out on its own as soon as it is
 * signed, concurrently with the others (a slow answer holds up no other event), over kept-alive
 * connections.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebhookOptions } from '../options.js';
import type { RegistrationBook, WebhookEventName } from './registration.js';
import type { WebhookSigner } from './signer.js';

/** Partner Center docs, "Partner Center webhooks", payload. */
export interface WebhookPayload {
  EventName: WebhookEventName;
  ResourceUri: string;
  ResourceName: 'referral';
  AuditUri: null;
  ResourceChangeUtcDate: string;
}

export interface DeliveryRecord {
  id: number;
  payload: WebhookPayload;
  url: string;
  attempts: number;
  state: 'pending' | 'delivered' | 'offline';
  lastStatus: number | null;
  lastError: string | null;
}

const MAX_RECORDS = 2000;

export class WebhookDispatcher {
  private readonly records: DeliveryRecord[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private pending = 0;
  private nextId = 1;
  private disposed = false;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(
    private readonly deps: {
      registrations: RegistrationBook;
      signer: WebhookSigner;
      options: WebhookOptions;
      certificateUrl: () => string;
    },
  ) {
    const ca = deps.options.trustedCaCert;
    this.agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }) };
  }

  /** Queues the event if the registration asks for it; returns at once. */
  publish(payload: WebhookPayload): void {
    const registration = this.deps.registrations.get();
    if (this.disposed || !registration) return;
    // A validation event goes out whatever the registration lists; it exists to test the URL.
    if (payload.EventName !== 'test-created' && !registration.WebhookEvents.includes(payload.EventName)) return;
    const record: DeliveryRecord = {
      id: this.nextId++,
      payload,
      url: registration.WebhookUrl,
      attempts: 0,
      state: 'pending',
      lastStatus: null,
      lastError: null,
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.pending += 1;
    // Signing (and making the signing certificate the first time) happens off the API's path.
    setImmediate(() => void this.start(record, payload, registration.SignatureTokenToMsSignatureHeader));
  }

  private async start(record: DeliveryRecord, payload: WebhookPayload, msSignatureHeader: boolean): Promise<void> {
    if (this.disposed) return;
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    let signature: string;
    try {
      signature = await this.deps.signer.signAsync(body);
    } catch (error) {
      record.lastError = `could not sign: ${error instanceof Error ? error.message : String(error)}`;
      return this.finish(record, 'offline');
    }
    if (this.disposed) return;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-ms-certificate-url': this.deps.certificateUrl(),
      'x-ms-signature-algorithm': 'rsa-sha256',
    };
    if (msSignatureHeader) headers['x-ms-signature'] = signature;
    else headers.Authorization = `Signature ${signature}`;
    this.attempt(record, body, headers);
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.records;
  }

  /** Resolves once no delivery is pending (delivered or parked offline). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.settleIdle();
  }

  private attempt(record: DeliveryRecord, body: Buffer, headers: Record<string, string>): void {
    this.withSlot(async () => {
      if (this.disposed) return;
      record.attempts += 1;
      const outcome = await post({ url: record.url, body, headers, timeoutMs: this.deps.options.attemptTimeoutMs, agents: this.agents });
      if (this.disposed) return;
      record.lastStatus = outcome.status;
      record.lastError = outcome.error;
      if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return this.finish(record, 'delivered');
      if (record.attempts >= this.deps.options.maxAttempts) return this.finish(record, 'offline');
      const { retryBaseMs, retryMaxMs } = this.deps.options;
      const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** (record.attempts - 1));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.attempt(record, body, headers);
      }, wait);
      this.timers.add(timer);
    });
  }

  private finish(record: DeliveryRecord, state: 'delivered' | 'offline'): void {
    record.state = state;
    this.pending -= 1;
    this.settleIdle();
  }

  private settleIdle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private withSlot(task: () => Promise<void>): void {
    const run = (): void => {
      this.inFlight += 1;
      task().finally(() => {
        this.inFlight -= 1;
        this.waiting.shift()?.();
      });
    };
    if (this.inFlight < this.deps.options.maxConcurrentDeliveries) run();
    else this.waiting.push(run);
  }
}

function post(args: {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
  agents: { http: http.Agent; https: https.Agent };
}): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve) => {
    const url = new URL(args.url);
    const options = { method: 'POST', headers: { ...args.headers, 'Content-Length': String(args.body.length) }, timeout: args.timeoutMs };
    const isHttps = url.protocol === 'https:';
    const done = (status: number | null, error: string | null): void => resolve({ status, error });
    const onResponse = (res: http.IncomingMessage): void => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? null, null));
      res.on('error', (error) => done(res.statusCode ?? null, error.message));
    };
    const req = isHttps ? https.request(url, { ...options, agent: args.agents.https }, onResponse) : http.request(url, { ...options, agent: args.agents.http }, onResponse);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => done(null, error.message));
    req.end(args.body);
  });
}
