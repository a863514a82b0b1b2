/**
 * The OpportunityStage table (Object Reference, "OpportunityStage") plus the three custom stages of
 * docs/crm-custom-fields.md. IsClosed, IsWon, Probability and the forecast category of an
 * opportunity are derived from it (Object Reference, "OpportunityStage").
 */
import type { OrgShape } from '../../org-profiles.js';

export interface StageDef {
  apiName: string;
  /** One of the stages the default mapping adds; a new org has only the others. */
  cosell?: true;
  isClosed: boolean;
  isWon: boolean;
  defaultProbability: number;
  /** Label form (`Best Case`, `Commit`), the value of Opportunity.ForecastCategoryName. */
  forecastCategoryName: string;
  sortOrder: number;
}

const OPEN = { isClosed: false, isWon: false, forecastCategoryName: 'Pipeline' } as const;

export const DEFAULT_STAGES: readonly StageDef[] = [
  { apiName: 'Prospecting', ...OPEN, defaultProbability: 10, sortOrder: 1 },
  { apiName: 'Qualification', ...OPEN, defaultProbability: 10, sortOrder: 2 },
  { apiName: 'Needs Analysis', ...OPEN, defaultProbability: 20, sortOrder: 3 },
  { apiName: 'Value Proposition', ...OPEN, defaultProbability: 50, sortOrder: 4 },
  { apiName: 'Id. Decision Makers', ...OPEN, defaultProbability: 60, sortOrder: 5 },
  { apiName: 'Perception Analysis', ...OPEN, defaultProbability: 70, sortOrder: 6 },
  { apiName: 'Proposal/Price Quote', ...OPEN, defaultProbability: 75, sortOrder: 7 },
  { apiName: 'Negotiation/Review', ...OPEN, defaultProbability: 90, sortOrder: 8 },
  { apiName: 'On Hold', cosell: true, ...OPEN, defaultProbability: 10, sortOrder: 9 },
  { apiName: 'Closed Won', isClosed: true, isWon: true, defaultProbability: 100, forecastCategoryName: 'Closed', sortOrder: 10 },
  { apiName: 'Closed Lost', isClosed: true, isWon: false, defaultProbability: 0, forecastCategoryName: 'Omitted', sortOrder: 11 },
  { apiName: 'Declined', cosell: true, isClosed: true, isWon: false, defaultProbability: 0, forecastCategoryName: 'Omitted', sortOrder: 12 },
  { apiName: 'Expired', cosell: true, isClosed: true, isWon: false, defaultProbability: 0, forecastCategoryName: 'Omitted', sortOrder: 13 },
];

/** The stages of an org of this shape. */
export const stagesOf = (shape: OrgShape): readonly StageDef[] => (shape.cosellStages ? DEFAULT_STAGES : DEFAULT_STAGES.filter((s) => !s.cosell));

/** ForecastCategoryName (label) to ForecastCategory (API value) (Object Reference, "Opportunity"). */
export const FORECAST_CATEGORY_BY_NAME: Readonly<Record<string, string>> = {
  Omitted: 'Omitted',
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  Closed: 'Closed',
};
