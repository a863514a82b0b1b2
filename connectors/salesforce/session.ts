/**
 * The jsforce Connection for one connector: version set explicitly (jsforce defaults to the old
 * 50.0), `Sforce-Call-Options` so CDC can tell our writes, and a `refreshFn`
 * that re-runs the grant when jsforce sees a 401. The transport bounds it to one refresh per
 * call (transport.ts); failures are reported through `onRefreshFailed` for classification.
 */
import { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { ConnectorError } from '../errors.js';
import type { Authenticator } from './auth.js';
import type { SalesforceOptions } from './options.js';

export async function openConnection(args: {
  options: SalesforceOptions;
  authenticator: Authenticator;
  logger: Logger;
  onRefreshFailed: (error: ConnectorError) => void;
}): Promise<Connection> {
  const { options, authenticator, logger } = args;
  const grant = await authenticator.fetchToken();
  const refreshFn = (conn: Connection, callback: (err: Error | null, accessToken?: string) => void): void => {
    authenticator.fetchToken().then(
      (fresh) => {
        if (fresh.instanceUrl && options.instanceUrl === undefined) conn.instanceUrl = fresh.instanceUrl;
        logger.info('Salesforce session refreshed');
        callback(null, fresh.accessToken);
      },
      (error: unknown) => {
        args.onRefreshFailed(
          error instanceof ConnectorError ? error : new ConnectorError({ kind: 'auth', system: 'salesforce', message: 'session refresh failed', cause: error }),
        );
        callback(error instanceof Error ? error : new Error('session refresh failed'));
      },
    );
  };
  return new Connection({
    version: options.apiVersion,
    loginUrl: options.loginUrl,
    instanceUrl: options.instanceUrl ?? grant.instanceUrl ?? options.loginUrl,
    accessToken: grant.accessToken,
    callOptions: { client: options.callOptionsClient },
    ...(authenticator.canRefresh ? { refreshFn } : {}),
  });
}
