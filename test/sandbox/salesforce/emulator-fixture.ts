import jsforce from 'jsforce';
import type { OrgShape } from '../../../sandbox/org-profiles.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import type { EmulatorServer } from '../../../sandbox/shared/http.js';
import { startSalesforceEmulator, type SalesforceControl, type SalesforceEmulatorOptions } from '../../../sandbox/salesforce/index.js';

export interface Fixture {
  clock: SandboxClock;
  server: EmulatorServer;
  control: SalesforceControl;
  /** A jsforce connection (v60.0) with a fresh client-credentials token. */
  connect(args?: { version?: string; refreshFn?: (conn: unknown, cb: (err: Error | null, token?: string) => void) => void }): Promise<jsforce.Connection>;
  token(form: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; contentType: string | null }>;
  close(): Promise<void>;
}

/** A Salesforce emulator on 127.0.0.1 (random port) driven through the real jsforce. */
export async function startFixture({ size = 0, seed = 11, options, shape }: { size?: number; seed?: number; options?: SalesforceEmulatorOptions; shape?: OrgShape } = {}): Promise<Fixture> {
  const clock = new SandboxClock(new Date('2024-03-10T12:00:00Z'));
  const { server, control } = await startSalesforceEmulator({ clock, seed, size, ...(options ? { options } : {}), ...(shape ? { shape } : {}) });
  const token: Fixture['token'] = async (form, headers = {}) => {
    const res = await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, contentType: res.headers.get('content-type') };
  };
  const clientCredentials = async (): Promise<string> => {
    const res = await token({ grant_type: 'client_credentials', client_id: control.clientIds[0] ?? '', client_secret: control.clientSecret });
    return String(res.body['access_token']);
  };
  return {
    clock,
    server,
    control,
    token,
    connect: async ({ version = '60.0', refreshFn } = {}) =>
      new jsforce.Connection({
        instanceUrl: server.url,
        accessToken: await clientCredentials(),
        version,
        ...(refreshFn ? { refreshFn: refreshFn as never } : {}),
      }),
    close: () => server.close(),
  };
}
