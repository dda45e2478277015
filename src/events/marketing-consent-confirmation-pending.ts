import type { ConsentEvent, ConsentReceipt } from '../contract/consent-event.js';

/**
 * The ledger stored the consent, and some purposes count only once the
 * customer confirmed them by the link it just mailed (double opt-in). Fired
 * right after `marketing-consent-recorded`.
 */
export interface MarketingConsentConfirmationPendingDetail {
  event: ConsentEvent;
  receipt: ConsentReceipt;
  /** The purposes waiting for the customer's click. */
  purposes: string[];
  /** Where the confirmation mail went. */
  email: string | undefined;
}

export type MarketingConsentConfirmationPendingEvent = CustomEvent<MarketingConsentConfirmationPendingDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'marketing-consent-confirmation-pending': MarketingConsentConfirmationPendingEvent;
  }
}
