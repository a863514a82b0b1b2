/**
 * The one HTTP server under every emulator: body reading, routing, fault injection, call counts
 * and the shared control routes (`/_control/stats`, `/_control/faults`, `/_control/faults/log`,
 * `/_control/clock`).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { SandboxClock } from './clock.js';
import { FaultInjector, parseFaultRules, type FaultRule } from './faults.js';
import { EmuHttpError, type EmuRequest, type EmuResponse, type Router } from './router.js';
import { CallStats } from './stats.js';

export { EmuHttpError, Router, type EmuRequest, type EmuResponse, type Handler } from './router.js';

export interface EmulatorServer {
  name: string;
  url: string;
  port: number;
  stats: CallStats;
  faults: FaultInjector;
  close(): Promise<void>;
}

export interface StartEmulatorArgs {
  name: string;
  router: Router;
  clock: SandboxClock;
  tls?: { key: string; cert: string };
  port?: number;
  host?: string;
  faults?: FaultRule[];
  faultSeed?: number;
  /** The vendor's error body for an injected error status. */
  errorBody?: (status: number) => { body: unknown; headers?: Record<string, string> };
}

function makeRequest(req: http.IncomingMessage, body: Buffer, base: string): Omit<EmuRequest, 'params'> {
  const url = new URL(req.url ?? '/', base);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    text: () => body.toString('utf8'),
    json: <T>() => {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        throw new EmuHttpError(400, { error: { code: 'BadRequest', message: 'The request body is not valid JSON.' } });
      }
    },
  };
}

function encode(res: EmuResponse): { headers: Record<string, string>; payload: Buffer | null } {
  const headers: Record<string, string> = { ...(res.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (res.body === undefined) return { headers, payload: null };
  if (Buffer.isBuffer(res.body)) return { headers, payload: res.body };
  if (typeof res.body === 'string') return { headers, payload: Buffer.from(res.body, 'utf8') };
  if (!hasType) headers['Content-Type'] = 'application/json';
  return { headers, payload: Buffer.from(JSON.stringify(res.body), 'utf8') };
}

function controlRoute(args: StartEmulatorArgs, stats: CallStats, faults: FaultInjector, req: Omit<EmuRequest, 'params'>): EmuResponse | null {
  const key = `${req.method} ${req.path}`;
  switch (key) {
    case 'GET /_control/stats':
      return { status: 200, body: { total: stats.total(), byRoute: stats.byRoute(), log: stats.log() } };
    case 'POST /_control/stats/reset':
      stats.reset();
      return { status: 204 };
    case 'GET /_control/faults':
      return { status: 200, body: faults.list() };
    case 'PUT /_control/faults': {
      const parsed = parseFaultRules(req.json());
      if (!parsed.ok) return { status: 400, body: { error: { code: 'InvalidFaultRules', message: parsed.message } } };
      faults.set(parsed.rules);
      return { status: 204 };
    }
    case 'GET /_control/faults/log':
      return { status: 200, body: faults.log() };
    case 'GET /_control/clock':
      return { status: 200, body: { now: args.clock.now().toISOString() } };
    case 'POST /_control/clock/advance':
      args.clock.advance(Number(req.json<{ ms: number }>().ms));
      return { status: 200, body: { now: args.clock.now().toISOString() } };
    default:
      return null;
  }
}

export async function startEmulatorServer(args: StartEmulatorArgs): Promise<EmulatorServer> {
  const stats = new CallStats();
  const initial = parseFaultRules(args.faults ?? []);
  if (!initial.ok) throw new Error(`${args.name} emulator: ${initial.message}`);
  const faults = new FaultInjector(initial.rules, args.faultSeed ?? 1);
  const sockets = new Set<Socket>();
  const scheme = args.tls ? 'https' : 'http';
  const host = args.host ?? '127.0.0.1';
  let base = `${scheme}://${host}`;

  /** `cut`: half of the body, then the socket closes (`truncate`) or is held open (`stall`). */
  const send = (res: http.ServerResponse, out: EmuResponse, cut: 'truncate' | 'stall' | null = null): void => {
    const { headers, payload } = encode(out);
    if (payload) headers['Content-Length'] = String(payload.length);
    res.writeHead(out.status, headers);
    if (!payload) return void res.end();
    if (cut) {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      if (cut === 'truncate') res.socket?.destroy();
      return;
    }
    res.end(payload);
  };

  const countCall = (routeName: string, request: Omit<EmuRequest, 'params'>, status: number, started: number): void => {
    stats.count(routeName, {
      at: args.clock.now().toISOString(),
      method: request.method,
      path: request.path,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => {
    const started = performance.now();
    const request = makeRequest(req, body, base);
    if (request.path.startsWith('/_control/')) {
      try {
        const control = controlRoute(args, stats, faults, request);
        if (control) return send(res, control);
      } catch (error) {
        if (error instanceof EmuHttpError) return send(res, { status: error.status, body: error.body });
        throw error;
      }
    }
    const found = args.router.find(request.method, request.path);
    const routeName = 'route' in found ? found.route.name : `${request.method} (unmatched)`;
    const isControl = request.path.startsWith('/_control/') || request.path.startsWith('/_certs/');
    const fault = isControl ? { delayMs: 0, action: { kind: 'none' as const } } : faults.decide(request.method, request.path);
    if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.action.kind === 'timeout') return;
    if (fault.action.kind === 'reset') return void req.socket.destroy();

    let out: EmuResponse;
    if (fault.action.kind === 'error') {
      const vendor = args.errorBody?.(fault.action.status) ?? { body: { error: { code: 'Injected', message: 'injected fault' } } };
      const headers = { ...(vendor.headers ?? {}) };
      if (fault.action.retryAfterSeconds !== null) headers['Retry-After'] = String(fault.action.retryAfterSeconds);
      out = { status: fault.action.status, headers, body: vendor.body };
    } else if (!('route' in found)) {
      out = found.methodMismatch
        ? { status: 405, body: { error: { code: 'MethodNotAllowed', message: `${request.method} is not allowed here` } } }
        : { status: 404, body: { error: { code: 'NotFound', message: `no resource at ${request.path}` } } };
    } else {
      try {
        out = await found.route.handler({ ...request, params: found.params });
      } catch (error) {
        out =
          error instanceof EmuHttpError
            ? { status: error.status, headers: error.headers, body: error.body }
            : { status: 500, body: { error: { code: 'InternalError', message: (error as Error).message } } };
      }
    }
    if (fault.action.kind === 'lostAnswer') {
      // The request was applied above; its answer never reaches the client.
      countCall(routeName, request, out.status, started);
      if (fault.action.as === 'reset') req.socket.destroy();
      return;
    }
    if (!isControl) countCall(routeName, request, out.status, started);
    send(res, out, fault.action.kind === 'truncate' || fault.action.kind === 'stall' ? fault.action.kind : null);
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: { code: 'InternalError', message: String(error) } } });
      });
    });
  };

  const server = args.tls ? https.createServer({ key: args.tls.key, cert: args.tls.cert }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `${scheme}://${host}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    name: args.name,
    url: base,
    port,
    stats,
    faults,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })),
  };
}
