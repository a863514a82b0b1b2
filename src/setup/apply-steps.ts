/** Carrying out a setup plan's steps, in plan order. */
import type { CrmSetup } from '../../connectors/types.js';
import type { GrantFieldAccess, SetupAction } from '../domain/crm-setup.js';

export interface StepOutcome {
  action: SetupAction;
  /** null: done. */
  error: unknown;
}

/**
 * The steps one after another, yielding each step's outcome when it is known. Consecutive field
 * grants go together where the CRM takes them at once (one request for the permission set rather
 * than one per field), so their outcomes come as one group.
 */
export async function* applySteps(setup: CrmSetup, actions: readonly SetupAction[]): AsyncGenerator<StepOutcome[]> {
  for (let at = 0; at < actions.length; ) {
    const grants = setup.grantAll ? grantsFrom(actions, at) : [];
    if (setup.grantAll && grants.length > 0) {
      at += grants.length;
      let errors: unknown[];
      try {
        errors = await setup.grantAll(grants);
      } catch (error) {
        errors = grants.map(() => error);
      }
      yield grants.map((action, i) => ({ action, error: errors[i] ?? null }));
      continue;
    }
    const action = actions[at++];
    if (!action) break;
    try {
      await setup.apply(action);
      yield [{ action, error: null }];
    } catch (error) {
      yield [{ action, error }];
    }
  }
}

/** The run of field grants starting at `at`. */
function grantsFrom(actions: readonly SetupAction[], at: number): GrantFieldAccess[] {
  const grants: GrantFieldAccess[] = [];
  for (const action of actions.slice(at)) {
    if (action.kind !== 'grantFieldAccess') break;
    grants.push(action);
  }
  return grants;
}
