/**
 * The daemon configuration that points at a running sandbox: YAML text for the file and the
 * secrets for the environment (never in the file), exactly as an operator would write them.
 */
import { randomBytes } from 'node:crypto';
import type { CrmSystem } from '../src/domain/crm-record.js';
import { SANDBOX_DV_CLIENT, SANDBOX_PC_CLIENT_ID, SANDBOX_SF_CLIENT, SANDBOX_SOLUTION_ID, SANDBOX_TENANT, type Sandbox } from './start-sandbox.js';

export { SANDBOX_PC_CLIENT_ID };

export interface DaemonConfigArgs {
  sandbox: Sandbox;
  storePath: string;
  caFile: string;
  /** Where inbound referrals land: the first CRM listed. */
  crms: readonly CrmSystem[];
  /** The admin listener's port (status page): a free one (`freePort()`), or 0 to let the daemon pick. */
  serverPort: number;
  /** The webhook listener's port (Partner Center posts here), on loopback too; default 0 (the daemon picks). */
  webhookPort?: number;
  /** Seconds between cycles (six-field cron). */
  everySeconds?: number;
  mappingsDir?: string;
  /** Partner Center requests in flight at once. */
  concurrency?: number;
  /** A Graph mail stand-in (`sandbox/graph/mail.ts`): notifications and expiry reminders go there, checked every cycle. */
  graphUrl?: string;
}

export function sandboxDaemonConfig(args: DaemonConfigArgs): { yaml: string; env: Record<string, string> } {
  const { sandbox } = args;
  const every = args.everySeconds ?? 10;
  const mappings = args.mappingsDir ?? 'mappings';
  const lines = [
    '# cosell-sync configuration for the local sandbox (written by `cosell-sync sandbox`).',
    '# Secrets come from the environment: see the .env file written beside this one.',
    'store:',
    '  kind: sqlite',
    `  path: ${JSON.stringify(args.storePath)}`,
    'partnerCenter:',
    `  baseUrl: ${sandbox.partnerCenter.server.url}/v1.0/engagements/referrals`,
    `  webhookRegistrationUrl: ${sandbox.partnerCenter.server.url}/webhooks/v1/registration`,
    '  auth:',
    '    mode: deviceCode',
    `    tenantId: ${SANDBOX_TENANT}`,
    `    clientId: ${SANDBOX_PC_CLIENT_ID}`,
    `    authority: ${sandbox.entra.server.url}`,
    `  solutionId: ${SANDBOX_SOLUTION_ID}`,
    '  filters: { externalReferenceId: server, updatedDateTime: server }',
    '  # The emulator publishes no limits; production keeps the cautious defaults.',
    `  rateLimit: { concurrency: ${args.concurrency ?? 16}, intervalCap: 100000, intervalMs: 1000 }`,
    '  webhooks:',
    '    enabled: true',
    '    path: /webhooks/partner-center',
    '    certificateHostAllowList: ["127.0.0.1"]',
  ];
  if (sandbox.salesforce && args.crms.includes('salesforce')) {
    lines.push(
      'salesforce:',
      `  loginUrl: ${sandbox.salesforce.server.url}`,
      '  auth:',
      '    mode: clientCredentials',
      `    clientId: ${SANDBOX_SF_CLIENT.clientId}`,
      `  mapping: ${mappings}/salesforce.yaml`,
    );
  }
  if (sandbox.dynamics && args.crms.includes('dynamics')) {
    lines.push(
      'dynamics:',
      `  url: ${sandbox.dynamics.server.url}`,
      '  auth:',
      '    mode: clientSecret',
      `    tenantId: ${SANDBOX_TENANT}`,
      `    clientId: ${SANDBOX_DV_CLIENT.clientId}`,
      `    authority: ${sandbox.entra.server.url}`,
      `  mapping: ${mappings}/dynamics.yaml`,
    );
  }
  lines.push(
    'sync:',
    '  schedule:',
    `    outbound: "*/${every} * * * * *"`,
    `    inbound: "*/${every} * * * * *"`,
    `    reconcile: "*/${every * 6} * * * * *"`,
    '  deletePolicy: hold',
    'server:',
    '  enabled: true',
    '  host: 127.0.0.1',
    `  port: ${args.serverPort}`,
    `  webhooks: { host: 127.0.0.1, port: ${args.webhookPort ?? 0} }`,
    'sandbox:',
    '  enabled: true',
    `  caFile: ${JSON.stringify(args.caFile)}`,
  );
  if (args.graphUrl !== undefined) {
    lines.push(
      'graph:',
      `  baseUrl: ${args.graphUrl}`,
      '  auth: { mode: staticToken }',
      '  sender: cosell-sync@partner.example',
      '  recipients: [sales-ops@partner.example]',
      'health:',
      `  reminders: { schedule: "*/${every} * * * * *" }`,
    );
  }
  return {
    yaml: `${lines.join('\n')}\n`,
    env: {
      // dynamics-web-api trusts the process's CAs only; Node reads this once, at start-up.
      NODE_EXTRA_CA_CERTS: args.caFile,
      COSELL_TOKEN_CACHE_KEY: randomBytes(32).toString('base64'),
      // The status page's sign-in and the JSON API's bearer token.
      COSELL_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      SALESFORCE_CLIENT_SECRET: SANDBOX_SF_CLIENT.clientSecret,
      DYNAMICS_CLIENT_SECRET: SANDBOX_DV_CLIENT.clientSecret,
      ...(args.graphUrl === undefined ? {} : { GRAPH_ACCESS_TOKEN: 'sandbox-graph-token' }),
    },
  };
}
