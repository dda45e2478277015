// The demo back office: the salon's customer list, one customer's consent
// panel, and the audience of a campaign. The elements call the staff API
// through the demo server with the page's session cookie.
const file = document.querySelector('marketing-consent-file');
const audience = document.querySelector('marketing-consent-audience');
const list = document.querySelector('#customer-list');
const title = document.querySelector('#customer-name');

function open(customer, button) {
  for (const other of list.querySelectorAll('button')) other.removeAttribute('aria-current');
  button.setAttribute('aria-current', 'true');
  title.textContent = `${customer.name} · ${customer.email}${customer.phone ? ` · ${customer.phone}` : ''}`;
  file.email = customer.email;
  document.querySelector('#front-desk-link').href =
    `/back-office/front-desk?customer=${encodeURIComponent(customer.email)}`;
  file.phone = customer.phone || undefined;
  file.hidden = false;
}

async function loadCustomers() {
  const response = await fetch('/back-office/customers.json');
  const { customers = [] } = await response.json();
  list.replaceChildren(
    ...customers.map((customer) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = customer.name;
      const email = document.createElement('span');
      email.textContent = customer.email;
      button.append(email);
      button.addEventListener('click', () => open(customer, button));
      item.append(button);
      return item;
    }),
  );
  audience.totalCustomers = customers.length;
  // ?customer=<e-mail> opens that customer's file, e.g. right after a booking.
  const wanted = new URLSearchParams(location.search).get('customer');
  const index = customers.findIndex((customer) => customer.email === wanted);
  if (index >= 0) open(customers[index], list.querySelectorAll('button')[index]);
}

// A consent recorded or withdrawn in the file changes the campaign's audience at once.
file.addEventListener('marketing-consent-file-changed', () => audience.reload());
await loadCustomers();
