// A salon's React 19 + TypeScript booking page, as its developers would write it: the plain element
// in JSX (attributes as a template writes them, legal texts as <template> children) and the
// marketing-consent/react wrapper (array and object props, events as props).
import React, { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'marketing-consent';
import type {} from 'marketing-consent/jsx';
import { MarketingConsent, MarketingConsentFile } from 'marketing-consent/react';

const ledger = new URLSearchParams(location.search).get('ledger') ?? '';
const endpoint = `${ledger}/v1/consent-events`;

const TEXTS = {
  de: {
    'email-newsletter': 'Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.',
    notice: 'Freiwillig. Widerruf jederzeit über den Abmeldelink in jeder Nachricht.',
  },
};

function PlainElement() {
  const [receipt, setReceipt] = useState('');
  return (
    <form id="plain" onSubmit={(event) => event.preventDefault()}>
      <input name="email" type="email" aria-label="E-Mail" />
      <input name="phone" type="tel" aria-label="Telefon" />
      <marketing-consent
        endpoint={endpoint}
        salon="Salon Bella"
        purposes="email-newsletter sms-newsletter"
        text-version="2026-11-01"
        privacy-url="/datenschutz"
        onmarketing-consent-recorded={(event) => setReceipt(event.detail.receipt.id)}
      >
        <template data-text="email-newsletter" lang="de">
          Ja, ich möchte den Newsletter von Salon Bella per E-Mail erhalten.
        </template>
        <template data-text="sms-newsletter" lang="de">
          Ja, Salon Bella darf mir Angebote per SMS senden.
        </template>
        <template data-text="notice" lang="de">
          Freiwillig. Widerruf jederzeit über den Abmeldelink in jeder Nachricht.
        </template>
      </marketing-consent>
      <button type="submit">Buchen</button>
      <output>{receipt}</output>
    </form>
  );
}

function WrappedElement() {
  const [receipt, setReceipt] = useState('');
  return (
    <form id="wrapped" onSubmit={(event) => event.preventDefault()}>
      <input name="email" type="email" aria-label="E-Mail" />
      <MarketingConsent
        endpoint={endpoint}
        salon="Salon Bella"
        purposes="email-newsletter"
        textVersion="2026-11-01"
        privacyUrl="/datenschutz"
        texts={TEXTS}
        onRecorded={(event) => setReceipt(event.detail.receipt.id)}
      />
      <button type="submit">Buchen</button>
      <output>{receipt}</output>
    </form>
  );
}

// The wrapper takes the purposes as every HTML example writes them, or as a list.
export const purposeSettings: NonNullable<React.ComponentProps<typeof MarketingConsent>['purposes']>[] = [
  'email-newsletter sms-newsletter',
  ['email-newsletter', 'sms-newsletter'],
];
export const staffPurposeSettings: NonNullable<React.ComponentProps<typeof MarketingConsentFile>['purposes']>[] = [
  'email-newsletter',
  ['sms-newsletter'],
];
export const staffElementAsWritten = <marketing-consent-audience purposes="email-newsletter sms-newsletter" />;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PlainElement />
    <WrappedElement />
  </StrictMode>,
);
