/** Registers `<marketing-consent-front-desk>`, the consent form for the salon's tablet at the front desk. */
import { MarketingConsentFrontDeskElement } from './marketing-consent-front-desk.component.js';

export { MarketingConsentFrontDeskElement };

if (!customElements.get('marketing-consent-front-desk')) {
  customElements.define('marketing-consent-front-desk', MarketingConsentFrontDeskElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'marketing-consent-front-desk': MarketingConsentFrontDeskElement;
  }
}
