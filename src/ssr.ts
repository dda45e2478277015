/**
 * Server rendering of `<marketing-consent>` (Node): its boxes in a declarative
 * shadow root, laid out with the page's first paint. See the README, "Reserve
 * its space".
 */
export {
  declareShadowRoots,
  MARKETING_CONSENT_STYLE_HASH,
  renderMarketingConsent,
  type MarketingConsentMarkup,
  type ServerRenderOptions,
} from './page-markup/declarative-shadow-root.js';
