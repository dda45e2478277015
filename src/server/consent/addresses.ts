/**
 * How the ledger compares the identifiers customers give: the way mail and
 * phone systems do. E-mail addresses are compared case-insensitively (RFC
 * 5321 allows a case-sensitive local part, but no mail provider in use acts
 * on it, and customers type their address in any case); they are stored as
 * given. Phone numbers are parsed with libphonenumber-js to E.164, with the
 * salon's country for numbers written without a country code, so
 * "079 781 78 78", "+41 79 781 78 78" and "0041797817878" are one number.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ConsentSubject } from '../../contract/consent-event.js';
import { addressField } from '../../contract/vocabulary.js';

export type { CountryCode };

/** The form an identifier is compared in: `email:…`, `phone:+…` or `customer:…`. */
export type IdentifierKey = string;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** A phone number in E.164, or undefined when it is not a number a phone system could reach. */
export function normalizePhone(phone: string, defaultCountry: CountryCode | undefined): string | undefined {
  const parsed = parsePhoneNumberFromString(phone, { ...(defaultCountry ? { defaultCountry } : {}), extract: false });
  // isPossible checks the length for the country; isValid would also check
  // number ranges, which go stale with the metadata and refuse real numbers.
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** Compares identifiers for one ledger: the salon's country decides national phone numbers. */
export class AddressBook {
  readonly defaultCountry: CountryCode | undefined;
  readonly #phones = new Map<string, string | undefined>();

  constructor(defaultCountry: CountryCode | undefined) {
    this.defaultCountry = defaultCountry;
  }

  /** E.164 for a phone number (cached: the same spellings recur in every read). */
  phone(phone: string): string | undefined {
    if (!this.#phones.has(phone)) {
      if (this.#phones.size > 10_000) this.#phones.clear();
      this.#phones.set(phone, normalizePhone(phone, this.defaultCountry));
    }
    return this.#phones.get(phone);
  }

  /** Why a phone number was refused, naming the fix; undefined when it is fine. Parsed once for the keys too. */
  phoneProblem(phone: string): string | undefined {
    if (this.phone(phone)) return undefined;
    return this.defaultCountry
      ? `"${phone}" is not a phone number in ${this.defaultCountry} or with a country code; write it as +41 79 123 45 67 or 079 123 45 67`
      : `"${phone}" is not a phone number with a country code; write it as +41 79 123 45 67 (this ledger has no default country for national numbers)`;
  }

  /**
   * The subject's identifiers in comparable form. A phone number that does
   * not parse (only in records older than the check) is compared by its
   * digits, so it still links the record to its customer.
   */
  keysOf(subject: Partial<ConsentSubject>): IdentifierKey[] {
    const keys: IdentifierKey[] = [];
    if (subject.customerId) keys.push(`customer:${subject.customerId.trim()}`);
    if (subject.email) keys.push(`email:${normalizeEmail(subject.email)}`);
    if (subject.phone) keys.push(`phone:${this.phone(subject.phone) ?? subject.phone.replace(/\D/g, '')}`);
    return keys;
  }

  /**
   * The key of the address a purpose reaches the subject at: the e-mail for
   * the e-mail newsletter, the phone for SMS, else the platform's customer id.
   */
  addressKey(purpose: string, subject: Partial<ConsentSubject>): IdentifierKey | undefined {
    if (purpose === 'email-newsletter') return subject.email ? `email:${normalizeEmail(subject.email)}` : undefined;
    if (purpose === 'sms-newsletter') return subject.phone ? this.keysOf({ phone: subject.phone })[0] : undefined;
    return subject.customerId ? `customer:${subject.customerId.trim()}` : undefined;
  }

  /** The address to send to, as a mailing or SMS tool wants it. */
  sendableAddress(purpose: string, subject: Partial<ConsentSubject>): string | undefined {
    if (purpose === 'email-newsletter') return subject.email?.trim();
    if (purpose === 'sms-newsletter') return subject.phone ? (this.phone(subject.phone) ?? subject.phone) : undefined;
    return subject.customerId;
  }
}

export { addressField };

/** How the identifier keys of the addresses a purpose writes to begin (`email:`, `phone:`, `customer:`). */
export function addressPrefix(purpose: string): string {
  return `${addressField(purpose) === 'customerId' ? 'customer' : addressField(purpose)}:`;
}

/** The identifier a purpose needs, for error messages: a grant without it could never be used. */
export function missingAddresses(purposes: readonly string[], subject: ConsentSubject): string[] {
  return purposes
    .filter((purpose) => !subject[addressField(purpose)])
    .map((purpose) => `${purpose} needs subject.${addressField(purpose)}`);
}
