// The shipped Vue types must compile and name the elements with their settings and events.
import type {} from 'marketing-consent/vue';
import type { GlobalComponents } from 'vue';
import type { MarketingConsentRecordedEvent } from 'marketing-consent';

type ConsentProps = InstanceType<GlobalComponents['marketing-consent']>['$props'];
export const props: ConsentProps = {
  endpoint: 'https://consent.salon-bella.ch/v1/consent-events',
  salon: 'Salon Bella',
  purposes: 'email-newsletter sms-newsletter',
  'text-version': '2026-11-01',
  texts: { de: { 'email-newsletter': 'Ja …', notice: 'Widerruf jederzeit …' } },
  onMarketingConsentRecorded: (event: MarketingConsentRecordedEvent) => void event.detail.receipt.id,
};
// @ts-expect-error: a setting the element does not have
export const wrong: ConsentProps = { colour: 'red' };
