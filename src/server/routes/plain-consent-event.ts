/**
 * The intake's quick check: whether a posted body is a consent event that
 * consentEventSchema accepts exactly as it is (nothing to trim, no key to
 * strip), judged with the schema's own patterns and limits but without
 * zod's per-field machinery, which cost the intake more than sealing the
 * record. It says yes only when sure. Everything else (a mistake to
 * describe, a value to trim, an unusual URL) goes to zod, which stays the
 * contract and writes the messages. plain-consent-event.property.test.ts
 * holds it to zod: whatever it accepts, zod accepts unchanged.
 */
import { regexes } from 'zod/v4/core';
import { EVENT_LIMITS, PHONE_PATTERN, SHA256_PATTERN, type ConsentEvent } from '../../contract/consent-event.js';
import {
  CONSENT_EVENT_SCHEMA_VERSION,
  CONSENT_METHODS,
  LANGUAGE_TAG_PATTERN,
  PURPOSE_ID_PATTERN,
} from '../../contract/vocabulary.js';

// The patterns zod's formats use (z.uuid(), z.email(), z.iso.datetime({ offset: true })).
const UUID = regexes.uuid();
const EMAIL = regexes.email;
const DATETIME = regexes.datetime({ offset: true });
/** An http(s) URL of printable ASCII only: nothing zod would trim, and nothing the URL parser would drop. */
const PLAIN_URL = /^https?:\/\/[!-~]+$/;

type Json = Record<string, unknown>;

const EVENT_KEYS = keys(
  'schemaVersion',
  'id',
  'subject',
  'purposes',
  'notice',
  'clientTime',
  'method',
  'source',
  'bookingRef',
);
const SUBJECT_KEYS = keys('email', 'phone', 'customerId');
const PURPOSE_KEYS = keys('purpose', 'granted');
const NOTICE_KEYS = keys('textVersion', 'locale', 'text', 'sha256');
const SOURCE_KEYS = keys('pageUrl', 'widget');
const WIDGET_KEYS = keys('name', 'version');

/** True when `value` is a consent event zod would take as it is; false when zod must look at it. */
export function isPlainConsentEvent(value: unknown): value is ConsentEvent {
  if (!objectWith(value, EVENT_KEYS)) return false;
  const { subject, purposes, notice, source } = value;
  return (
    value['schemaVersion'] === CONSENT_EVENT_SCHEMA_VERSION &&
    typeof value['id'] === 'string' &&
    UUID.test(value['id']) &&
    isPlainSubject(subject) &&
    isPlainPurposes(purposes) &&
    objectWith(notice, NOTICE_KEYS) &&
    trimmedText(notice['textVersion'], EVENT_LIMITS.textVersion) &&
    typeof notice['locale'] === 'string' &&
    LANGUAGE_TAG_PATTERN.test(notice['locale']) &&
    typeof notice['text'] === 'string' &&
    notice['text'].length >= 1 &&
    notice['text'].length <= EVENT_LIMITS.text &&
    typeof notice['sha256'] === 'string' &&
    SHA256_PATTERN.test(notice['sha256']) &&
    typeof value['clientTime'] === 'string' &&
    DATETIME.test(value['clientTime']) &&
    (CONSENT_METHODS as readonly unknown[]).includes(value['method']) &&
    objectWith(source, SOURCE_KEYS) &&
    typeof source['pageUrl'] === 'string' &&
    source['pageUrl'].length <= EVENT_LIMITS.pageUrl &&
    PLAIN_URL.test(source['pageUrl']) &&
    URL.canParse(source['pageUrl']) &&
    objectWith(source['widget'], WIDGET_KEYS) &&
    trimmedText(source['widget']['name'], EVENT_LIMITS.widgetName) &&
    trimmedText(source['widget']['version'], EVENT_LIMITS.widgetVersion) &&
    absentOr(value['bookingRef'], (ref) => trimmedText(ref, EVENT_LIMITS.bookingRef))
  );
}

function isPlainSubject(subject: unknown): boolean {
  if (!objectWith(subject, SUBJECT_KEYS)) return false;
  const { email, phone, customerId } = subject;
  return (
    Boolean(email || phone || customerId) &&
    absentOr(email, (e) => typeof e === 'string' && e.length <= EVENT_LIMITS.email && EMAIL.test(e)) &&
    absentOr(phone, (p) => typeof p === 'string' && p.trim() === p && PHONE_PATTERN.test(p)) &&
    absentOr(customerId, (id) => trimmedText(id, EVENT_LIMITS.customerId))
  );
}

function isPlainPurposes(purposes: unknown): boolean {
  if (!Array.isArray(purposes) || purposes.length < 1 || purposes.length > EVENT_LIMITS.purposes) return false;
  const seen = new Set<unknown>();
  for (const decision of purposes) {
    if (!objectWith(decision, PURPOSE_KEYS) || typeof decision['granted'] !== 'boolean') return false;
    const { purpose } = decision;
    if (typeof purpose !== 'string' || purpose.length > EVENT_LIMITS.purpose || !PURPOSE_ID_PATTERN.test(purpose))
      return false;
    if (seen.has(purpose)) return false;
    seen.add(purpose);
  }
  return true;
}

function keys(...names: string[]): ReadonlySet<string> {
  return new Set(names);
}

/** A plain object with no key but these (zod would strip any other). */
function objectWith(value: unknown, allowed: ReadonlySet<string>): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // A body parsed from JSON has only its own keys, so for…in sees exactly them (without an array of them).
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** Text zod's trim would leave as it is, from one code unit up to `max`. */
function trimmedText(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && value.trim() === value;
}

function absentOr(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}
