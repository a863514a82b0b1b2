/**
 * Test harness: an Entra emulator and a Partner Center emulator on loopback, sharing one sandbox
 * clock, plus a delegated token and a small HTTP client (node http/https, trusting a given CA).
 */
import http from 'node:http';
import https from 'node:https';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { startPartnerCenterEmulator, type PartnerCenterOptionsInput } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // Tests read JSON bodies field by field; the shapes are the emulator's wire JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export function httpRequest(args: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  ca?: string;
}): Promise<HttpAnswer> {
  const url = new URL(args.url);
  const payload =
    args.body === undefined ? undefined : typeof args.body === 'string' ? args.body : JSON.stringify(args.body);
  const headers: Record<string, string> = { ...(args.headers ?? {}) };
  if (payload !== undefined) {
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
      });
    };
    const options = { method: args.method, headers, agent: false as const };
    const req =
      url.protocol === 'https:' ? https.request(url, { ...options, ...(args.ca ? { ca: args.ca } : {}) }, onResponse) : http.request(url, options, onResponse);
    req.on('error', reject);
    req.end(payload);
  });
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function form(values: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(values).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
}

/** A delegated token from the Entra emulator through the device-code grant (auto-approved). */
export async function userToken(entraUrl: string, scope: string, ca?: string): Promise<string> {
  const trust = ca ? { ca } : {};
  const start = form({ client_id: 'cosell-sync', scope: `${scope} offline_access openid` });
  const code = await httpRequest({ method: 'POST', url: `${entraUrl}/common/oauth2/v2.0/devicecode`, ...start, ...trust });
  const redeem = form({ client_id: 'cosell-sync', grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: code.json.device_code });
  const answer = await httpRequest({ method: 'POST', url: `${entraUrl}/common/oauth2/v2.0/token`, ...redeem, ...trust });
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
  return answer.json.access_token as string;
}

export const ADMIN = 'referral.admin@partner.example';
export const CLOCK_START = new Date('2026-03-02T09:00:00.000Z');
export const REFERRALS = '/v1.0/engagements/referrals';

export async function startHarness(args: { options?: PartnerCenterOptionsInput; size?: number; seed?: number } = {}) {
  const clock = new SandboxClock(CLOCK_START);
  // Tokens outlive the simulated months these tests jump through; expiry is tested with Entra.
  const entra = await startEntraEmulator({ clock, expiresInSeconds: 400 * 86_400 });
  const pc = await startPartnerCenterEmulator({
    clock,
    seed: args.seed ?? 7,
    size: args.size ?? 0,
    options: args.options ?? {},
    tokenValidator: entra.tokenValidator,
  });
  /** A delegated token for `upn`: the device-code grant, approved through the Entra control. */
  const tokenAs = async (upn: string, scope = 'https://api.partner.microsoft.com/.default'): Promise<string> => {
    const code = await httpRequest({ method: 'POST', url: `${entra.server.url}/common/oauth2/v2.0/devicecode`, ...form({ client_id: 'cosell-sync', scope }) });
    entra.control.approveDeviceCode({ userCode: code.json.user_code, upn });
    const redeem = form({ client_id: 'cosell-sync', grant_type: 'device_code', device_code: code.json.device_code });
    return (await httpRequest({ method: 'POST', url: `${entra.server.url}/common/oauth2/v2.0/token`, ...redeem })).json.access_token as string;
  };
  const token = await tokenAs(ADMIN);
  const api = (method: string, path: string, extra: { body?: unknown; headers?: Record<string, string> } = {}) =>
    httpRequest({ method, url: path.startsWith('http') ? path : `${pc.server.url}${path}`, headers: { Authorization: `Bearer ${token}`, ...extra.headers }, body: extra.body });
  return {
    clock,
    entra,
    pc,
    token,
    tokenAs,
    api,
    close: async () => {
      await pc.server.close();
      await entra.server.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** A valid outgoing referral body (Partner Center docs, "Referral resources"), with optional changes. */
export function referralBody(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Fabrikam - Cloud migration',
    externalReferenceId: '006000000000001AAA',
    type: 'Independent',
    qualification: 'SalesQualified',
    status: 'New',
    substatus: 'Pending',
    customerProfile: {
      name: 'Fabrikam Ltd',
      address: { addressLine1: '1 Main Street', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
      team: [{ firstName: 'Ana', lastName: 'Chen', email: 'ana.chen@fabrikam.example', phoneNumber: '+1 555 100 2000' }],
    },
    consent: { consentToToShareInfoWithOthers: false, consentToContact: true, consentToShareReferralWithMicrosoftSellers: false },
    details: { notes: 'Wants to move to Azure', dealValue: 50000, currency: 'USD', closingDateTime: '2026-06-30T00:00:00Z' },
    team: [{ firstName: 'Sven', lastName: 'Hansen', email: 'sven.hansen@partner.example' }],
    target: [{ type: 'SolutionProfile', id: 'SOL-12345-ABC' }],
    ...changes,
  };
}
