import { LitElement, html, isServer, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ConsentEvent, ConsentReceipt, ConsentSubject } from '../../contract/consent-event.js';
import type { KnownPurpose } from '../../contract/vocabulary.js';
import { parseLegalMarkup } from '../../legal-text/legal-markup.js';
import { composeWidgetText } from '../../legal-text/widget-text.js';
import type { ConsentOutbox, OutboxOutcomeDetail } from '../../delivery/consent-outbox.js';
import { keepAct } from '../../delivery/kept-acts.js';
import { somethingWaits } from '../../delivery/waiting.js';
import { emit } from '../../events/emit.js';
import '../../events/marketing-consent-recorded.js';
import '../../events/marketing-consent-confirmation-pending.js';
import '../../events/marketing-consent-failed.js';
import {
  pickTextLocale,
  validateSettings,
  type ConsentConfig,
  type LegalTexts,
  type SettingProblem,
} from './settings.js';
import { purposeLabel, uiStringsFor, type UiStrings } from '../../legal-text/ui-strings.js';
import { styles } from './marketing-consent.styles.js';
import { purposeListConverter, toPurposeList } from '../purpose-list-converter.js';
import type { PreTick } from './settings-messages.js';

type Messages = typeof import('./settings-messages.js');
type Notes = Messages['NOTES'];

/**
 * The code that records a consent (the event, its fingerprint, the outbox),
 * loaded at the first tick, so it is there long before the booking is
 * submitted; or, when an earlier page left something waiting to be sent,
 * once the page is idle after the boxes are painted. A page view where
 * nobody ticks and nothing waits never fetches it. A failed load is tried
 * again at the next use.
 */
type RecordingCode = typeof import('../../delivery/consent-recording.js');
let recording: Promise<RecordingCode> | undefined;
/** Set once loaded: what is shown after a consent was recorded comes from there. */
let recordingCode: RecordingCode | undefined;
function loadRecording(): Promise<RecordingCode> {
  recording ??= import('../../delivery/consent-recording.js').then(
    (code) => (recordingCode = code),
    (error: unknown) => {
      recording = undefined;
      throw new Error(`the code that records the consent could not be loaded: ${(error as Error).message}`);
    },
  );
  return recording;
}

/**
 * Runs once the page is idle (at the latest after 1 s), or where browsers
 * have no idle callback (Safari), 200 ms later: after the boxes are painted.
 */
function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 200);
}

/** The texts shown right now, composed and fingerprinted for the record. */
interface ShownNotice {
  locale: string;
  strings: UiStrings;
  texts: Record<string, string>;
  /** The canonical full text (see composeWidgetText), as recorded and fingerprinted. */
  text: string;
}

/** One act of consenting: made when the customer ticks, frozen when first sent. */
interface ConsentAct {
  id: string;
  notice: ShownNotice;
  textVersion: string;
  sending?: Promise<ConsentReceipt | null>;
}

/** Options for {@link MarketingConsentElement.record}. */
export interface RecordOptions {
  /** The booking this consent was given with, kept in the record. */
  bookingRef?: string;
  /** Who consented; fields given here win over the form's fields. */
  subject?: ConsentSubject;
}

/**
 * The newsletter opt-in for an online-booking form: one unticked checkbox per
 * marketing purpose, each with the salon's legal text, and a shared notice
 * with the privacy-notice link. When the customer ticks a box and books, the
 * element posts a provable consent event to the salon's ledger.
 *
 * The box starts unticked, always: no attribute, autofill, restored form
 * state or script can tick it (GDPR Art. 4(11), CJEU C-673/17 Planet49).
 * It is never required and never delays the booking.
 *
 * @summary Explicit, provable marketing consent for salon booking forms.
 *
 * @fires {Event} change - The customer ticked or unticked a box (not fired on programmatic changes).
 * @fires {MarketingConsentRecordedEvent} marketing-consent-recorded - The ledger stored the consent; `detail.receipt` is its answer.
 * @fires {MarketingConsentFailedEvent} marketing-consent-failed - The consent could not be recorded; `detail.reason` says why.
 * @fires {MarketingConsentConfirmationPendingEvent} marketing-consent-confirmation-pending - Recorded, but some purposes count only once the customer clicks the link the ledger mailed (double opt-in); `detail.purposes` names them.
 *
 * @csspart group - The fieldset around everything.
 * @csspart heading - The legend naming the salon and marking the block optional.
 * @csspart purpose - One purpose: its checkbox, label and legal text.
 * @csspart checkbox - A native checkbox.
 * @csspart label - The short name of a purpose, the checkbox's label.
 * @csspart text - The salon's legal text for one purpose, the checkbox's description.
 * @csspart notice - The shared line: how to withdraw, and the privacy-notice link.
 * @csspart link - Links inside the legal texts and the privacy-notice link.
 * @csspart confirmation-hint - After a sign-up that waits for double opt-in: where the confirmation mail went.
 *
 * @cssproperty --marketing-consent-accent - Color of the ticked box (default: the browser's accent).
 * @cssproperty --marketing-consent-gap - Space between purposes (default 0.75em).
 * @cssproperty --marketing-consent-text-color - Color of the legal text (default: inherited).
 * @cssproperty --marketing-consent-link-color - Color of links (default: inherited link color).
 * @cssproperty --marketing-consent-focus-color - Color of the focus ring (default: currentColor).
 * @cssproperty --marketing-consent-box-size - Size of each checkbox (default 1.5rem, never below 24px).
 */
export class MarketingConsentElement extends LitElement {
  static override styles = styles;
  // Declared here, not with Lit's decorators: their code would cost about
  // 300 bytes gzip before the boxes show (see the README, "Size").
  static override properties = {
    endpoint: {},
    salon: {},
    purposes: { converter: purposeListConverter, noAccessor: true },
    textVersion: { attribute: 'text-version' },
    texts: { attribute: false },
    privacyUrl: { attribute: 'privacy-url' },
    locale: {},
    emailField: { attribute: 'email-field' },
    phoneField: { attribute: 'phone-field' },
    customerIdField: { attribute: 'customer-id-field' },
    name: {},
    noConfirmationHint: { type: Boolean, attribute: 'no-confirmation-hint' },
  };
  static formAssociated = true;

  static override get observedAttributes(): string[] {
    // `checked` is watched only to refuse it: see attributeChangedCallback.
    return [...super.observedAttributes, 'checked'];
  }

  readonly #internals = this.attachInternals();
  /** The purposes the customer has ticked, live; never reflected to an attribute. */
  readonly #ticked = new Set<string>();
  #act: ConsentAct | undefined;
  /** A script's click is being dispatched: nothing it sets off counts as the customer's tick. */
  #scriptClicking = false;
  #config: ConsentConfig | undefined;
  #notice: ShownNotice | undefined;
  #templateTexts: LegalTexts = {};
  #form: HTMLFormElement | null = null;
  #reported = new Set<string>();
  #outbox: ConsentOutbox | undefined;
  /** The endpoint whose outbox this element follows (its outbox is attached once the recording code is loaded). */
  #outboxEndpoint: string | undefined;
  #observer: MutationObserver | undefined;
  #langObserver: MutationObserver | undefined;

  constructor() {
    super();
    // A page may set these before the element's script loads: the values then
    // sit on the instance and hide the accessors. Take them off (as Lit does
    // for reactive properties); a pre-set `checked` never ticks a box.
    for (const key of ['checked', 'grantedPurposes', 'consentId'] as const) {
      if (!Object.prototype.hasOwnProperty.call(this, key)) continue;
      const value: unknown = this[key];
      delete (this as Record<string, unknown>)[key];
      if (key === 'checked' && value) this.#warnPreTick('property-early');
    }
  }

  /** URL of the ledger's intake that consent events are posted to. Without one the box works as a form field only. */
  endpoint: string | undefined;

  /** The salon's name, as customers know it; shown in the heading. */
  salon: string | undefined;

  #purposes: string[] | undefined;

  /**
   * The purposes offered, one box each: `email-newsletter`, `sms-newsletter`.
   * An array, or (as frameworks pass it when they set properties) a string
   * separated by spaces or commas, like the attribute.
   */
  set purposes(value: readonly string[] | string | undefined) {
    const old = this.#purposes;
    this.#purposes = toPurposeList(value);
    this.requestUpdate('purposes', old);
  }
  get purposes(): string[] | undefined {
    return this.#purposes;
  }

  /** Version of the salon's legal text; change it whenever the text changes. */
  textVersion: string | undefined;

  /**
   * The legal texts by language tag: each purpose id mapped to its text, and
   * `notice` to the shared line (how to withdraw). Plain text; links as
   * `[text](https://…)`. Overrides `<template data-text>` children.
   */
  texts: LegalTexts | undefined;

  /** The salon's privacy notice: an https URL or a path on the site. */
  privacyUrl: string | undefined;

  /** Language of the texts; by default the nearest `lang` attribute, then the browser's language. */
  locale: string | undefined;

  /** Name of the form field holding the customer's e-mail address. */
  emailField: string | undefined;

  /** Name of the form field holding the customer's phone number. */
  phoneField: string | undefined;

  /** Name of the form field holding the platform's customer id, if any. */
  customerIdField: string | undefined;

  /** Form field name the consent is submitted under: one entry per ticked purpose. */
  name: string | undefined;

  /**
   * Hide the line telling the customer to confirm by e-mail after a double
   * opt-in sign-up (for pages that say it themselves, on their confirmation page).
   */
  noConfirmationHint = false;

  /** Where the confirmation mail went, while a sign-up waits for double opt-in; shown as a hint. */
  #pendingConfirmationEmail: string | undefined;

  /** True while the customer has ticked at least one box. Read-only: only the customer ticks. */
  get checked(): boolean {
    return this.#ticked.size > 0;
  }

  set checked(_value: boolean) {
    this.#warnPreTick('property');
  }

  /** The purposes the customer has ticked right now. */
  get grantedPurposes(): string[] {
    return [...this.#ticked];
  }

  /** The form this element belongs to, as for native fields. */
  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  /** The id of the current consent act, once the customer ticked; sent with every resend. */
  get consentId(): string | undefined {
    return this.#act?.id;
  }

  /**
   * A page rendered on the server (see marketing-consent/ssr) declares the
   * shadow root: the boxes are in their place before this script runs. They
   * stay on screen until the first render replaces them with the same boxes,
   * so nothing on the page moves; that render waits for a task of its own,
   * so the script's work comes in two short tasks rather than one long.
   * (Lit adopts the styles, so the root holds nothing else before it.)
   */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated && this.renderRoot.firstChild) await new Promise((resolve) => setTimeout(resolve));
    super.scheduleUpdate();
  }

  protected override update(changed: PropertyValues<this>): void {
    if (!this.hasUpdated) {
      (this.renderRoot as ShadowRoot).replaceChildren();
      // Lit renders before what the root held when it was made: now nothing.
      this.renderOptions.renderBefore = null;
    }
    super.update(changed);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#readTemplates();
    // Texts may be given as <template> children, added or edited later.
    this.#observer = new MutationObserver(() => this.#readTemplates());
    this.#observer.observe(this, { childList: true, subtree: true, characterData: true });
    // A language switch on the page changes the texts shown.
    this.#langObserver = new MutationObserver(() => this.requestUpdate());
    this.#langObserver.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
      subtree: true,
    });
    window.addEventListener('pageshow', this.#onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#langObserver?.disconnect();
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#outboxEndpoint = undefined;
    this.#useOutbox(undefined);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'checked') {
      if (value !== null) this.#warnPreTick('attribute');
      return;
    }
    super.attributeChangedCallback(name, old, value);
  }

  /** @internal Called by the browser when the element joins or leaves a form. */
  formAssociatedCallback(form: HTMLFormElement | null): void {
    this.#form?.removeEventListener('submit', this.#onSubmit);
    this.#form = form;
    this.#form?.addEventListener('submit', this.#onSubmit);
  }

  /** @internal `form.reset()` unticks every box. */
  formResetCallback(): void {
    this.#untickAll();
  }

  /**
   * @internal Browsers restore form state after back-navigation; a consent is
   * never restored: the customer ticks again or it does not count.
   */
  formStateRestoreCallback(): void {
    this.#untickAll();
  }

  /** @internal A disabled fieldset around the element disables its boxes. */
  formDisabledCallback(disabled: boolean): void {
    this.toggleAttribute('data-disabled', disabled);
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const { config, problems } = validateSettings({
      endpoint: this.endpoint,
      salon: this.salon,
      purposes: this.purposes,
      textVersion: this.textVersion,
      texts: this.texts ?? (Object.keys(this.#templateTexts).length > 0 ? this.#templateTexts : undefined),
      privacyUrl: this.privacyUrl,
      locale: this.locale,
      emailField: this.emailField,
      phoneField: this.phoneField,
      customerIdField: this.customerIdField,
      name: this.name,
    });
    this.#reportProblems(problems);
    if (config && !config.endpoint) this.#note('info', 'noEndpoint');
    this.#config = config;
    const endpoint = config?.endpoint && this.isConnected ? config.endpoint : undefined;
    if (endpoint !== this.#outboxEndpoint) {
      this.#outboxEndpoint = endpoint;
      if (!endpoint) this.#useOutbox(undefined);
      // Storage is asked once the page is idle: a browser's first localStorage access on a page can take
      // milliseconds, which the page's first render should not wait for.
      else whenIdle(() => void (somethingWaits() && this.#followOutbox(endpoint)));
    }
    this.#notice = config ? this.#shownNotice(config) : undefined;
    // What is no longer offered can no longer stay ticked.
    for (const purpose of this.#ticked)
      if (!config?.purposes.includes(purpose as KnownPurpose)) this.#ticked.delete(purpose);
    this.#updateFormValue();
  }

  /**
   * Follows the outbox of the configured endpoint; the outbox sends what an
   * earlier page left pending, and this element reports how those ended.
   */
  async #followOutbox(endpoint: string): Promise<void> {
    let outbox: ConsentOutbox;
    try {
      outbox = (await loadRecording()).outboxFor(endpoint);
    } catch {
      return; // Tried again when the customer ticks or the booking is recorded.
    }
    if (endpoint === this.#outboxEndpoint) this.#useOutbox(outbox);
  }

  #useOutbox(outbox: ConsentOutbox | undefined): void {
    if (outbox === this.#outbox) return;
    this.#outbox?.removeEventListener('outcome', this.#onEarlierOutcome);
    this.#outbox = outbox;
    outbox?.addEventListener('outcome', this.#onEarlierOutcome);
  }

  readonly #onEarlierOutcome = (event: Event): void => {
    const { detail } = event as CustomEvent<OutboxOutcomeDetail>;
    if (detail.fromEarlierPage) this.#emitOutcome(detail);
  };

  #emitOutcome({ event, outcome }: Pick<OutboxOutcomeDetail, 'event' | 'outcome'>): void {
    if (!outcome.ok) {
      emit(this, 'marketing-consent-failed', { event, reason: outcome.reason, status: outcome.status });
      return;
    }
    const { receipt } = outcome;
    emit(this, 'marketing-consent-recorded', { event, receipt });
    const purposes = receipt.pendingConfirmation ?? [];
    if (purposes.length === 0) return;
    this.#pendingConfirmationEmail = event.subject.email;
    this.requestUpdate();
    emit(this, 'marketing-consent-confirmation-pending', { event, receipt, purposes, email: event.subject.email });
  }

  #shownNotice(config: ConsentConfig): ShownNotice {
    const requested = config.locale ?? this.#inheritedLang() ?? navigator.language ?? 'en';
    const { locale, exact } = pickTextLocale(requested, Object.keys(config.texts));
    if (!exact) this.#note('warn', 'noTextIn', requested, locale);
    const texts = config.texts[locale] as Record<string, string>;
    const strings = uiStringsFor(locale);
    if (this.#notice?.locale === locale && this.#notice.texts === texts && this.#notice.strings === strings) {
      return this.#notice;
    }
    const text = composeWidgetText({
      salon: config.salon,
      purposes: config.purposes,
      privacyUrl: config.privacyUrl,
      locale,
      texts,
    });
    return { locale, strings, texts, text };
  }

  #inheritedLang(): string | undefined {
    const lang = this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
    return lang || undefined;
  }

  #readTemplates(): void {
    const texts: LegalTexts = {};
    for (const template of this.querySelectorAll<HTMLTemplateElement>(':scope > template[data-text]')) {
      const lang = template.getAttribute('lang') || this.#inheritedLang() || 'und';
      const key = template.dataset['text'] as string;
      // Parsed like HTML: collapse the source's line breaks and indentation.
      // React 19 and other frameworks that build the DOM by script put a template's children on the
      // element itself rather than into its content: read whichever holds the text.
      const text = template.content.textContent || template.textContent || '';
      (texts[lang] ??= {})[key] = text.replace(/\s+/g, ' ').trim();
    }
    this.#templateTexts = texts;
    this.requestUpdate();
  }

  /** The words for wrong settings are loaded only when a setting is wrong. */
  #reportProblems(problems: readonly SettingProblem[]): void {
    if (problems.length === 0) return;
    this.#say(
      problems.some((p) => p.blocksConsent) ? 'error' : 'warn',
      ({ describeProblems }) => describeProblems(this.localName, problems),
      JSON.stringify(problems),
    );
  }

  /** Logs a message once per element, so re-renders do not flood the console. */
  #report(level: 'error' | 'warn' | 'info', message: string): void {
    if (this.#reported.has(message)) return;
    this.#reported.add(message);
    console[level](message, this);
  }

  /** Logs one of the element's notes about its set-up, once. */
  #note<K extends keyof Notes>(level: 'warn' | 'info', key: K, ...args: Parameters<Notes[K]>): void {
    this.#say(
      level,
      ({ NOTES }) => `<${this.localName}> ${(NOTES[key] as (...a: typeof args) => string)(...args)}`,
      JSON.stringify([key, args]),
    );
  }

  /**
   * Logs, once, what `words` says with the messages' words, which are loaded
   * only when there is something to say; if they cannot be, what `said` names.
   * Rendered on the server, the element only draws; the browser reports.
   */
  #say(level: 'error' | 'warn' | 'info', words: (messages: Messages) => string, said: string): void {
    if (this.#reported.has(said) || isServer) return;
    this.#reported.add(said);
    import('./settings-messages.js').then(
      (messages) => this.#report(level, words(messages)),
      () => this.#report(level, `<${this.localName}> ${said}`),
    );
  }

  #warnPreTick(how: PreTick): void {
    this.#note('warn', 'preTick', how);
  }

  #updateFormValue(): void {
    const config = this.#config;
    if (!config || this.#ticked.size === 0 || !this.#act) {
      this.#internals.setFormValue(null);
      return;
    }
    const entries = new FormData();
    for (const purpose of config.purposes) {
      if (this.#ticked.has(purpose)) {
        entries.append(config.name, `${purpose};version=${this.#act.textVersion};event=${this.#act.id}`);
      }
    }
    // An empty state: there is nothing a browser should ever restore.
    this.#internals.setFormValue(entries, '');
  }

  #untickAll(): void {
    this.#ticked.clear();
    this.#act = undefined;
    this.#updateFormValue();
    this.requestUpdate();
  }

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    // Back-forward cache: the page comes back exactly as left, ticks included.
    // That act was already submitted; a new visit starts unticked.
    if (event.persisted) this.#untickAll();
  };

  /**
   * Refuses a script's click on a box or its label. Cancelling stops the
   * tick where the click is cancelable (and a label's forwarding); Chromium
   * fires a trusted `change` after an untrusted `click()`, and a dispatched
   * click may not be cancelable, so the `change` that follows in the same
   * dispatch is refused too. The update that follows once the script's call
   * returns sets the boxes back to the customer's own ticks (see updated()).
   */
  readonly #onClick = (event: MouseEvent): void => {
    if (event.isTrusted) return;
    event.preventDefault();
    this.#scriptClicking = true;
    this.requestUpdate();
    this.#warnPreTick('script');
  };

  #onToggle(purpose: string, event: Event): void {
    const input = event.target as HTMLInputElement;
    // Only the customer's own click, tap or key press is consent: a script's
    // click() or dispatched change event is not (GDPR Art. 4(11)).
    if (!event.isTrusted || this.#scriptClicking) {
      input.checked = this.#ticked.has(purpose);
      this.#warnPreTick('script');
      return;
    }
    if (input.checked) this.#ticked.add(purpose);
    else this.#ticked.delete(purpose);
    if (this.#ticked.size === 0 || this.#act?.sending) this.#act = undefined;
    if (this.#ticked.size > 0 && !this.#act && this.#notice && this.#config) {
      this.#act = { id: crypto.randomUUID(), notice: this.#notice, textVersion: this.#config.textVersion };
      // Have the delivery code ready before the booking is submitted.
      if (this.#outboxEndpoint) void this.#followOutbox(this.#outboxEndpoint);
    }
    this.#updateFormValue();
    this.requestUpdate();
    // `change` does not cross the shadow boundary by itself.
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  readonly #onSubmit = (): void => {
    // Never awaited and never preventDefault: the booking goes on regardless.
    if (this.#ticked.size > 0) void this.record();
  };

  #subjectFromForm(): ConsentSubject {
    const subject: ConsentSubject = {};
    for (const key of ['email', 'phone', 'customerId'] as const) {
      const name = this.#config?.fields[key];
      const field = name ? this.#form?.elements.namedItem(name) : null;
      const value = field && 'value' in field ? String(field.value).trim() : '';
      if (value) subject[key] = value;
    }
    return subject;
  }

  /**
   * Sends what earlier pages left pending for an endpoint, without showing a
   * box: for the booking confirmation page, so a consent whose send was cut
   * short by the navigation arrives there rather than on the next visit.
   */
  static async deliverPending(endpoint: string): Promise<void> {
    if (somethingWaits()) (await loadRecording()).outboxFor(endpoint).flush();
  }

  /**
   * Records the ticked consent: builds the event and posts it to the
   * endpoint. A form submit calls this by itself; booking flows without a
   * native submit call it when the booking is made. Resolves with the ledger's
   * receipt, or `null` when nothing was ticked, there is no endpoint, or
   * recording failed (a `marketing-consent-failed` event says why). Calling it
   * again for the same act sends nothing new.
   */
  record(options: RecordOptions = {}): Promise<ConsentReceipt | null> {
    const act = this.#act;
    const config = this.#config;
    if (!act || !config || this.#ticked.size === 0) return Promise.resolve(null);
    act.sending ??= this.#send(act, config, options);
    return act.sending;
  }

  async #send(act: ConsentAct, config: ConsentConfig, options: RecordOptions): Promise<ConsentReceipt | null> {
    const failed = (reason: string, event?: ConsentEvent, status?: number): null => {
      emit(this, 'marketing-consent-failed', { event, reason, status });
      return null;
    };
    // Read now, as the booking is made: the page may clear its form right after.
    const consent = {
      id: act.id,
      purposes: config.purposes.filter((purpose) => this.#ticked.has(purpose)),
      textVersion: act.textVersion,
      locale: act.notice.locale,
      text: act.notice.text,
      subject: { ...this.#subjectFromForm(), ...options.subject },
      bookingRef: options.bookingRef,
      clientTime: new Date().toISOString(),
      pageUrl: location.origin + location.pathname,
    };
    // Kept at once, synchronously: a page left now may never finish making the event (see kept-acts.ts).
    const endpoint = config.endpoint && new URL(config.endpoint, document.baseURI).href;
    if (endpoint) keepAct(consent.id, { endpoint, act: consent });
    let code: RecordingCode | undefined;
    let recorded: Awaited<ReturnType<RecordingCode['recordAct']>>;
    try {
      code = await loadRecording();
      recorded = await code.recordAct(consent, config.fields, endpoint);
    } catch (error) {
      if (code && error instanceof code.ConsentNotRecordable)
        this.#report('error', `<marketing-consent> ${error.message}`);
      return failed((error as Error).message);
    }
    const { event, delivered } = recorded;
    if (!delivered) return null;
    const outcome = await delivered;
    this.#emitOutcome({ event, outcome });
    return outcome.ok ? outcome.receipt : null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#scriptClicking = false;
    // Each box shows exactly what the customer ticked, whatever a script, a
    // form reset or the browser's restore did to it meanwhile.
    for (const box of this.renderRoot.querySelectorAll('input'))
      box.checked = this.#ticked.has(box.id.slice('box-'.length));
  }

  #renderMarkup(markup: string): (string | TemplateResult)[] {
    return parseLegalMarkup(markup).map((segment) =>
      segment.kind === 'text'
        ? segment.text
        : segment.href.startsWith('mailto:')
          ? html`<a part="link" href=${segment.href}>${segment.text}</a>`
          : // A new tab keeps the half-filled booking form; noopener keeps the notice page from reaching back.
            html`<a
              part="link"
              href=${segment.href}
              target="_blank"
              rel="noopener noreferrer"
              aria-describedby="new-tab"
              >${segment.text}</a
            >`,
    );
  }

  // The label's click listener only refuses a script's clicks; the box itself takes the keyboard.
  /* eslint-disable lit-a11y/click-events-have-key-events */
  protected override render(): unknown {
    const config = this.#config;
    const notice = this.#notice;
    if (!config || !notice) return nothing;
    const { strings, texts } = notice;
    const disabled = this.hasAttribute('data-disabled');
    // An empty live region until there is something to say (the status role needs it present beforehand).
    const email = this.noConfirmationHint ? undefined : this.#pendingConfirmationEmail;
    // Set only after a consent was recorded, so the recording code is loaded.
    const hint = email && recordingCode ? recordingCode.confirmationHintFor(notice.locale, email) : nothing;
    return html`
      <fieldset part="group" lang=${notice.locale}>
        <legend part="heading">${strings.heading(config.salon)}</legend>
        ${config.purposes.map(
          (purpose) => html`
            <div part="purpose" class="purpose">
              <input
                type="checkbox"
                id="box-${purpose}"
                part="checkbox"
                autocomplete="off"
                aria-describedby="text-${purpose} notice"
                ?disabled=${disabled}
                @click=${this.#onClick}
                @change=${(event: Event) => this.#onToggle(purpose, event)}
              />
              <label part="label" for="box-${purpose}" @click=${this.#onClick}
                >${purposeLabel(strings.purposeLabels, purpose)}</label
              >
              <p part="text" id="text-${purpose}" class="text">${this.#renderMarkup(texts[purpose] as string)}</p>
            </div>
          `,
        )}
        <p part="notice" id="notice" class="text">
          ${this.#renderMarkup(`${texts['notice']} [${strings.privacyNotice}](${config.privacyUrl})`)}
        </p>
        <span id="new-tab" hidden>${strings.opensInNewTab}</span>
        <p part="confirmation-hint" class="text hint" role="status">${hint}</p>
      </fieldset>
    `;
  }
  /* eslint-enable lit-a11y/click-events-have-key-events */
}
