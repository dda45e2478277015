export * from './consent-event.js';
export * from './ledger-records.js';
export * from './vocabulary.js';
export { sha256Hex } from './fingerprint.js';
export { describeIssues } from './zod-issues.js';
export { composeNoticeText, parseLegalMarkup, plainText, isAllowedHref } from '../legal-text/legal-markup.js';
export type { LegalSegment } from '../legal-text/legal-markup.js';
export { composeWidgetText, type WidgetTextConfig } from '../legal-text/widget-text.js';
export { uiStringsFor, type UiStrings } from '../legal-text/ui-strings.js';
