/**
 * Contact details inside free text: vendor error messages echo the values they refused
 * (Salesforce's `INVALID_EMAIL_ADDRESS: … jane.doe@@acme-private.example`), so redaction by key
 * name is not enough. `redactText` is the one function the logger, the failure recorder, the
 * status page and its JSON use.
 */

export const EMAIL_REDACTED = '[email]';
export const PHONE_REDACTED = '[phone]';

/**
 * An e-mail address, also a malformed one (`@@`, a trailing dot): a local part of anything but
 * spaces and RFC 5322 specials, one or more `@`, and a host name.
 */
const EMAIL = /[^\s@<>()[\]\\,;:"]+@+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?/g;

/**
 * A candidate phone number: digits, single spaces, dots, hyphens and parentheses, optionally after
 * `+`, not glued to a word, a path or a longer number (ids, GUIDs, URLs). The length is bounded
 * so a long run of digits costs linear time.
 */
const PHONE_CANDIDATE = /(?<![\w+\-./])\+?[\d(][\d ().-]{4,28}\d\)?(?![\w\-/]|\.\d)/g;

const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const DECIMAL = /^\d+\.\d{1,2}$/;

/** Whether a candidate is a phone number rather than a date, an address, an amount or a count. */
function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  if (/[ .-]{2}/.test(candidate)) return false;
  if (DATE_LIKE.test(candidate) || IPV4.test(candidate) || DECIMAL.test(candidate)) return false;
  const formatted = candidate.startsWith('+') || /[ .()-]/.test(candidate);
  // An unformatted run of 7-9 digits is more likely an amount or a version than a phone.
  return formatted || digits >= 10;
}

/** Phones in `text`; a candidate that is not one may still end in one after a space. */
function redactPhones(text: string): string {
  return text.replace(PHONE_CANDIDATE, (candidate) => {
    if (isPhone(candidate)) return PHONE_REDACTED;
    const space = candidate.indexOf(' ');
    return space < 0 ? candidate : candidate.slice(0, space + 1) + redactPhones(candidate.slice(space + 1));
  });
}

/** `text` with every e-mail address replaced by `[email]` and every phone number by `[phone]`. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  const withoutEmails = text.includes('@') ? text.replace(EMAIL, EMAIL_REDACTED) : text;
  if (!/\d/.test(withoutEmails)) return withoutEmails;
  return redactPhones(withoutEmails);
}
