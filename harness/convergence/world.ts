/**
 * The world a convergence story plays in: the sandbox emulators (Partner Center, Salesforce,
 * Entra) over TLS, one SQLite state store on disk, and the real engine composed from a config file
 * as the daemon is. Each cycle runs in a new "process" (a fresh engine on the same store, nothing
 * remembered in memory), and a process can be killed at any boundary: its N-th call to the store
 * or to a connector throws, and every later call or answer of that process is lost, as after
 * SIGKILL (a request already on the wire still lands).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { composeEngine } from '../../src/app/compose.js';
import { parseConfigText, type Config } from '../../src/config/index.js';
import type { EngineDeps } from '../../src/engine/types.js';
import { createLogger } from '../../src/logging/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { createSandboxCa, issueServerCert, type Pem } from '../../sandbox/shared/tls.js';
import { sandboxTime } from '../sandbox-time.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/** One CA and server certificate for every world of a process (key generation is slow). */
let certificates: { ca: Pem; serverCert: Pem } | undefined;
function sharedCertificates(): { ca: Pem; serverCert: Pem } {
  if (!certificates) {
    const ca = createSandboxCa();
    certificates = { ca, serverCert: issueServerCert(ca, { hosts: ['127.0.0.1', 'localhost'] }) };
  }
  return certificates;
}

/** What a killed process's calls and answers turn into. */
export class Killed extends Error {
  override readonly name = 'Killed';
  constructor(during?: string) {
    super(`the process was killed${during ? ` (${during} never answered)` : ''}`);
  }
}

/** Counts a process's boundary calls and kills it at the chosen one. */
class Mortality {
  calls = 0;
  dead = false;
  constructor(private readonly killAt: number | null) {}

  step(): void {
    if (this.dead) throw new Killed();
    this.calls++;
    if (this.killAt !== null && this.calls >= this.killAt) {
      this.dead = true;
      throw new Killed();
    }
  }

  /**
   * `step` for a call that answers with a promise: a killed process's call never answers, so it
   * rejects (asynchronously, as a real call would), never throws where the caller made the call.
   */
  stepAsync(): Promise<never> | null {
    try {
      this.step();
      return null;
    } catch (killed) {
      return Promise.reject(killed as Killed);
    }
  }

  /** An answer that arrives after the process died is never seen. */
  after<T>(answer: Promise<T>, during: string): Promise<T> {
    return answer.then(
      (value) => {
        if (this.dead) throw new Killed(during);
        return value;
      },
      (error: unknown) => {
        throw this.dead ? new Killed(during) : error;
      },
    );
  }
}

/** The boundary methods that answer at once rather than with a promise. */
const SYNC_METHODS: ReadonlySet<string> = new Set(['health', 'listChanged', 'readChanges']);

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';
const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/** `target` with every method call counted and killable (transactions hand out a mortal store too). */
function mortal<T extends object>(target: T, m: Mortality): T {
  return new Proxy(target, {
    get(object, name) {
      const value: unknown = Reflect.get(object, name, object);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (name === 'transaction') {
        return (fn: (tx: StateStore) => Promise<unknown>) => {
          const killed = m.stepAsync();
          if (killed) return killed;
          return m.after(method.call(object, (tx: StateStore) => fn(mortal(tx, m))) as Promise<unknown>, 'transaction');
        };
      }
      return (...args: unknown[]) => {
        if (SYNC_METHODS.has(String(name))) m.step();
        else {
          const killed = m.stepAsync();
          if (killed) return killed;
        }
        const out = method.apply(object, args);
        if (isPromise(out)) return m.after(out, String(name));
        if (isAsyncIterable(out)) return mortalIterable(out, m);
        return out;
      };
    },
  });
}

function mortalIterable<T>(source: AsyncIterable<T>, m: Mortality): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = source[Symbol.asyncIterator]();
      return {
        next: () => {
          m.step();
          return m.after(it.next(), 'next page');
        },
        return: async (value?: unknown) => (it.return ? it.return(value as never) : { done: true as const, value: undefined as never }),
      };
    },
  };
}

export interface ProcessResult<T> {
  outcome: 'done' | 'killed' | 'failed';
  value?: T;
  error?: unknown;
  /** Boundary calls the process made (a kill point beyond this never fired). */
  calls: number;
}

export interface World {
  seed: number;
  sandbox: Sandbox;
  store: StateStore;
  config: Config;
  /** Runs `work` in a new process; with `killAt`, the process dies at that boundary call. */
  process<T>(work: (deps: EngineDeps) => Promise<T>, killAt?: number | null): Promise<ProcessResult<T>>;
  /** The operator signs in to Partner Center (device code), as `cosell-sync auth login`. */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

export async function openWorld(args: { seed: number; log?: (line: string) => void }): Promise<World> {
  const sandbox = await startSandbox({
    seed: args.seed,
    size: 5,
    referrals: 0,
    crms: ['salesforce'],
    salesforce: { participatingRate: 0 },
    ...sharedCertificates(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'cosell-converge-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: ['salesforce'], mappingsDir: join(repoRoot, 'mappings'), serverPort: 0 });
  const parsed = parseConfigText({ text: yaml, env, cwd: repoRoot });
  if (!parsed.ok) throw new Error(`sandbox config invalid: ${JSON.stringify(parsed.error)}`);
  const config = parsed.value;
  const logger: Logger = args.log
    ? createLogger({ level: 'debug', pretty: false, destination: new Writable({ write: (chunk: Buffer, _enc, done) => (args.log?.(chunk.toString().trimEnd()), done()) }) })
    : createLogger({ level: 'silent', pretty: false });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state.sqlite') });
  const clock = sandboxTime(sandbox);
  // Failures are retried until the story is over: a transient fault must never end a record's sync.
  const overrides = { retry: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 1_000 } };

  const world: World = {
    seed: args.seed,
    sandbox,
    store,
    config,
    async process(work, killAt = null) {
      const m = new Mortality(killAt);
      const engine = composeEngine({ config, logger, store: mortal(store, m), clock, overrides });
      const deps: EngineDeps = {
        ...engine.deps,
        partnerCenter: mortal(engine.deps.partnerCenter, m),
        crms: engine.deps.crms.map((side) => ({ ...side, connector: mortal(side.connector, m) })),
      };
      try {
        const value = await work(deps);
        return { outcome: m.dead ? 'killed' : 'done', value, calls: m.calls };
      } catch (error) {
        return { outcome: m.dead ? 'killed' : 'failed', error, calls: m.calls };
      } finally {
        await engine.close().catch(() => undefined);
      }
    },
    async signIn() {
      const engine = composeEngine({ config, logger, store, clock });
      try {
        await engine.partnerCenter.login?.loginWithDeviceCode({ onCode: () => undefined });
      } finally {
        await engine.close();
      }
    },
    async close() {
      await store.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.signIn();
  return world;
}
