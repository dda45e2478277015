/** Registers `<marketing-consent-file>`, the consent panel of a customer file. */
import { MarketingConsentFileElement } from './marketing-consent-file.component.js';

export { MarketingConsentFileElement };

if (!customElements.get('marketing-consent-file')) {
  customElements.define('marketing-consent-file', MarketingConsentFileElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'marketing-consent-file': MarketingConsentFileElement;
  }
  interface GlobalEventHandlersEventMap {
    'marketing-consent-file-changed': CustomEvent<{
      status: import('../../contract/ledger-records.js').SubjectStatus | undefined;
    }>;
  }
}
