/** `cosell-sync webhooks register --url URL | status | unregister` (Partner Center docs, "Partner Center webhooks"). */
import type { Command } from 'commander';
import { ONE_URL_PER_EVENT_WARNING, createWebhookRegistrationClient } from '../../../connectors/partner-center/index.js';
import { trustedCa } from '../../app/compose.js';
import type { CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';
import type { WebhookRegistrationClient } from '../../../connectors/partner-center/index.js';

async function withRegistration(ctx: CliContext, configPath: string | undefined, fn: (client: WebhookRegistrationClient) => Promise<void>): Promise<void> {
  await withEngine(ctx, configPath, {}, async ({ config, engine, logger }) => {
    const ca = trustedCa(config);
    const origin = new URL(config.partnerCenter.webhookRegistrationUrl);
    const client = createWebhookRegistrationClient(
      { baseUrl: `${origin.origin}${origin.pathname.replace(/\/webhooks\/v1\/registration\/?$/, '')}`, ...(ca ? { ca } : {}) },
      { tokens: engine.partnerCenter.tokens, logger, clock: engine.deps.clock },
    );
    try {
      await fn(client);
    } finally {
      client.close();
    }
  });
}

export function register(program: Command, ctx: CliContext): void {
  const hooks = program.command('webhooks').description("Partner Center's change notifications to the daemon");
  hooks
    .command('register')
    .description('register the daemon\'s webhook URL for the four referral events')
    .requiredOption('--url <url>', 'the public https URL of the daemon\'s webhook path')
    .option(...CONFIG_OPTION)
    .action(async (options: { url: string; config?: string }) => {
      ctx.stderr(`warning: ${ONE_URL_PER_EVENT_WARNING}\n`);
      await withRegistration(ctx, options.config, async (client) => {
        const registration = await client.register({ url: options.url });
        ctx.stdout(`registered ${registration.webhookUrl} for ${registration.events.join(', ')}\n`);
      });
    });
  hooks
    .command('status')
    .description('show the current registration')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      await withRegistration(ctx, options.config, async (client) => {
        const registration = await client.get();
        ctx.stdout(registration ? `${registration.webhookUrl}: ${registration.events.join(', ')}\n` : 'no webhook registered\n');
      });
    });
  hooks
    .command('unregister')
    .description('remove the registration (the reconciliation poll keeps running)')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      await withRegistration(ctx, options.config, async (client) => {
        await client.unregister();
        ctx.stdout('webhook registration removed\n');
      });
    });
}
