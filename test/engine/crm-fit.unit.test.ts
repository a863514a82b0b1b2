import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cutToUnits, fitToCrm, fitsAs } from '../../src/engine/crm-fit.js';
import type { CrmFieldDescription } from '../../src/domain/crm-record.js';

const field = (path: string, extra: Partial<CrmFieldDescription> = {}): [string, CrmFieldDescription] => [
  path,
  { path, type: 'string', label: path, length: 10, createable: true, updateable: true, required: false, picklistValues: null, ...extra },
];

describe('fitting values to what the CRM holds', () => {
  it('cuts at the limit in UTF-16 units and never splits a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (text, max) => {
        const cut = cutToUnits(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut)).toBe(true);
        // No lone high surrogate at the end.
        const last = cut.charCodeAt(cut.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
        if (text.length <= max) expect(cut).toBe(text);
      }),
    );
  });

  it('keeps a required field as it is instead of writing it empty, and says so', () => {
    const described = new Map([field('LastName', { required: true }), field('Description', { type: 'textarea', length: 5 })]);
    const { fields, notes } = fitToCrm({ fields: { LastName: null, Description: '😀😀😀', Title: null }, described, mode: 'update' });
    expect(fields).toEqual({ Description: '😀😀', Title: null });
    expect(notes).toEqual([expect.stringMatching(/^LastName kept its value/), expect.stringMatching(/^Description cut to 5 characters/)]);
  });

  it('on create, leaves required fields to the CRM (its own defaults and errors decide)', () => {
    const described = new Map([field('LastName', { required: true })]);
    expect(fitToCrm({ fields: { LastName: null }, described, mode: 'create' }).fields).toEqual({ LastName: null });
  });

  it('knows a cut text read back from the CRM as the value that was written', () => {
    const [, description] = field('Description', { length: 4 });
    expect(fitsAs('abcdef', 'abcd', description)).toBe(true);
    expect(fitsAs('abcdef', 'abce', description)).toBe(false);
    expect(fitsAs('abc', 'abc', description)).toBe(false);
  });
});
