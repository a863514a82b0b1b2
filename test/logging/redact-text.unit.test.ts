import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { redactText } from '../../src/logging/redact-text.js';

/** Phone numbers as people and CRMs write them. */
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const phone = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 999 }), digits(3), digits(3), digits(4)).map(([cc, a, b, c]) => `+${cc} ${a} ${b} ${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a}-${b}-${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(digits(2), digits(2), digits(2), digits(2), digits(2)).map((parts) => parts.join(' ')),
  fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `+44 (0)${a} ${b} ${c}`),
  fc.tuple(digits(3), digits(4)).map(([a, b]) => `${a}-${b}`),
  digits(10),
  fc.tuple(digits(2), digits(8)).map(([a, b]) => `+${a}${b}`),
);
const email = fc.oneof(
  fc.emailAddress(),
  // Vendors echo malformed addresses too: Salesforce's INVALID_EMAIL_ADDRESS shows the value as typed.
  fc.emailAddress().map((address) => address.replace('@', '@@')),
  fc.emailAddress().map((address) => `${address}.`),
);
/** Free text around a contact detail: words, punctuation, numbers, separated by spaces. */
const filler = fc.array(fc.oneof(fc.constantFrom('INVALID_EMAIL_ADDRESS:', 'value', 'for', 'field', 'Email', 'bad', 'phone', '—', 'HTTP 400', '(id', '006000000000001AAA)', 'at', '2026-11-23T10:00:00Z'), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/[\s\d@]/g, ''))), { maxLength: 6 }).map((words) => words.join(' '));

describe('redactText', () => {
  it('leaves no generated e-mail address in any free text', () => {
    fc.assert(
      fc.property(filler, email, filler, fc.constantFrom(' ', ': ', ' "', " '", ' <', '\n'), (before, address, after, sep) => {
        const out = redactText(`${before}${sep}${address} ${after}`);
        expect(out).not.toContain(address);
        expect(out).not.toContain(address.slice(address.indexOf('@')));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no generated phone number in any free text', () => {
    fc.assert(
      fc.property(filler, phone, filler, fc.constantFrom(' ', ': ', ' "', ', ', '\n', ' tel: '), (before, number, after, sep) => {
        const out = redactText(`${before}${sep}${number}${sep.trim() === '"' ? '"' : ''} ${after}`);
        expect(out).not.toContain(number);
        expect(out.replace(/\D/g, '')).not.toContain(number.replace(/\D/g, ''));
      }),
      { numRuns: 500 },
    );
  });

  it("redacts the Salesforce error that leaked a customer's address", () => {
    expect(redactText('INVALID_EMAIL_ADDRESS: Email: invalid email address: jane.doe@@acme-private.example')).toBe(
      'INVALID_EMAIL_ADDRESS: Email: invalid email address: [email]',
    );
    expect(redactText('Phone +1 (425) 555-0100 is not valid; call 555-0199.')).toBe('Phone [phone] is not valid; call [phone].');
  });

  it('keeps what operators need: times, dates, ids, GUIDs, amounts, addresses, paths and counts', () => {
    const keep = [
      '2026-11-23T10:00:00.000Z',
      'closes on 2026-11-23 or 23.11.2026 or 11/23/2026',
      'opportunity 006000000000001AAA',
      'referral 72f988bf-0000-4000-8000-5ad0b0c1e57a',
      'GUID 12345678-1234-1234-1234-123456789012',
      'amount 1234567.89 USD, 2500000 EUR',
      'listening on http://127.0.0.1:8787 and 192.168.100.200',
      'GET /v1.0/engagements/referrals/1234567890123 answered 503',
      'Retry-After 30 s after 5 attempts; 1,234,567 records',
      'version 1.2.3, node 20.19.0',
      '@odata.etag W/"1234567"',
    ];
    for (const text of keep) expect(redactText(text)).toBe(text);
  });
});
