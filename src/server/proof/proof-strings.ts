/**
 * The proof's words in the salon's four languages: the document a salon
 * hands to a lawyer is in the salon's language. Purpose names are the
 * widget's own box labels, so a purpose has one name everywhere.
 */
import type { ErasureReason, LedgerRecord } from '../../contract/ledger-records.js';
import { ERASURE_REASON_NAMES } from '../../legal-text/erasure-reason-names.js';
import { purposeLabel, uiLocaleOf, uiStringsFor, type UiLocale } from '../../legal-text/ui-strings.js';

export interface ProofStrings {
  lang: UiLocale;
  title: string;
  forCustomer: string;
  made: string;
  chainIntact: string;
  chainBroken: string;
  intro: string;
  noRecords: string;
  /** The heading over the records. */
  records: string;
  /** The proof for a customer whose personal data was erased. */
  erased: (at: string, seq: number, reason: string) => string;
  erasureReasons: Record<ErasureReason, string>;
  granted: string;
  withdrawn: string;
  received: string;
  customerClock: string;
  how: string;
  methods: Record<LedgerRecord['method'], string>;
  subject: string;
  /** The names of a customer's identifiers, as the proof lists them. */
  identifiers: { email: string; phone: string; customerId: string };
  staff: string;
  evidence: string;
  reason: string;
  /** A newsletter tool's report: what it was, and its reference there. */
  reported: string;
  reference: string;
  /** An imported decision: the software it came from, and when the customer decided. */
  importedFrom: string;
  decidedAt: string;
  /** A front-desk consent: the customer's signature (drawn, or their name typed), and the salon's device. */
  signature: string;
  signatureImage: string;
  typedName: (name: string) => string;
  device: string;
  page: string;
  booking: string;
  text: string;
  textLine: (version: string, locale: string) => string;
  flags: string;
  recordId: string;
  entryHash: string;
  shownText: string;
  checkpoint: string;
  /** The double opt-in steps: the mail and the click. */
  doubleOptIn: {
    mailSent: string;
    mailFailed: string;
    confirmed: string;
    to: string;
    subject: string;
    messageId: string;
    smtpReply: string;
    linkExpires: string;
    requestedBy: string;
    forGrant: string;
    viaMail: string;
    userAgent: string;
    clientAddress: string;
    signUpClientAddress: string;
    mailText: string;
    /** The SMS side: the request to confirm, the acknowledgement of a STOP, and the customer's replies. */
    smsSent: string;
    smsFailed: string;
    stopNoticeSent: string;
    stopNoticeFailed: string;
    smsReply: string;
    from: string;
    messageIds: string;
    smscError: string;
    answersStop: string;
    viaSms: string;
    replyText: string;
    reading: Record<'stop' | 'confirm' | 'other', string>;
    readAs: string;
    /** The SMSC's delivery receipt for an SMS: delivered to the phone, or not (with the SMSC's state). */
    delivered: string;
    notDelivered: (state: string) => string;
    receiptFor: string;
    smsText: (parts: number) => string;
  };
  purposeName: (purpose: string) => string;
}

const CATALOG: Record<UiLocale, Omit<ProofStrings, 'purposeName' | 'lang'>> = {
  de: {
    title: 'Nachweis der Einwilligung in Werbung',
    forCustomer: 'für',
    made: 'erstellt',
    chainIntact: 'Hash-Kette des Einwilligungsprotokolls geprüft: intakt',
    chainBroken: 'Hash-Kette des Einwilligungsprotokolls GEBROCHEN: siehe den Befehl verify',
    intro:
      'Alle Einträge, die das Einwilligungsprotokoll zu dieser Kundin oder diesem Kunden führt, die ältesten zuerst. Je Zweck entscheidet der neueste Eintrag. Zeiten sind Eingangszeiten des Protokolls (UTC). Der Hash jedes Eintrags umfasst den Hash des vorherigen; eine Änderung, Löschung oder Umstellung bräche die Kette.',
    noRecords: 'Keine Einträge.',
    records: 'Einträge, der älteste zuerst',
    erased: (at, seq, reason) =>
      `Die personenbezogenen Daten zu diesen Angaben wurden am ${at} gelöscht (Eintrag #${seq}; ${reason}). Das Protokoll hält fest, dass es Einträge gab und wann und warum sie gelöscht wurden; wen sie betrafen, ist nicht mehr lesbar. Die Hash-Kette ist davon unberührt.`,
    erasureReasons: ERASURE_REASON_NAMES.de,
    granted: 'ERTEILT',
    withdrawn: 'WIDERRUFEN',
    received: 'Eingegangen',
    customerClock: 'Uhr der Kundin / des Kunden',
    how: 'Wie',
    methods: {
      'online-booking': 'von der Kundin / dem Kunden bei der Online-Buchung angekreuzt',
      staff: 'vom Personal erfasst',
      'unsubscribe-link': 'Abmeldelink in einer Nachricht, von der Kundin / dem Kunden verwendet',
      suppression: 'vom Newsletter-Tool des Salons gemeldet',
      import: 'aus anderer Software übernommen (die Kundin / der Kunde entschied früher)',
      'front-desk':
        'am Empfang auf dem Gerät des Salons selbst angekreuzt und unterschrieben, im Beisein des Personals',
      'confirmation-mail': 'Bestätigungs-E-Mail (Double-Opt-in), vom Einwilligungsprotokoll versandt',
      'double-opt-in': 'per Link in der Bestätigungs-E-Mail bestätigt (Double-Opt-in)',
      'confirmation-sms': 'SMS des Einwilligungsprotokolls an die Kundin / den Kunden',
      'sms-reply': 'SMS der Kundin / des Kunden an den Salon',
      'sms-receipt': 'Zustellbericht der SMS-Zentrale',
    },
    subject: 'Person',
    identifiers: { email: 'E-Mail', phone: 'Telefon', customerId: 'Kundennummer' },
    staff: 'Personal',
    evidence: 'Nachweis',
    reason: 'Grund',
    reported: 'Gemeldet',
    importedFrom: 'Übernommen aus',
    signature: 'Unterschrift',
    signatureImage: 'Unterschrift der Kundin / des Kunden',
    typedName: (name) => `${name} (Name selbst getippt)`,
    device: 'Gerät',
    decidedAt: 'Entschieden am',
    reference: 'Referenz im Tool',
    page: 'Seite',
    booking: 'Buchung',
    text: 'Text',
    textLine: (version, locale) => `Version ${version}, Sprache ${locale}, SHA-256`,
    flags: 'Hinweise',
    recordId: 'Eintrags-ID',
    entryHash: 'Eintrags-Hash',
    shownText: 'Genau dieser Text stand neben dem Kästchen:',
    checkpoint: 'Signierter Prüfpunkt des Protokolls',
    doubleOptIn: {
      mailSent: 'BESTÄTIGUNGS-E-MAIL VERSANDT',
      mailFailed: 'BESTÄTIGUNGS-E-MAIL NICHT ANGENOMMEN',
      confirmed: 'BESTÄTIGT (Double-Opt-in)',
      to: 'An',
      subject: 'Betreff',
      messageId: 'Message-ID',
      smtpReply: 'Antwort des Mailservers',
      linkExpires: 'Link gültig bis',
      requestedBy: 'Erneut gesendet auf Wunsch von',
      forGrant: 'Bestätigt die Einwilligung',
      viaMail: 'Über den Link der E-Mail',
      userAgent: 'Browser (User-Agent)',
      clientAddress: 'IP-Adresse beim Klick',
      signUpClientAddress: 'IP-Adresse bei der Anmeldung',
      mailText: 'Genau dieser Text wurde gesendet (die Signatur des Links ist weggelassen), SHA-256',
      smsSent: 'BESTÄTIGUNGS-SMS VERSANDT',
      smsFailed: 'BESTÄTIGUNGS-SMS NICHT ANGENOMMEN',
      stopNoticeSent: 'SMS ZUR ABMELDUNG VERSANDT',
      stopNoticeFailed: 'SMS ZUR ABMELDUNG NICHT ANGENOMMEN',
      smsReply: 'SMS ERHALTEN',
      from: 'Von',
      messageIds: 'Message-ID der SMS-Zentrale',
      smscError: 'Antwort der SMS-Zentrale',
      answersStop: 'Antwort auf die Abmeldung',
      viaSms: 'Durch Antwort auf die SMS',
      replyText: 'Text der Antwort',
      reading: {
        stop: 'Abmeldung (STOP)',
        confirm: 'Bestätigung, als keine offen war',
        other: 'anderer Text: ändert nichts',
      },
      readAs: 'Gelesen als',
      delivered: 'SMS ZUGESTELLT',
      notDelivered: (state) => `SMS NICHT ZUGESTELLT (${state})`,
      receiptFor: 'Zustellbericht zur SMS',
      smsText: (parts) => `Genau dieser Text wurde gesendet (${parts} Teil${parts === 1 ? '' : 'e'}):`,
    },
  },
  fr: {
    title: 'Preuve du consentement à la publicité',
    forCustomer: 'pour',
    made: 'établie le',
    chainIntact: 'chaîne de hachage du registre vérifiée : intacte',
    chainBroken: 'chaîne de hachage du registre ROMPUE : voir la commande verify',
    intro:
      'Tous les enregistrements que le registre des consentements détient pour cette personne, du plus ancien au plus récent. Pour chaque finalité, le plus récent décide. Les heures sont celles de réception par le registre (UTC). Le hachage de chaque enregistrement couvre celui du précédent : une modification, suppression ou permutation romprait la chaîne.',
    noRecords: 'Aucun enregistrement.',
    records: 'Enregistrements, du plus ancien au plus récent',
    erased: (at, seq, reason) =>
      `Les données personnelles correspondant à ces indications ont été effacées le ${at} (entrée n° ${seq} ; ${reason}). Le registre garde trace que des enregistrements existaient, et quand et pourquoi ils ont été effacés ; qui ils concernaient n’est plus lisible. La chaîne de hachage reste intacte.`,
    erasureReasons: ERASURE_REASON_NAMES.fr,
    granted: 'ACCORDÉ',
    withdrawn: 'RETIRÉ',
    received: 'Reçu',
    customerClock: 'horloge du client',
    how: 'Comment',
    methods: {
      'online-booking': 'coché par le client lors de la réservation en ligne',
      staff: 'saisi par le personnel',
      'unsubscribe-link': "lien de désinscription d'un message, utilisé par le client",
      suppression: "signalé par l'outil d'infolettre du salon",
      import: "repris d'un autre logiciel (le client a décidé auparavant)",
      'front-desk':
        "coché et signé par le client lui-même à l'accueil, sur l'appareil du salon, en présence du personnel",
      'confirmation-mail': 'e-mail de confirmation (double opt-in), envoyé par le registre',
      'double-opt-in': "confirmé par le lien de l'e-mail de confirmation (double opt-in)",
      'confirmation-sms': 'SMS du registre des consentements au client / à la cliente',
      'sms-reply': 'SMS du client / de la cliente au salon',
      'sms-receipt': 'accusé de réception du centre SMS',
    },
    subject: 'Personne',
    identifiers: { email: 'e-mail', phone: 'téléphone', customerId: 'numéro de client' },
    staff: 'Personnel',
    evidence: 'Preuve',
    reason: 'Motif',
    reported: 'Signalé',
    importedFrom: 'Repris de',
    signature: 'Signature',
    signatureImage: 'Signature du client',
    typedName: (name) => `${name} (nom saisi par le client)`,
    device: 'Appareil',
    decidedAt: 'Décidé le',
    reference: 'Référence dans l’outil',
    page: 'Page',
    booking: 'Réservation',
    text: 'Texte',
    textLine: (version, locale) => `version ${version}, langue ${locale}, SHA-256`,
    flags: 'Remarques',
    recordId: "ID de l'enregistrement",
    entryHash: "Hachage de l'enregistrement",
    shownText: 'Exactement ce texte figurait à côté de la case :',
    checkpoint: 'Point de contrôle signé du registre',
    doubleOptIn: {
      mailSent: 'E-MAIL DE CONFIRMATION ENVOYÉ',
      mailFailed: 'E-MAIL DE CONFIRMATION REFUSÉ',
      confirmed: 'CONFIRMÉ (double opt-in)',
      to: 'À',
      subject: 'Objet',
      messageId: 'Message-ID',
      smtpReply: 'Réponse du serveur de messagerie',
      linkExpires: "Lien valable jusqu'au",
      requestedBy: 'Renvoyé à la demande de',
      forGrant: 'Confirme le consentement',
      viaMail: "Par le lien de l'e-mail",
      userAgent: 'Navigateur (user agent)',
      clientAddress: 'Adresse IP lors du clic',
      signUpClientAddress: "Adresse IP lors de l'inscription",
      mailText: 'Exactement ce texte a été envoyé (signature du lien omise), SHA-256',
      smsSent: 'SMS DE CONFIRMATION ENVOYÉ',
      smsFailed: 'SMS DE CONFIRMATION REFUSÉ',
      stopNoticeSent: 'SMS DE DÉSINSCRIPTION ENVOYÉ',
      stopNoticeFailed: 'SMS DE DÉSINSCRIPTION REFUSÉ',
      smsReply: 'SMS REÇU',
      from: 'De',
      messageIds: 'Message-ID du centre SMS',
      smscError: 'Réponse du centre SMS',
      answersStop: 'Répond à la désinscription',
      viaSms: 'Par réponse au SMS',
      replyText: 'Texte de la réponse',
      reading: {
        stop: 'désinscription (STOP)',
        confirm: 'confirmation alors que rien n’était en attente',
        other: 'autre texte : ne change rien',
      },
      readAs: 'Lu comme',
      delivered: 'SMS REMIS',
      notDelivered: (state) => `SMS NON REMIS (${state})`,
      receiptFor: 'Accusé de réception du SMS',
      smsText: (parts) => `Exactement ce texte a été envoyé (${parts} partie${parts === 1 ? '' : 's'}) :`,
    },
  },
  it: {
    title: 'Prova del consenso alla pubblicità',
    forCustomer: 'per',
    made: 'creata il',
    chainIntact: 'catena di hash del registro verificata: intatta',
    chainBroken: 'catena di hash del registro INTERROTTA: vedere il comando verify',
    intro:
      "Tutte le registrazioni che il registro dei consensi conserva per questa persona, dalla più vecchia. Per ogni finalità decide la più recente. Gli orari sono quelli di ricezione del registro (UTC). L'hash di ogni registrazione include quello della precedente: una modifica, cancellazione o inversione interromperebbe la catena.",
    noRecords: 'Nessuna registrazione.',
    records: 'Registrazioni, dalla più vecchia',
    erased: (at, seq, reason) =>
      `I dati personali relativi a queste indicazioni sono stati cancellati il ${at} (registrazione n. ${seq}; ${reason}). Il registro conserva che vi erano registrazioni, quando e perché sono state cancellate; chi riguardavano non è più leggibile. La catena di hash resta intatta.`,
    erasureReasons: ERASURE_REASON_NAMES.it,
    granted: 'CONCESSO',
    withdrawn: 'REVOCATO',
    received: 'Ricevuto',
    customerClock: 'orologio del cliente',
    how: 'Come',
    methods: {
      'online-booking': 'spuntato dal cliente nella prenotazione online',
      staff: 'registrato dal personale',
      'unsubscribe-link': 'link di disiscrizione in un messaggio, usato dal cliente',
      suppression: 'segnalato dallo strumento newsletter del salone',
      import: 'ripreso da un altro software (il cliente ha deciso prima)',
      'front-desk':
        'spuntato e firmato dal cliente stesso alla reception, sul dispositivo del salone, in presenza del personale',
      'confirmation-mail': 'e-mail di conferma (double opt-in), inviata dal registro',
      'double-opt-in': "confermato tramite il link dell'e-mail di conferma (double opt-in)",
      'confirmation-sms': 'SMS del registro dei consensi al cliente / alla cliente',
      'sms-reply': 'SMS del cliente / della cliente al salone',
      'sms-receipt': 'rapporto di consegna del centro SMS',
    },
    subject: 'Persona',
    identifiers: { email: 'e-mail', phone: 'telefono', customerId: 'numero cliente' },
    staff: 'Personale',
    evidence: 'Prova',
    reason: 'Motivo',
    reported: 'Segnalato',
    importedFrom: 'Ripreso da',
    signature: 'Firma',
    signatureImage: 'Firma del cliente',
    typedName: (name) => `${name} (nome digitato dal cliente)`,
    device: 'Dispositivo',
    decidedAt: 'Deciso il',
    reference: 'Riferimento nello strumento',
    page: 'Pagina',
    booking: 'Prenotazione',
    text: 'Testo',
    textLine: (version, locale) => `versione ${version}, lingua ${locale}, SHA-256`,
    flags: 'Avvertenze',
    recordId: 'ID della registrazione',
    entryHash: 'Hash della registrazione',
    shownText: 'Esattamente questo testo era accanto alla casella:',
    checkpoint: 'Punto di controllo firmato del registro',
    doubleOptIn: {
      mailSent: 'E-MAIL DI CONFERMA INVIATA',
      mailFailed: 'E-MAIL DI CONFERMA RIFIUTATA',
      confirmed: 'CONFERMATO (double opt-in)',
      to: 'A',
      subject: 'Oggetto',
      messageId: 'Message-ID',
      smtpReply: 'Risposta del server di posta',
      linkExpires: 'Link valido fino al',
      requestedBy: 'Reinviata su richiesta di',
      forGrant: 'Conferma il consenso',
      viaMail: "Tramite il link dell'e-mail",
      userAgent: 'Browser (user agent)',
      clientAddress: 'Indirizzo IP al clic',
      signUpClientAddress: "Indirizzo IP all'iscrizione",
      mailText: 'È stato inviato esattamente questo testo (firma del link omessa), SHA-256',
      smsSent: 'SMS DI CONFERMA INVIATO',
      smsFailed: 'SMS DI CONFERMA RIFIUTATO',
      stopNoticeSent: 'SMS DI DISDETTA INVIATO',
      stopNoticeFailed: 'SMS DI DISDETTA RIFIUTATO',
      smsReply: 'SMS RICEVUTO',
      from: 'Da',
      messageIds: 'Message-ID del centro SMS',
      smscError: 'Risposta del centro SMS',
      answersStop: 'Risponde alla disdetta',
      viaSms: "Rispondendo all'SMS",
      replyText: 'Testo della risposta',
      reading: {
        stop: 'disdetta (STOP)',
        confirm: 'conferma quando nessuna era in attesa',
        other: 'altro testo: non cambia nulla',
      },
      readAs: 'Letto come',
      delivered: 'SMS CONSEGNATO',
      notDelivered: (state) => `SMS NON CONSEGNATO (${state})`,
      receiptFor: 'Rapporto di consegna dell’SMS',
      smsText: (parts) => `È stato inviato esattamente questo testo (${parts} part${parts === 1 ? 'e' : 'i'}):`,
    },
  },
  en: {
    title: 'Proof of marketing consent',
    forCustomer: 'for',
    made: 'made',
    chainIntact: 'ledger hash chain verified intact',
    chainBroken: 'ledger hash chain BROKEN: see the ledger’s verify command',
    intro:
      'Every record the consent ledger holds for this customer, oldest first. The latest record per purpose decides. Times are the ledger’s receive times (UTC). Each record’s hash covers the previous record’s hash, so an edit, deletion or reordering would break the chain.',
    noRecords: 'No records.',
    records: 'Records, oldest first',
    erased: (at, seq, reason) =>
      `The personal data for these details was erased on ${at} (entry #${seq}; ${reason}). The ledger keeps that there were records, and when and why they were erased; whom they concerned can no longer be read. The hash chain is unaffected.`,
    erasureReasons: ERASURE_REASON_NAMES.en,
    granted: 'GRANTED',
    withdrawn: 'WITHDRAWN',
    received: 'Received',
    customerClock: 'customer’s clock',
    how: 'How',
    methods: {
      'online-booking': 'ticked by the customer in the online booking',
      staff: 'entered by staff',
      'unsubscribe-link': 'unsubscribe link in a message, used by the customer',
      suppression: "reported by the salon's newsletter tool",
      import: 'brought from other software (the customer decided earlier)',
      'front-desk': "ticked and signed by the customer at the front desk, on the salon's device, with staff present",
      'confirmation-mail': 'confirmation e-mail (double opt-in), sent by the ledger',
      'double-opt-in': 'confirmed with the link in the confirmation e-mail (double opt-in)',
      'confirmation-sms': 'SMS from the consent ledger to the customer',
      'sms-reply': 'SMS from the customer to the salon',
      'sms-receipt': 'delivery receipt from the SMS centre',
    },
    subject: 'Subject',
    identifiers: { email: 'e-mail', phone: 'phone', customerId: 'customer number' },
    staff: 'Staff',
    evidence: 'Evidence',
    reason: 'Reason',
    reported: 'Reported',
    importedFrom: 'Brought from',
    signature: 'Signature',
    signatureImage: 'The customer’s signature',
    typedName: (name) => `${name} (name typed by the customer)`,
    device: 'Device',
    decidedAt: 'Decided on',
    reference: 'Reference in the tool',
    page: 'Page',
    booking: 'Booking',
    text: 'Text',
    textLine: (version, locale) => `version ${version}, language ${locale}, SHA-256`,
    flags: 'Flags',
    recordId: 'Record id',
    entryHash: 'Entry hash',
    shownText: 'Exactly this text was shown next to the box:',
    checkpoint: 'Signed checkpoint of the ledger',
    doubleOptIn: {
      mailSent: 'CONFIRMATION E-MAIL SENT',
      mailFailed: 'CONFIRMATION E-MAIL REFUSED',
      confirmed: 'CONFIRMED (double opt-in)',
      to: 'To',
      subject: 'Subject',
      messageId: 'Message-ID',
      smtpReply: "Mail server's reply",
      linkExpires: 'Link valid until',
      requestedBy: 'Sent again at the request of',
      forGrant: 'Confirms consent',
      viaMail: 'Through the link of the e-mail',
      userAgent: 'Browser (user agent)',
      clientAddress: 'IP address at the click',
      signUpClientAddress: 'IP address at sign-up',
      mailText: 'Exactly this text was sent (the link’s signature left out), SHA-256',
      smsSent: 'CONFIRMATION SMS SENT',
      smsFailed: 'CONFIRMATION SMS REFUSED',
      stopNoticeSent: 'UNSUBSCRIBE SMS SENT',
      stopNoticeFailed: 'UNSUBSCRIBE SMS REFUSED',
      smsReply: 'SMS RECEIVED',
      from: 'From',
      messageIds: "SMS centre's message ID",
      smscError: "SMS centre's reply",
      answersStop: 'Answers the unsubscribe',
      viaSms: 'By replying to the SMS',
      replyText: 'Text of the reply',
      reading: {
        stop: 'unsubscribe (STOP)',
        confirm: 'a confirmation when none was waiting',
        other: 'other text: changes nothing',
      },
      readAs: 'Read as',
      delivered: 'SMS DELIVERED',
      notDelivered: (state) => `SMS NOT DELIVERED (${state})`,
      receiptFor: 'Delivery receipt for the SMS',
      smsText: (parts) => `Exactly this text was sent (${parts} part${parts === 1 ? '' : 's'}):`,
    },
  },
};

/** The proof's strings for the salon's language (its primary language; English when unknown). */
export function proofStringsFor(locale: string | undefined): ProofStrings {
  const lang = uiLocaleOf(locale) ?? 'en';
  const strings = uiStringsFor(lang);
  return { ...CATALOG[lang], lang, purposeName: (purpose) => purposeLabel(strings.purposeLabels, purpose) };
}

/** The locales the catalog holds, for the test that checks none lacks a key. */
export const PROOF_LOCALES = Object.keys(CATALOG);
