import type { SubjectStatus } from '../contract/ledger-records.js';

/** Staff recorded a grant or a withdrawal in `<marketing-consent-file>`. */
export interface MarketingConsentFileChangedDetail {
  /** The customer's status after the change. */
  status: SubjectStatus | undefined;
}

export type MarketingConsentFileChangedEvent = CustomEvent<MarketingConsentFileChangedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'marketing-consent-file-changed': MarketingConsentFileChangedEvent;
  }
}
