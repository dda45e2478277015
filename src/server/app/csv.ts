/**
 * CSV for mailing tools (RFC 4180), defused against spreadsheet formula
 * injection (OWASP "CSV Injection"): a cell that starts with = + - @, a tab
 * or a carriage return gets a leading apostrophe, so Excel, LibreOffice and
 * Google Sheets show it as text instead of running it. A phone number in
 * E.164 ("+41791234567": a plus and digits only) is left as it is: it can
 * hold no formula, and mailing and SMS tools need it unchanged.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !E164.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
