/**
 * The double opt-in's steps: a confirmation message (mail or SMS), the
 * SMSC's delivery receipt for an SMS, and the owner's confirmation. Each is
 * about one `purpose` and decides nothing by itself (the confirmation makes
 * the grant it names count). The status, the customer file and the proof
 * tell them apart from decisions by this. (No zod here: the customer file
 * reads it in the browser.)
 */
import type {
  ConfirmationMailRecord,
  ConfirmationRecord,
  ConfirmationSmsRecord,
  LedgerRecord,
  SmsReceiptRecord,
} from './ledger-records.js';

export type ConfirmationStep = ConfirmationMailRecord | ConfirmationSmsRecord | SmsReceiptRecord | ConfirmationRecord;

export function isConfirmationStep(record: LedgerRecord): record is ConfirmationStep {
  return (
    record.method === 'confirmation-mail' ||
    record.method === 'confirmation-sms' ||
    record.method === 'sms-receipt' ||
    record.method === 'double-opt-in'
  );
}
