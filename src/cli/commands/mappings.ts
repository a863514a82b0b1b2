/**
 * `cosell-sync mappings validate [files...] [--live]` and `mappings preview`: check a mapping,
 * and see what it would send or write for a real record before it goes live.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkAgainstDescription, formatPreview, loadMappingFile, previewFromCrm, previewFromReferral, type MappingProblem } from '../../../mappings/index.js';
import type { CrmObjectKind, CrmRecord } from '../../domain/crm-record.js';
import { CliExit, EXIT_CONFIG_INVALID, type CliContext } from '../context.js';
import { CONFIG_OPTION, loadConfigOrExit } from '../load-config-or-exit.js';
import { configuredCrms } from '../../config/index.js';
import { readFieldsFor } from '../../engine/read-fields.js';
import { withEngine } from '../with-engine.js';

/** The JSON object in `path`, or an error that names the file, what is wrong and what it should hold. */
function readJsonObject(path: string): Record<string, unknown> {
  const expected = 'give a CRM record as JSON ({ "kind", "id", "fields" }) or a referral as Partner Center returns it';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`--file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : `cannot be read (${code ?? String(error)})`}; ${expected}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--file ${path}: not JSON (${(error as Error).message}); ${expected}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`--file ${path}: holds ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}, not an object; ${expected}`);
  return json as Record<string, unknown>;
}

const formatProblem = (p: MappingProblem): string => `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`;

export function register(program: Command, ctx: CliContext): void {
  const mappings = program.command('mappings').description('the field mappings admins own');
  mappings
    .command('validate [files...]')
    .description('check mapping files (default: the ones the configuration names); --live also against the CRM metadata')
    .option('--live', 'check fields, types and picklist values against the CRM (describe / entity definitions)')
    .option(...CONFIG_OPTION)
    .action(async (files: string[], options: { live?: boolean; config?: string }) => {
      if (options.live) return validateLive(ctx, options.config);
      const paths = files.length > 0 ? files : mappingPathsFromConfig(ctx, options.config);
      let problems = 0;
      for (const path of paths) {
        const loaded = loadMappingFile(path);
        if (loaded.ok) ctx.stdout(`${path}: ok\n`);
        else {
          problems += loaded.error.length;
          for (const p of loaded.error) ctx.stdout(`${formatProblem(p)}\n`);
        }
      }
      if (problems > 0) throw new CliExit(EXIT_CONFIG_INVALID);
    });
  mappings
    .command('preview')
    .description('show the referral a CRM record would become, or the CRM record a referral would become, field by field')
    .option('--crm-id <id>', 'a CRM opportunity (or lead, with --kind lead)')
    .option('--referral-id <id>', 'a Partner Center referral')
    .option('--file <path>', 'offline: a CRM record ({ kind, id, fields }) or a referral as Partner Center returns it')
    .option('--kind <kind>', 'opportunity or lead', 'opportunity')
    .option('--system <crm>', 'salesforce or dynamics (default: the first configured)')
    .option(...CONFIG_OPTION)
    .action(async (options: { crmId?: string; referralId?: string; file?: string; kind: string; system?: string; config?: string }) => {
      const kind: CrmObjectKind = options.kind === 'lead' ? 'lead' : 'opportunity';
      if (!options.crmId && !options.referralId && !options.file) {
        ctx.stderr('error: give --crm-id, --referral-id or --file\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      await withEngine(ctx, options.config, { dryRun: true }, async ({ engine }) => {
        const side = engine.deps.crms.find((s) => !options.system || s.system === options.system);
        if (!side) {
          ctx.stderr(`error: no CRM ${options.system ?? ''} is configured\n`);
          throw new CliExit(EXIT_CONFIG_INVALID);
        }
        const mctx = engine.deps.ctx;
        if (options.file) {
          const json = readJsonObject(options.file);
          if ('fields' in json) return ctx.stdout(`${formatPreview(previewFromCrm({ mapping: side.mapping, record: json as unknown as CrmRecord, ctx: mctx }))}\n`);
          // A file without `fields` is read as a referral; a bad one throws, naming the field.
          const { parseReferral } = await import('../../../connectors/partner-center/index.js');
          const referral = parseReferral(json);
          return ctx.stdout(`${formatPreview(previewFromReferral({ mapping: side.mapping, referral, kind, ctx: mctx }))}\n`);
        }
        if (options.crmId) {
          const [record] = await side.connector.getRecords({ kind, ids: [options.crmId], fields: await readFieldsFor(side, kind) });
          if (!record) {
            const other = kind === 'lead' ? 'an opportunity: drop --kind lead' : 'a lead: add --kind lead';
            throw new Error(`no ${side.system} ${kind} ${options.crmId}: it does not exist, the integration user cannot see it, or it is another kind of record (${other})`);
          }
          return ctx.stdout(`${formatPreview(previewFromCrm({ mapping: side.mapping, record, ctx: mctx }))}\n`);
        }
        const referral = await engine.deps.partnerCenter.getReferral(options.referralId as string);
        if (!referral) throw new Error(`no referral ${options.referralId} in Partner Center: it does not exist or is not visible to the signed-in Referral Admin`);
        const target = side.mapping.inboundKind(referral) ?? kind;
        ctx.stdout(`${formatPreview(previewFromReferral({ mapping: side.mapping, referral, kind: target, ctx: mctx }))}\n`);
      });
    });
}

function mappingPathsFromConfig(ctx: CliContext, configPath: string | undefined): string[] {
  const { config } = loadConfigOrExit(ctx, configPath);
  return configuredCrms(config).map((crm) => crm.mappingFile);
}

async function validateLive(ctx: CliContext, configPath: string | undefined): Promise<void> {
  const problems = await withEngine(ctx, configPath, { dryRun: true }, async ({ engine }) => {
    const found: MappingProblem[] = [];
    for (const side of engine.deps.crms) {
      const descriptions = [await side.connector.describe('opportunity'), await side.connector.describe('lead')];
      const sideProblems = checkAgainstDescription({ mapping: side.mapping, descriptions });
      ctx.stdout(`${side.mapping.file} against ${side.system}: ${sideProblems.length === 0 ? 'ok' : `${sideProblems.length} problem(s)`}\n`);
      found.push(...sideProblems);
    }
    return found;
  });
  for (const p of problems) ctx.stdout(`${formatProblem(p)}\n`);
  if (problems.length > 0) throw new CliExit(EXIT_CONFIG_INVALID);
}
