/** The setup plan as an admin reads it: one line per step, then what setup leaves to them. */
import type { CrmSystem } from '../domain/crm-record.js';
import type { PicklistOption, SetupAction, SetupPlan } from '../domain/crm-setup.js';
import { SETUP_FACTS } from './plan.js';
import { describeNeed } from './wording.js';

/** One line for a step: `create field Opportunity.Referral_Id__c: Text(64), External ID, unique`. */
export function describeAction(action: SetupAction, system: CrmSystem): string {
  switch (action.kind) {
    case 'createField':
      return `create field ${action.object}.${action.name}: ${describeNeed(action.need, system)}`;
    case 'addPicklistValues':
      return `add picklist values to ${action.object}.${action.name}: ${action.options.map((o) => o.value).join(', ')}`;
    case 'addStatusValues':
      return `add ${action.object}.${action.name} values: ${action.options.map(statusText).join(', ')}`;
    case 'createAlternateKey':
      return `create alternate key ${action.name} on ${action.object} (${action.columns.join(', ')})`;
    case 'enableChangeTracking':
      return `turn on change tracking for ${action.object}`;
    case 'createPermissionSet':
      return `create permission set ${action.name} ("${action.label}")`;
    case 'grantFieldAccess':
      return `grant read and edit of ${action.object}.${action.field} in permission set ${action.permissionSet}`;
    case 'assignPermissionSet':
      return `assign permission set ${action.permissionSet} to ${action.user} (${action.userId})`;
  }
}

function statusText(o: PicklistOption): string {
  const name = o.label === o.value ? o.value : `${o.value} ${o.label}`;
  const meaning = !o.status ? '' : !o.status.closed ? 'open' : o.status.won ? 'closed, won' : 'closed, lost';
  return meaning === '' ? name : `${name} (${meaning})`;
}

export function formatSetupPlan(plan: SetupPlan): string {
  const label = SETUP_FACTS[plan.system].label;
  const lines: string[] = [];
  if (plan.actions.length === 0) lines.push(`${label}: nothing to do`);
  else {
    lines.push(`${label}: ${plan.actions.length} step(s)`);
    for (const action of plan.actions) {
      const origin = action.kind === 'createField' ? `   (${action.need.origin})` : '';
      lines.push(`  ${describeAction(action, plan.system)}${origin}`);
    }
  }
  if (plan.problems.length > 0) {
    lines.push(`${label}: ${plan.problems.length} problem(s) setup will not fix`);
    for (const p of plan.problems) lines.push(`  ${p.where}: ${p.what}`, `    fix: ${p.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
