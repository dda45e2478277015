/**
 * Registers `<marketing-consent>`. Import this module (or load the browser
 * bundle) once; the class itself lives in marketing-consent.component.ts.
 */
import { MarketingConsentElement } from './marketing-consent.component.js';

export { MarketingConsentElement };
export type { RecordOptions } from './marketing-consent.component.js';

if (!customElements.get('marketing-consent')) {
  customElements.define('marketing-consent', MarketingConsentElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'marketing-consent': MarketingConsentElement;
  }
}
