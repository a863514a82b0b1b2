/**
 * The checks a Microsoft-side referral (target `msft`) meets on create, per the switches in
 * `options.microsoftSide`: a refusing service, and the reading that wants named solutions.
 */
import { invalidRequest, partnerError } from './errors.js';
import type { MicrosoftSideOptions } from './options.js';
import { isObject } from './validation.js';
import type { WireDetails } from './wire-types.js';

/** Throws the service's refusal of a Microsoft-side referral, or returns when it is accepted. */
export function checkMicrosoftSide(args: { details: WireDetails; switches: MicrosoftSideOptions }): void {
  const { details, switches } = args;
  if (switches.refuse === 403) {
    throw partnerError({ status: 403, code: 'accessDenied', message: 'Co-sell invitations to Microsoft are not allowed for this partner', target: 'target' });
  }
  if (switches.refuse === 503) {
    throw partnerError({
      status: 503,
      code: 'serviceNotAvailable',
      message: 'Co-sell invitations to Microsoft are temporarily unavailable',
      target: 'target',
      headers: { 'Retry-After': '30' },
    });
  }
  if (switches.refuse === 400) throw invalidRequest('Microsoft cannot be invited to co-sell this referral', 'target');
  if (switches.requireSolutions && !namesASolution(details)) {
    throw invalidRequest(
      "A co-sell request to Microsoft must name at least one solution in 'details.requirements.solutions'",
      'details.requirements.solutions',
    );
  }
}

function namesASolution(details: WireDetails): boolean {
  const requirements = details.requirements;
  const solutions = isObject(requirements) ? requirements['solutions'] : undefined;
  return Array.isArray(solutions) && solutions.some((s) => isObject(s) && typeof s['id'] === 'string' && s['id'].trim() !== '');
}
