import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  /** Parses the body as JSON; a bad body answers 400. */
  json<T = unknown>(): T;
  params: Record<string, string>;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** Object or array: JSON. String or Buffer: sent as is. Undefined: no body. */
  body?: unknown;
}

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

/** Thrown by a handler to answer with this status and body. */
export class EmuHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`emulated HTTP ${status}`);
  }
}

interface Route {
  method: string;
  match: (path: string) => Record<string, string> | null;
  handler: Handler;
  name: string;
}

function compilePattern(pattern: string | RegExp): (path: string) => Record<string, string> | null {
  if (pattern instanceof RegExp) {
    return (path) => {
      const m = pattern.exec(path);
      return m ? { ...(m.groups ?? {}) } : null;
    };
  }
  const parts = pattern.split('/');
  return (path) => {
    const segments = path.split('/');
    if (segments.length !== parts.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const segment = segments[i] as string;
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          return null;
        }
      } else if (part !== segment) return null;
    }
    return params;
  };
}

/** Routes match in insertion order; the route name keys the call counts. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string | RegExp, handler: Handler, routeName?: string): this {
    const upper = method.toUpperCase();
    this.routes.push({ method: upper, match: compilePattern(pattern), handler, name: routeName ?? `${upper} ${String(pattern)}` });
    return this;
  }

  /** The route for a request, or whether the path exists under another method (405). */
  find(method: string, path: string): { route: Route; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const params = route.match(path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      methodMismatch = true;
    }
    return { methodMismatch };
  }
}
