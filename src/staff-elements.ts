/**
 * The staff side in the browser: registers `<marketing-consent-file>`,
 * `<marketing-consent-audience>` and `<marketing-consent-front-desk>` for
 * the salon's back office.
 */
export * from './elements/marketing-consent-file/marketing-consent-file.js';
export * from './elements/marketing-consent-audience/marketing-consent-audience.js';
export * from './elements/marketing-consent-front-desk/marketing-consent-front-desk.js';
export {
  StaffApiClient,
  StaffApiError,
  type StaffError,
  type StaffFetch,
  type StaffClientOptions,
} from './staff-client/staff-api-client.js';
export type {
  MarketingConsentFileChangedDetail,
  MarketingConsentFileChangedEvent,
} from './events/marketing-consent-file-changed.js';
