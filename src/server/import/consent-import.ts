/**
 * Consents a salon brings from other software: a CSV file, one decision a
 * row, read whole and refused whole if any row is wrong, then planned against
 * the ledger and appended as records of method `import`.
 *
 * Each row keeps when the customer decided (`occurred_at`) and where it came
 * from (`source`); a grant needs its evidence (the signed form, the old
 * system's record): there is no import "for everyone". A row never overrides
 * a decision the ledger already holds from the same time or later, so the
 * order of the records stays the order of the decisions, and importing the
 * same file again adds nothing. There is deliberately no HTTP endpoint for
 * this: only the operator, on the ledger's machine, runs it.
 */
import { parse } from 'csv-parse/sync';
import * as z from 'zod/mini';
import { consentSubjectSchema, type ConsentSubject } from '../../contract/consent-event.js';
import type { ImportRecord } from '../../contract/ledger-records.js';
import { decidedAt } from '../../contract/decision-time.js';
import { CONSENT_EVENT_SCHEMA_VERSION } from '../../contract/vocabulary.js';
import { describeIssues } from '../../contract/zod-issues.js';
import { addressField, type AddressBook } from '../consent/addresses.js';
import type { ConsentViewOptions } from '../consent/consent-status.js';
import { viewOfEntries } from '../app/ledger-context.js';
import { derivedId } from '../links/derived-id.js';
import type { Identify, LedgerStore } from '../store/ledger-store.js';

/** The file's columns, in this order in its header line. */
export const IMPORT_COLUMNS = [
  'email',
  'phone',
  'customer_id',
  'purpose',
  'decision',
  'occurred_at',
  'source',
  'evidence',
  'staff_name',
] as const;

/** One decision of the file, checked. */
export interface ImportRow {
  /** Its line in the file (the header is line 1). */
  line: number;
  subject: ConsentSubject;
  purpose: string;
  granted: boolean;
  /** When the customer decided, as an ISO 8601 time in UTC. */
  occurredAt: string;
  source: string;
  evidence?: string;
  staffName?: string;
}

/** What an import does with each row. */
export interface ImportPlan {
  add: ImportRow[];
  skip: { row: ImportRow; reason: 'already on record' | 'a later decision is on record' | 'a later row decides' }[];
}

/** A time with its zone: a moment, not a wall-clock reading that depends on where it was written. */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
/** A decision may be reported a little ahead of this machine's clock, not more. */
const CLOCK_SKEW_MS = 5 * 60_000;

const LIMITS = { source: 120, evidence: 500, staff_name: 120 } as const;

/**
 * The file's rows, checked against the ledger's purposes and its phone
 * country; or every problem, each with its line number, when any row is
 * wrong (nothing is then imported).
 */
export function readImportFile(
  text: string,
  ledger: { purposes: readonly string[]; addresses: AddressBook },
  now = Date.now(),
): { rows: ImportRow[] } | { problems: string[] } {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((name) => name.trim());
        const unknown = names.filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
        const missing = IMPORT_COLUMNS.filter((name) => !names.includes(name));
        if (unknown.length || missing.length) {
          throw new Error(
            `line 1: the header must name the columns ${IMPORT_COLUMNS.join(',')}` +
              `${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
          );
        }
        return names;
      },
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    return { problems: [(error as Error).message.replace(/^Invalid Record Length: /, '')] };
  }
  const rows: ImportRow[] = [];
  const problems: string[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const found = checkRow(record, ledger, now);
    if (typeof found === 'string') problems.push(`line ${line}: ${found}`);
    else rows.push({ ...found, line });
  }
  if (records.length === 0) problems.push('the file has no rows after its header');
  return problems.length ? { problems } : { rows };
}

/** A row as a decision, or what is wrong with it. */
function checkRow(
  record: Record<string, string>,
  { purposes, addresses }: { purposes: readonly string[]; addresses: AddressBook },
  now: number,
): Omit<ImportRow, 'line'> | string {
  const value = (name: (typeof IMPORT_COLUMNS)[number]) => record[name] || undefined;
  const purpose = value('purpose');
  if (!purpose || !purposes.includes(purpose)) {
    return `purpose "${purpose ?? ''}" is not one this ledger records (${purposes.join(', ')})`;
  }
  const decision = value('decision');
  if (decision !== 'granted' && decision !== 'withdrawn') {
    return `decision must be granted or withdrawn, not "${decision ?? ''}"`;
  }
  const occurred = value('occurred_at');
  if (!occurred || !ZONED_TIME.test(occurred) || Number.isNaN(Date.parse(occurred))) {
    return `occurred_at "${occurred ?? ''}" is not an ISO 8601 time with its zone, e.g. 2024-03-01T10:00:00+01:00`;
  }
  if (Date.parse(occurred) > now + CLOCK_SKEW_MS) return `occurred_at ${occurred} is in the future`;
  const source = value('source');
  if (!source) return 'source is empty: name the software the decision comes from';
  const evidence = value('evidence');
  if (decision === 'granted' && !evidence) {
    return 'evidence is empty: a grant needs its proof (the signed form, the old system’s record)';
  }
  for (const name of ['source', 'evidence', 'staff_name'] as const) {
    if ((value(name)?.length ?? 0) > LIMITS[name]) return `${name} is longer than ${LIMITS[name]} characters`;
  }
  const subject: ConsentSubject = {
    ...(value('email') ? { email: value('email')! } : {}),
    ...(value('phone') ? { phone: value('phone')! } : {}),
    ...(value('customer_id') ? { customerId: value('customer_id')! } : {}),
  };
  const parsed = z.safeParse(consentSubjectSchema, subject);
  if (!parsed.success) {
    return describeIssues(parsed.error)
      .map(
        (issue) =>
          `${issue.path.replace('customerId', 'customer_id') || 'email, phone, customer_id'}: ${issue.message}`,
      )
      .join('; ');
  }
  const phoneProblem = subject.phone ? addresses.phoneProblem(subject.phone) : undefined;
  if (phoneProblem) return `phone: ${phoneProblem}`;
  const field = addressField(purpose);
  if (!subject[field]) {
    return `${purpose} needs ${field === 'customerId' ? 'customer_id' : field}: the address the decision is for`;
  }
  const staffName = value('staff_name');
  return {
    subject,
    purpose,
    granted: decision === 'granted',
    occurredAt: new Date(occurred).toISOString(),
    source,
    ...(evidence ? { evidence } : {}),
    ...(staffName ? { staffName } : {}),
  };
}

/**
 * What importing the rows would do, oldest decision first: each row is
 * added unless the ledger, or a row of the file, holds a decision for its
 * purpose and address from the same time or later.
 */
export async function planImport(
  store: Pick<LedgerStore, 'customerEntries' | 'identifierDigest'>,
  rows: readonly ImportRow[],
  ledger: { addresses: AddressBook; viewOptions: ConsentViewOptions },
): Promise<ImportPlan> {
  const plan: ImportPlan = { add: [], skip: [] };
  const planned = new Map<string, number>();
  const sorted = [...rows].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.line - b.line);
  for (const row of sorted) {
    const key = ledger.addresses.addressKey(row.purpose, row.subject)!;
    const at = Date.parse(row.occurredAt);
    const inFile = planned.get(`${row.purpose}\n${key}`);
    if (inFile !== undefined && inFile >= at) {
      plan.skip.push({ row, reason: 'a later row decides' });
      continue;
    }
    const entries = await store.customerEntries(ledger.addresses.keysOf(row.subject));
    const { deciding, withdrawal } = viewOfEntries(entries, store, ledger.addresses, ledger.viewOptions).decide(
      row.purpose,
      key,
    );
    const onRecord = Math.max(
      ...[deciding, withdrawal].map((entry) => (entry ? Date.parse(decidedAt(entry)) : -Infinity)),
    );
    if (onRecord >= at) {
      plan.skip.push({ row, reason: onRecord === at ? 'already on record' : 'a later decision is on record' });
      continue;
    }
    planned.set(`${row.purpose}\n${key}`, at);
    plan.add.push(row);
  }
  return plan;
}

/** The record of a row; the same row always makes the same id, so a repeated import is a repeat. */
export function importRecord(row: ImportRow, store: Pick<LedgerStore, 'identifierDigest'>, key: string): ImportRecord {
  return {
    schemaVersion: CONSENT_EVENT_SCHEMA_VERSION,
    id: derivedId('import', row.purpose, store.identifierDigest(key), row.granted ? 1 : 0, row.occurredAt),
    subject: row.subject,
    purposes: [{ purpose: row.purpose, granted: row.granted }],
    method: 'import',
    import: {
      occurredAt: row.occurredAt,
      source: row.source,
      ...(row.evidence ? { evidence: row.evidence } : {}),
      ...(row.staffName ? { staffName: row.staffName } : {}),
    },
  };
}

/** Appends the plan's rows, oldest decision first; resolves how many the ledger took as new. */
export async function applyImport(
  store: LedgerStore,
  plan: ImportPlan,
  addresses: AddressBook,
  identify: Identify,
): Promise<number> {
  let created = 0;
  for (const row of plan.add) {
    const record = importRecord(row, store, addresses.addressKey(row.purpose, row.subject)!);
    const outcome = await store.append(record, [], identify(record));
    if (outcome.kind === 'conflict') throw new Error(`line ${row.line}: the ledger holds another record with its id`);
    if (outcome.kind === 'created') created += 1;
  }
  return created;
}
