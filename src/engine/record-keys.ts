/** The keys runs, failures and history file a record under: a CRM record, or a referral not yet linked. */
export const crmKey = (system: string, kind: string, id: string): string => `${system}:${kind}:${id}`;
export const referralKey = (id: string): string => `referral:${id}`;
