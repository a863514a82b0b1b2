import { field, readOnly, reference, type FieldDef } from './field-def.js';

/** Audit fields every object carries (Object Reference, "Opportunity"; SystemModstamp: docs/change-watermarks.md). */
export function systemFields(): FieldDef[] {
  return [
    readOnly(field('Id', 'id', { nillable: false })),
    readOnly(field('IsDeleted', 'boolean', { nillable: false, label: 'Deleted' })),
    readOnly(field('CreatedDate', 'datetime', { nillable: false })),
    readOnly(reference('CreatedById', 'User', { nillable: false, label: 'Created By ID' })),
    readOnly(field('LastModifiedDate', 'datetime', { nillable: false })),
    readOnly(reference('LastModifiedById', 'User', { nillable: false, label: 'Last Modified By ID' })),
    readOnly(field('SystemModstamp', 'datetime', { nillable: false, label: 'System Modstamp' })),
  ];
}

/** Owner lookup: defaults to the running user on create. */
export function ownerField(): FieldDef {
  return reference('OwnerId', 'User', { nillable: false, defaultedOnCreate: true, label: 'Owner ID' });
}

/** Multi-currency is on in the sandbox org (docs/crm-custom-fields.md). */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'INR', 'CHF', 'SEK', 'BRL'] as const;
