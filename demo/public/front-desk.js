// The demo's front desk: the consent form on the salon's tablet, with the
// booking page's own texts, for the customer the back office opened it for.
const desk = document.querySelector('marketing-consent-front-desk');
const response = await fetch('/back-office/front-desk/texts.json');
if (response.ok) {
  const { salon, textVersion, privacyUrl, texts } = await response.json();
  desk.setAttribute('salon', salon);
  desk.setAttribute('text-version', textVersion);
  desk.setAttribute('privacy-url', privacyUrl);
  desk.texts = texts;
}
const customer = new URLSearchParams(location.search).get('customer');
if (customer) {
  desk.email = customer;
  document.querySelector('#customer-name').textContent = customer;
}
