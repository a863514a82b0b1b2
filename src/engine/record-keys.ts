/** The keys runs, failures and history file a record under: a CRM record, or a referral not yet linked. */
export const crmKey = (system: string, kind: string, id: string): string => `${system}:${kind}:${id}`;
export const referralKey = (id: string): string => `referral:${id}`;
/** What every key of one CRM's records starts with, and every referral's. */
export const crmKeyPrefix = (system: string): string => `${system}:`;
export const REFERRAL_KEY_PREFIX = referralKey('');
