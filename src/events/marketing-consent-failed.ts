import type { ConsentEvent } from '../contract/consent-event.js';

/** A consent could not be recorded, and why. */
export interface MarketingConsentFailedDetail {
  /** The event that was to be posted, when one could be built. */
  event: ConsentEvent | undefined;
  /** What went wrong, in words for the web developer (the server's message for a 4xx). */
  reason: string;
  /** The HTTP status, when the ledger answered. */
  status: number | undefined;
}

export type MarketingConsentFailedEvent = CustomEvent<MarketingConsentFailedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'marketing-consent-failed': MarketingConsentFailedEvent;
  }
}
