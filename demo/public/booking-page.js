// The booking page's own script: the language switch. It only changes
// `lang` and text content; <marketing-consent> follows `lang` by itself.
const STRINGS = {
  de: {
    title: 'Termin buchen',
    service: 'Leistung',
    cut: 'Damenhaarschnitt',
    colour: 'Färben',
    manicure: 'Maniküre',
    date: 'Datum',
    time: 'Uhrzeit',
    name: 'Name',
    email: 'E-Mail',
    phone: 'Telefon',
    book: 'Verbindlich buchen',
    privacy: 'Datenschutz',
    ledger: 'Empfangene Einwilligungen (Demo)',
    languages: 'Sprache',
  },
  fr: {
    title: 'Prendre rendez-vous',
    service: 'Prestation',
    cut: 'Coupe femme',
    colour: 'Coloration',
    manicure: 'Manucure',
    date: 'Date',
    time: 'Heure',
    name: 'Nom',
    email: 'E-mail',
    phone: 'Téléphone',
    book: 'Réserver',
    privacy: 'Protection des données',
    ledger: 'Consentements reçus (démo)',
    languages: 'Langue',
  },
  it: {
    title: 'Prenota un appuntamento',
    service: 'Servizio',
    cut: 'Taglio donna',
    colour: 'Colore',
    manicure: 'Manicure',
    date: 'Data',
    time: 'Ora',
    name: 'Nome',
    email: 'E-mail',
    phone: 'Telefono',
    book: 'Prenota',
    privacy: 'Protezione dei dati',
    ledger: 'Consensi ricevuti (demo)',
    languages: 'Lingua',
  },
  en: {
    title: 'Book an appointment',
    service: 'Service',
    cut: "Women's haircut",
    colour: 'Colouring',
    manicure: 'Manicure',
    date: 'Date',
    time: 'Time',
    name: 'Name',
    email: 'E-mail',
    phone: 'Phone',
    book: 'Book now',
    privacy: 'Privacy',
    ledger: 'Consents received (demo)',
    languages: 'Language',
  },
};

function setLanguage(lang) {
  const strings = STRINGS[lang] ?? STRINGS.de;
  document.documentElement.lang = lang;
  document.title = `${strings.title} – Salon Bella`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = strings[node.dataset.i18n];
  document.querySelector('.languages').setAttribute('aria-label', strings.languages);
  document.querySelector('input[name=lang]').value = lang;
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
}

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => setLanguage(button.dataset.lang));
}

const requested = new URLSearchParams(location.search).get('lang');
setLanguage(requested in STRINGS ? requested : 'de');

// Tomorrow as the earliest bookable day.
const date = document.querySelector('input[name=date]');
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
date.min = tomorrow;
date.value ||= tomorrow;

// Show the receipt in the console, as a booking app would store it with the booking.
document.querySelector('marketing-consent').addEventListener('marketing-consent-recorded', (event) => {
  console.info('consent recorded', event.detail.receipt);
});
