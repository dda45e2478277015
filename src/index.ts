/**
 * The browser entry: registers `<marketing-consent>` and exports its class,
 * event types and the wire contract. Server code lives under
 * `marketing-consent/server` and never enters this graph.
 */
export * from './elements/marketing-consent/marketing-consent.js';
export type { LegalTexts } from './elements/marketing-consent/settings.js';
export type {
  MarketingConsentRecordedDetail,
  MarketingConsentRecordedEvent,
} from './events/marketing-consent-recorded.js';
export type { MarketingConsentFailedDetail, MarketingConsentFailedEvent } from './events/marketing-consent-failed.js';
export type {
  MarketingConsentConfirmationPendingDetail,
  MarketingConsentConfirmationPendingEvent,
} from './events/marketing-consent-confirmation-pending.js';
export * from './contract/index.js';
export { WIDGET_NAME, WIDGET_VERSION } from './version.js';
