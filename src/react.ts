/**
 * `marketing-consent/react`: the elements as React components (via
 * @lit/react), so their events are props (`onRecorded`, …) and array or
 * object settings are passed as properties. React 19 also renders the plain
 * elements; this entry adds the event props and types.
 *
 *   import { MarketingConsent } from 'marketing-consent/react';
 *   <MarketingConsent endpoint="…" purposes={['email-newsletter']} onRecorded={(e) => save(e.detail.receipt)} />
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { MarketingConsentElement } from './elements/marketing-consent/marketing-consent.js';
import { MarketingConsentFileElement } from './elements/marketing-consent-file/marketing-consent-file.js';
import { MarketingConsentAudienceElement } from './elements/marketing-consent-audience/marketing-consent-audience.js';
import type { MarketingConsentRecordedEvent } from './events/marketing-consent-recorded.js';
import type { MarketingConsentFailedEvent } from './events/marketing-consent-failed.js';
import type { MarketingConsentConfirmationPendingEvent } from './events/marketing-consent-confirmation-pending.js';
import type { MarketingConsentFileChangedEvent } from './events/marketing-consent-file-changed.js';

const MarketingConsentComponent = createComponent({
  react: React,
  tagName: 'marketing-consent',
  elementClass: MarketingConsentElement,
  events: {
    onConsentChange: 'change' as EventName<Event>,
    onRecorded: 'marketing-consent-recorded' as EventName<MarketingConsentRecordedEvent>,
    onFailed: 'marketing-consent-failed' as EventName<MarketingConsentFailedEvent>,
    onConfirmationPending:
      'marketing-consent-confirmation-pending' as EventName<MarketingConsentConfirmationPendingEvent>,
  },
});

/**
 * A wrapper whose `purposes` takes what the elements take: a list, or the
 * attribute's string ("email-newsletter sms-newsletter"), not only the list
 * their getters return.
 */
type TakingPurposeStrings<C extends React.ElementType> = React.ForwardRefExoticComponent<
  Omit<React.ComponentPropsWithRef<C>, 'purposes'> & { purposes?: readonly string[] | string | undefined }
>;

export const MarketingConsent = MarketingConsentComponent as TakingPurposeStrings<typeof MarketingConsentComponent>;

const MarketingConsentFileComponent = createComponent({
  react: React,
  tagName: 'marketing-consent-file',
  elementClass: MarketingConsentFileElement,
  events: { onChanged: 'marketing-consent-file-changed' as EventName<MarketingConsentFileChangedEvent> },
});
export const MarketingConsentFile = MarketingConsentFileComponent as TakingPurposeStrings<
  typeof MarketingConsentFileComponent
>;

const MarketingConsentAudienceComponent = createComponent({
  react: React,
  tagName: 'marketing-consent-audience',
  elementClass: MarketingConsentAudienceElement,
  events: {},
});
export const MarketingConsentAudience = MarketingConsentAudienceComponent as TakingPurposeStrings<
  typeof MarketingConsentAudienceComponent
>;
