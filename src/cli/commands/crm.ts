/**
 * `cosell-sync crm setup`: create in the CRM what the mapping needs (custom fields, picklist
 * values, the referral-id key, change tracking, field access), or write it as deployable source.
 * Prints the plan first; changes the org only with --yes.
 */
import type { Command } from 'commander';
import { fieldNeeds } from '../../../mappings/index.js';
import { loadMapping } from '../../app/load-mapping.js';
import { isCrmSystem, type CrmSystem } from '../../domain/crm-record.js';
import type { SetupPlan } from '../../domain/crm-setup.js';
import type { CrmSide } from '../../engine/types.js';
import { applySteps } from '../../setup/apply-steps.js';
import { writeSetupSource } from '../../setup/emit.js';
import { describeAction, formatSetupPlan } from '../../setup/format-plan.js';
import { objectsToRead, planSetup, SETUP_FACTS } from '../../setup/plan.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_FATAL, type CliContext } from '../context.js';
import { CONFIG_OPTION, loadConfigOrExit } from '../load-config-or-exit.js';
import { configuredCrms } from '../../config/index.js';
import { withEngine } from '../with-engine.js';

interface SetupOptions {
  crm?: string;
  dryRun?: boolean;
  yes?: boolean;
  emit?: string;
  assignPermissionSet?: string | boolean;
  config?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const crm = program.command('crm').description('the CRM org itself');
  crm
    .command('setup')
    .description('create what the mapping needs in the CRM (fields, picklist values, keys, change tracking, field access): prints the plan, changes the org only with --yes')
    .option('--crm <crm>', 'salesforce or dynamics (default: every configured CRM)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--yes', 'carry the plan out')
    .option('--emit <dir>', 'write what the mapping needs as deployable source under DIR (Salesforce source format, a Dataverse column list); reads no org')
    .option('--assign-permission-set [user]', 'Salesforce: assign the field-access permission set to USER (username or id; default: the user the daemon signs in as)')
    .option(...CONFIG_OPTION)
    .action(async (options: SetupOptions) => {
      if (options.crm !== undefined && !isCrmSystem(options.crm)) {
        ctx.stderr(`error: --crm is salesforce or dynamics, not ${JSON.stringify(options.crm)}\n`);
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      if (options.emit !== undefined) return emit(ctx, options as SetupOptions & { emit: string });
      const code = await withEngine(ctx, options.config, { dryRun: true }, async ({ engine }) => {
        let worst = 0;
        for (const side of chosen(ctx, engine.deps.crms, options.crm)) worst = Math.max(worst, await setupSide(ctx, side, options));
        return worst;
      });
      if (code !== 0) throw new CliExit(code);
    });
}

function chosen<T extends { system: CrmSystem }>(ctx: CliContext, sides: readonly T[], crm: string | undefined): T[] {
  const picked = sides.filter((s) => crm === undefined || s.system === crm);
  if (picked.length === 0) {
    ctx.stderr(`error: ${crm === undefined ? 'no CRM is configured' : `${crm} is not configured`}\n`);
    throw new CliExit(EXIT_CONFIG_INVALID);
  }
  return picked;
}

function emit(ctx: CliContext, options: SetupOptions & { emit: string }): void {
  const { config } = loadConfigOrExit(ctx, options.config);
  for (const side of chosen(ctx, configuredCrms(config), options.crm)) {
    const paths = writeSetupSource({ dir: options.emit, system: side.system, needs: fieldNeeds(loadMapping(side.mappingFile, side.system)) });
    ctx.stdout(`${side.system}: wrote ${paths.length} file(s) under ${options.emit}/${side.system}\n`);
  }
}

async function readPlan(side: CrmSide, options: SetupOptions): Promise<SetupPlan> {
  const setup = side.connector.setup;
  if (!setup) throw new Error(`the ${side.system} connector cannot run setup`);
  const needs = fieldNeeds(side.mapping);
  const assign = options.assignPermissionSet;
  const assignee = assign === undefined || assign === false || !SETUP_FACTS[side.system].permissionSet ? {} : { assignee: assign === true ? '' : assign };
  const org = await setup.readOrg({ objects: objectsToRead(side.system, needs), ...assignee });
  return planSetup({ system: side.system, needs, org });
}

/** One CRM: the plan, and with --yes its steps; the exit code this CRM calls for. */
async function setupSide(ctx: CliContext, side: CrmSide, options: SetupOptions): Promise<number> {
  if (side.system === 'dynamics' && options.assignPermissionSet !== undefined) {
    ctx.stdout("Dataverse: field access comes with the application user's security role; --assign-permission-set applies to Salesforce\n");
  }
  const plan = await readPlan(side, options);
  ctx.stdout(formatSetupPlan(plan));
  const problems = plan.problems.length > 0 ? EXIT_CONFIG_INVALID : 0;
  if (plan.actions.length === 0) return problems;
  if (options.dryRun) {
    ctx.stdout('dry run: nothing changed\n');
    return problems;
  }
  if (!options.yes) {
    ctx.stdout(`nothing changed: re-run with --yes to carry out these ${plan.actions.length} step(s)\n`);
    return problems;
  }
  const setup = side.connector.setup;
  if (!setup) throw new Error(`the ${side.system} connector cannot run setup`);
  for await (const outcomes of applySteps(setup, plan.actions)) {
    for (const { action, error } of outcomes) {
      const line = describeAction(action, side.system);
      ctx.stdout(error === null ? `done: ${line}\n` : `failed: ${line}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    if (outcomes.some((o) => o.error !== null)) {
      ctx.stdout('the steps before it are done; fix the cause and run setup again (it carries on from what the org has)\n');
      return EXIT_FATAL;
    }
  }
  const after = await readPlan(side, options);
  ctx.stdout(after.actions.length === 0 ? `checked: the org now has everything the steps made\n` : `after the steps, ${after.actions.length} step(s) still show as needed:\n${formatSetupPlan(after)}`);
  return after.actions.length === 0 ? problems : EXIT_FATAL;
}
