/** `cosell-sync auth login | status`: the delegated Partner Center sign-in (Partner Center docs, "Referrals API authentication"). */
import type { Command } from 'commander';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_FATAL, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';

export function register(program: Command, ctx: CliContext): void {
  const auth = program.command('auth').description('sign in to Partner Center as the Referral Admin user');
  auth
    .command('login')
    .description('device-code sign-in; the token cache is stored encrypted and refreshed silently afterwards')
    .option('--timeout <seconds>', 'how long to wait for the code to be entered', '900')
    .option(...CONFIG_OPTION)
    .action(async (options: { timeout: string; config?: string }) => {
      await withEngine(ctx, options.config, {}, async ({ engine }) => {
        const login = engine.partnerCenter.login;
        if (!login) {
          ctx.stderr('partnerCenter.auth.mode is staticToken: there is nothing to sign in to\n');
          throw new CliExit(EXIT_CONFIG_INVALID);
        }
        const { username } = await login.loginWithDeviceCode({ onCode: (message) => ctx.stdout(`${message}\n`), timeoutSeconds: Number(options.timeout) || 900 });
        ctx.stdout(`signed in${username ? ` as ${username}` : ''}; a running daemon picks the new sign-in up by itself\n`);
      });
    });
  auth
    .command('status')
    .description('whether the daemon can get a Partner Center token now')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      await withEngine(ctx, options.config, {}, async ({ engine }) => {
        try {
          await engine.partnerCenter.tokens.getToken('referrals');
          ctx.stdout('Partner Center sign-in: ok\n');
        } catch {
          const health = engine.partnerCenter.tokens.health();
          ctx.stdout(`Partner Center sign-in: ${health.state}${health.detail ? ` (${health.detail})` : ''}\n`);
          throw new CliExit(EXIT_FATAL);
        }
      });
    });
}
