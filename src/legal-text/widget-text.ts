/**
 * The complete text `<marketing-consent>` shows for one language: the
 * element renders it, records it and fingerprints it, and a ledger's text
 * register computes the same fingerprint from the same configuration.
 */
import { composeNoticeText } from './legal-markup.js';
import { purposeLabel, uiStringsFor } from './ui-strings.js';

export interface WidgetTextConfig {
  salon: string;
  purposes: readonly string[];
  privacyUrl: string;
  /** The language the texts are in (also picks the interface strings). */
  locale: string;
  /** The salon's texts in that language: each purpose's text and `notice`. */
  texts: Readonly<Record<string, string>>;
}

export function composeWidgetText(config: WidgetTextConfig): string {
  const strings = uiStringsFor(config.locale);
  return composeNoticeText({
    heading: strings.heading(config.salon),
    purposes: config.purposes.map((purpose) => ({
      label: purposeLabel(strings.purposeLabels, purpose),
      text: config.texts[purpose] ?? '',
    })),
    notice: config.texts['notice'] ?? '',
    privacyLink: { label: strings.privacyNotice, href: config.privacyUrl },
  });
}
