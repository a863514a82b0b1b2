/** Starts a seeded Dataverse emulator on 127.0.0.1 and a real dynamics-web-api 2.5.0 client for it. */
import { DynamicsWebApi } from 'dynamics-web-api';
import type { OrgShape } from '../../../sandbox/org-profiles.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { startDataverseEmulator, type DataverseOptions, type StartedDataverseEmulator } from '../../../sandbox/dataverse/index.js';

export const TOKEN = 'dv-test-token';

export interface Harness {
  emulator: StartedDataverseEmulator;
  clock: SandboxClock;
  url: string;
  client(config?: { propagateErrors?: boolean }): DynamicsWebApi;
  /** Plain fetch against the API with the bearer token. */
  call(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(args: { size?: number; seed?: number; options?: DataverseOptions; shape?: OrgShape } = {}): Promise<Harness> {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  const emulator = await startDataverseEmulator({ clock, seed: args.seed ?? 42, size: args.size ?? 40, options: { staticTokens: [TOKEN], ...args.options }, ...(args.shape ? { shape: args.shape } : {}) });
  const url = emulator.server.url;
  return {
    emulator,
    clock,
    url,
    client: (config = {}) => new DynamicsWebApi({ serverUrl: url, dataApi: { version: '9.2' }, onTokenRefresh: async () => TOKEN, ...config }),
    call: (path, init = {}) =>
      fetch(`${url}/api/data/v9.2/${path}`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json', 'OData-Version': '4.0', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
      }),
    close: () => emulator.server.close(),
  };
}

/** The error a rejected dynamics-web-api call carries (status, code, headers; Dataverse developer guide, "Compose HTTP requests and handle errors"). */
export interface DwaError {
  status: number;
  code?: string;
  message: string;
  headers: Record<string, string>;
  error?: { code?: string };
}

export async function rejection(promise: Promise<unknown>): Promise<DwaError> {
  try {
    await promise;
  } catch (error) {
    return error as DwaError;
  }
  throw new Error('expected the call to fail');
}
