/**
 * Sets the bearer token on every Graph request. The SDK's own AuthenticationHandler deletes the
 * Authorization header for hosts it does not recognise as Graph over https (`customHosts` or not), which
 * includes the sandbox's http loopback, so the chain is built from this and HTTPMessageHandler.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** First link of the Graph middleware chain: adds `Authorization: Bearer <token>`, then hands on. */
export class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly token: () => Promise<string>) {}

  async execute(context: Context): Promise<void> {
    const token = await this.token();
    const options = context.options ?? {};
    const headers = options.headers;
    if (headers instanceof Headers) headers.set('Authorization', `Bearer ${token}`);
    else if (Array.isArray(headers)) headers.push(['Authorization', `Bearer ${token}`]);
    else options.headers = { ...headers, Authorization: `Bearer ${token}` };
    context.options = options;
    if (this.next === undefined) throw new Error('BearerMiddleware needs a next middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
