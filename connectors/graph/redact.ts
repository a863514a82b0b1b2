/**
 * Notifications must never carry customer contact details: e-mail addresses and phone numbers
 * are replaced before anything leaves, whatever the caller put in the text.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Starts with + or a parenthesised area code, so dates and ids are left alone.
const PHONE = /(?:\+\d|\(\d)[\d\s().-]{6,}\d/g;

/** Replaces e-mail addresses and phone numbers in free text. */
export function redactContactDetails(text: string): string {
  return text.replace(EMAIL, '[email removed]').replace(PHONE, '[phone removed]');
}
