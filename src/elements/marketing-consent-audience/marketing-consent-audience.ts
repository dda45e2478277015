/** Registers `<marketing-consent-audience>`, a campaign's recipients and who is left out. */
import { MarketingConsentAudienceElement } from './marketing-consent-audience.component.js';

export { MarketingConsentAudienceElement };

if (!customElements.get('marketing-consent-audience')) {
  customElements.define('marketing-consent-audience', MarketingConsentAudienceElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'marketing-consent-audience': MarketingConsentAudienceElement;
  }
}
