import type { ConsentEvent, ConsentReceipt } from '../contract/consent-event.js';

/** The ledger stored the consent; keep the receipt with the booking. */
export interface MarketingConsentRecordedDetail {
  /** The event as posted. */
  event: ConsentEvent;
  /** The ledger's answer: event id, sequence number and receive time. */
  receipt: ConsentReceipt;
}

export type MarketingConsentRecordedEvent = CustomEvent<MarketingConsentRecordedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'marketing-consent-recorded': MarketingConsentRecordedEvent;
  }
}
