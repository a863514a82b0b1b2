/**
 * The shape of a mapping file, checked with zod before any meaning is given to it. Transforms
 * and value maps are kept loose here and checked by name in parse-transform.ts, so an unknown
 * transform gets a message that names it.
 */
import { z } from 'zod';
import { CRM_SYSTEMS } from '../../src/domain/crm-record.js';
import { ASSISTANCE_REQUEST_CODES } from '../../src/domain/referral.js';
import { STATUS_PAIRS } from './referral-paths.js';

export const DIRECTIONS = ['both', 'toPartnerCenter', 'toCrm', 'createOnly'] as const;
export const POLICIES = ['crmWins', 'partnerCenterWins', 'newestWins', 'hold'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ruleSchema = z.strictObject({
  referral: z.string().min(1),
  crm: z.string().min(1),
  direction: z.enum(DIRECTIONS).default('both'),
  policy: z.enum(POLICIES).optional(),
  transform: z.unknown().optional(),
  maxLength: z.int().positive().optional(),
  default: z.unknown().optional(),
  orFrom: z.array(z.string().min(1)).optional(),
  required: z.union([z.boolean(), z.literal('coSell')]).optional(),
});
export type RawRule = z.infer<typeof ruleSchema>;

const conditionSchema = z.strictObject({
  field: z.string().min(1),
  equals: scalar.optional(),
  in: z.array(scalar).optional(),
  notIn: z.array(scalar).optional(),
});
export type RawCondition = z.infer<typeof conditionSchema>;

const objectSchema = z.strictObject({
  externalIdField: z.string().min(1),
  participation: z.array(conditionSchema).default([]),
  dealType: z
    .strictObject({
      helpField: z.string().min(1).nullable().default(null),
      helpValues: z.record(z.string(), z.enum(ASSISTANCE_REQUEST_CODES)).optional(),
      helpNotesField: z.string().min(1).nullable().default(null),
      shareField: z.string().min(1).nullable().default(null),
    })
    .default({ helpField: null, helpNotesField: null, shareField: null }),
  onCreate: z.record(z.string(), scalar).default({}),
  /**
   * The currency of every amount, for an org that keeps one currency and has no currency field
   * (Salesforce without multi-currency: no CurrencyIsoCode). Instead of a details.currency rule.
   */
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').optional(),
  read: z.array(z.string().min(1)).default([]),
  fields: z.array(z.unknown()),
});
export type RawObject = z.infer<typeof objectSchema>;

const inboundRuleSchema = z.strictObject({
  when: z
    .strictObject({
      type: z.array(z.enum(['Independent', 'Shared'])).optional(),
      qualification: z.array(z.enum(['None', 'Direct', 'MarketingQualified', 'SalesQualified'])).optional(),
      invitedBy: z.array(z.enum(['msft', 'partner', 'none'])).optional(),
      direction: z.array(z.enum(['Incoming', 'Outgoing'])).optional(),
      status: z.array(z.enum(STATUS_PAIRS)).optional(),
    })
    .default({}),
  becomes: z.enum(['lead', 'opportunity', 'skip']),
});
export type RawInboundRule = z.infer<typeof inboundRuleSchema>;

export const fileSchema = z.strictObject({
  version: z.literal(1),
  system: z.enum(CRM_SYSTEMS),
  picklists: z
    .strictObject({
      opportunity: z.record(z.string(), z.array(scalar)).optional(),
      lead: z.record(z.string(), z.array(scalar)).optional(),
    })
    .default({}),
  /** How to write where Microsoft's documentation allows two readings; each switch names both. */
  partnerCenter: z
    .strictObject({
      // Partner Center docs, "Update a referral": solutions are editable after creation, but not with which operation.
      solutionsPatch: z.enum(['replace', 'add']).default('replace'),
    })
    .default({ solutionsPatch: 'replace' }),
  inbound: z.strictObject({
    rules: z.array(inboundRuleSchema),
    otherwise: z.enum(['lead', 'opportunity', 'skip']).default('skip'),
  }),
  opportunity: objectSchema,
  lead: objectSchema,
  /** Co-sell health: whom expiry reminders go to, and the contract of a won deal's registration. */
  health: z
    .strictObject({
      // A field holding the e-mail of the record's owner (a lookup path such as Owner.Email).
      ownerEmail: z
        .strictObject({ opportunity: z.string().min(1).nullable().default(null), lead: z.string().min(1).nullable().default(null) })
        .prefault({}),
      registration: z
        .strictObject({
          startDate: z.string().min(1),
          endDate: z.string().min(1),
          signDate: z.string().min(1),
          // A picklist or text holding Perpetual or Finite; absent: Finite.
          term: z.string().min(1).nullable().default(null),
          value: z.string().min(1),
          // Where the registration's status is written back (ReviewPending, Approved, ...); absent: not written.
          statusField: z.string().min(1).nullable().default(null),
        })
        .nullable()
        .default(null),
    })
    .prefault({}),
});
export type RawHealth = z.infer<typeof fileSchema>['health'];
export type RawFile = z.infer<typeof fileSchema>;
