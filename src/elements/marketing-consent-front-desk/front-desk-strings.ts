/**
 * The front desk's words, in the customer's language: the customer reads
 * them on the salon's tablet. Purpose names and the notice come from the
 * same texts the booking page shows (widget-text.ts).
 */
import { inLanguage, type UiLocale } from '../../legal-text/ui-strings.js';

export interface FrontDeskStrings {
  title: string;
  language: string;
  email: string;
  phone: string;
  signature: string;
  signatureHint: string;
  signatureArea: string;
  clear: string;
  typedInstead: string;
  typedLabel: string;
  submit: string;
  saving: string;
  noPurpose: string;
  noSignature: string;
  noAddress: (label: string, field: 'email' | 'phone') => string;
  saved: string;
  staffPresent: (staff: string, device: string) => string;
  failed: (message: string) => string;
  misconfigured: string;
}

const STRINGS: Record<UiLocale, FrontDeskStrings> = {
  de: {
    title: 'Einwilligung am Empfang',
    language: 'Sprache',
    email: 'E-Mail',
    phone: 'Mobiltelefon',
    signature: 'Unterschrift',
    signatureHint: 'Mit Finger, Stift oder Maus im Feld unterschreiben.',
    signatureArea: 'Unterschriftsfeld',
    clear: 'Unterschrift löschen',
    typedInstead: 'Sie können nicht im Feld unterschreiben? Tippen Sie stattdessen Ihren vollen Namen.',
    typedLabel: 'Ihr voller Name (statt Unterschrift)',
    submit: 'Einwilligen und speichern',
    saving: 'Wird gespeichert …',
    noPurpose: 'Bitte kreuzen Sie mindestens ein Kästchen an.',
    noSignature: 'Bitte unterschreiben Sie im Feld oder tippen Sie Ihren vollen Namen.',
    noAddress: (label, field) =>
      `Für «${label}» braucht es ${field === 'email' ? 'Ihre E-Mail-Adresse' : 'Ihre Mobilnummer'}.`,
    saved: 'Danke! Ihre Einwilligung ist gespeichert.',
    staffPresent: (staff, device) => `Im Beisein von ${staff} · Gerät: ${device}`,
    failed: (message) => `Nicht gespeichert: ${message}`,
    misconfigured:
      'Die Einwilligungstexte fehlen oder sind unvollständig: salon, text-version, privacy-url und texts setzen (wie bei <marketing-consent>).',
  },
  fr: {
    title: 'Consentement à l’accueil',
    language: 'Langue',
    email: 'E-mail',
    phone: 'Téléphone mobile',
    signature: 'Signature',
    signatureHint: 'Signez dans le cadre avec le doigt, un stylet ou la souris.',
    signatureArea: 'Cadre de signature',
    clear: 'Effacer la signature',
    typedInstead: 'Vous ne pouvez pas signer dans le cadre ? Saisissez plutôt votre nom complet.',
    typedLabel: 'Votre nom complet (au lieu de la signature)',
    submit: 'Consentir et enregistrer',
    saving: 'Enregistrement …',
    noPurpose: 'Veuillez cocher au moins une case.',
    noSignature: 'Veuillez signer dans le cadre ou saisir votre nom complet.',
    noAddress: (label, field) =>
      `Pour « ${label} », il faut ${field === 'email' ? 'votre adresse e-mail' : 'votre numéro de mobile'}.`,
    saved: 'Merci ! Votre consentement est enregistré.',
    staffPresent: (staff, device) => `En présence de ${staff} · appareil : ${device}`,
    failed: (message) => `Non enregistré : ${message}`,
    misconfigured:
      'Les textes de consentement manquent ou sont incomplets : définir salon, text-version, privacy-url et texts (comme pour <marketing-consent>).',
  },
  it: {
    title: 'Consenso alla reception',
    language: 'Lingua',
    email: 'E-mail',
    phone: 'Cellulare',
    signature: 'Firma',
    signatureHint: 'Firmi nel riquadro con il dito, una penna o il mouse.',
    signatureArea: 'Riquadro della firma',
    clear: 'Cancella la firma',
    typedInstead: 'Non può firmare nel riquadro? Digiti invece il suo nome completo.',
    typedLabel: 'Il suo nome completo (al posto della firma)',
    submit: 'Acconsentire e salvare',
    saving: 'Salvataggio …',
    noPurpose: 'Spunti almeno una casella.',
    noSignature: 'Firmi nel riquadro o digiti il suo nome completo.',
    noAddress: (label, field) =>
      `Per «${label}» serve ${field === 'email' ? 'il suo indirizzo e-mail' : 'il suo numero di cellulare'}.`,
    saved: 'Grazie! Il suo consenso è salvato.',
    staffPresent: (staff, device) => `In presenza di ${staff} · dispositivo: ${device}`,
    failed: (message) => `Non salvato: ${message}`,
    misconfigured:
      'I testi del consenso mancano o sono incompleti: impostare salon, text-version, privacy-url e texts (come per <marketing-consent>).',
  },
  en: {
    title: 'Consent at the front desk',
    language: 'Language',
    email: 'E-mail',
    phone: 'Mobile phone',
    signature: 'Signature',
    signatureHint: 'Sign in the box with your finger, a stylus or the mouse.',
    signatureArea: 'Signature box',
    clear: 'Clear the signature',
    typedInstead: 'Cannot sign in the box? Type your full name instead.',
    typedLabel: 'Your full name (instead of a signature)',
    submit: 'Consent and save',
    saving: 'Saving …',
    noPurpose: 'Please tick at least one box.',
    noSignature: 'Please sign in the box or type your full name.',
    noAddress: (label, field) =>
      `“${label}” needs ${field === 'email' ? 'your e-mail address' : 'your mobile number'}.`,
    saved: 'Thank you! Your consent is saved.',
    staffPresent: (staff, device) => `With ${staff} present · device: ${device}`,
    failed: (message) => `Not saved: ${message}`,
    misconfigured:
      'The consent texts are missing or incomplete: set salon, text-version, privacy-url and texts (as for <marketing-consent>).',
  },
};

export const frontDeskStringsFor = (locale: string | undefined): FrontDeskStrings => inLanguage(STRINGS, locale);
