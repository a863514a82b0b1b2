/**
 * Delivers referral events to the registered URL (Partner Center docs, "Partner Center webhooks"): signed, asynchronous
 * (the API answer never waits), retried with doubling backoff up to 10 attempts, then parked in
 * an offline queue with no further delivery.
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

const MAX_IN_FLIGHT = 8;
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

  constructor(
    private readonly deps: {
      registrations: RegistrationBook;
      signer: WebhookSigner;
      options: WebhookOptions;
      certificateUrl: () => string;
    },
  ) {}

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
    setImmediate(() => this.start(record, payload, registration.SignatureTokenToMsSignatureHeader));
  }

  private start(record: DeliveryRecord, payload: WebhookPayload, msSignatureHeader: boolean): void {
    if (this.disposed) return;
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const signature = this.deps.signer.sign(body);
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
    this.settleIdle();
  }

  private attempt(record: DeliveryRecord, body: Buffer, headers: Record<string, string>): void {
    this.withSlot(async () => {
      if (this.disposed) return;
      record.attempts += 1;
      const outcome = await post({ url: record.url, body, headers, timeoutMs: this.deps.options.attemptTimeoutMs, ca: this.deps.options.trustedCaCert });
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
    if (this.inFlight < MAX_IN_FLIGHT) run();
    else this.waiting.push(run);
  }
}

function post(args: {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
  ca: string | undefined;
}): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve) => {
    const url = new URL(args.url);
    const options = { method: 'POST', headers: { ...args.headers, 'Content-Length': String(args.body.length) }, timeout: args.timeoutMs };
    const done = (status: number | null, error: string | null): void => resolve({ status, error });
    const onResponse = (res: http.IncomingMessage): void => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? null, null));
      res.on('error', (error) => done(res.statusCode ?? null, error.message));
    };
    const req =
      url.protocol === 'https:'
        ? https.request(url, { ...options, ...(args.ca ? { ca: args.ca } : {}) }, onResponse)
        : http.request(url, options, onResponse);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => done(null, error.message));
    req.end(args.body);
  });
}
