/**
 * The staff elements' interface strings, in the salons' four languages.
 */
import type { ErasureReason, RecordFlag, SuppressionKind } from '../../contract/ledger-records.js';
import { SUPPRESSION_KIND_NAMES } from '../../legal-text/suppression-kind-names.js';
import { plural } from '../../legal-text/plural.js';
import { ERASURE_REASON_NAMES } from '../../legal-text/erasure-reason-names.js';
import { inLanguage, UI_STRINGS, type UiLocale } from '../../legal-text/ui-strings.js';
import { RECORD_FLAG_NAMES } from '../../legal-text/record-flag-names.js';

export interface FileStrings {
  /** One name per purpose everywhere: the widget's box labels. */
  purposeNames: Record<string, string>;
  states: { granted: string; pending: string; withdrawn: string; never: string; erased: string };
  since: (date: string) => string;
  methods: {
    'online-booking': string;
    staff: (name: string) => string;
    'unsubscribe-link': string;
    suppression: (kind: SuppressionKind, source: string) => string;
    import: (source: string) => string;
    'front-desk': (staff: string, device: string) => string;
    'confirmation-mail': string;
    'double-opt-in': string;
    'confirmation-sms': string;
    /** A customer's SMS: a STOP, or another text that changed nothing. */
    'sms-reply': (stop: boolean) => string;
    /** A double opt-in confirmed by replying to the SMS. */
    'double-opt-in-sms': string;
    /** The SMSC's delivery receipt: the phone got the SMS, or not (its state). */
    'sms-receipt': (delivered: boolean, state: string) => string;
  };
  evidence: string;
  textVersion: (version: string, locale: string) => string;
  showText: string;
  neverExplained: string;
  withdrawnExplained: string;
  /** The double opt-in of one address: its mails, the click, the lapse. */
  confirmation: {
    pending: (address: string, until: string) => string;
    lapsed: (address: string) => string;
    confirmed: (address: string, at: string) => string;
    mailSent: (at: string) => string;
    mailFailed: (at: string, reply: string) => string;
    resend: string;
    resent: string;
    tooSoon: (minutes: number) => string;
    /** The same for a phone number, confirmed by replying to an SMS. */
    sms: {
      pending: (number: string, until: string, yes: string) => string;
      confirmed: (number: string, at: string) => string;
      sent: (at: string) => string;
      failed: (at: string, reply: string) => string;
    };
  };
  flags: Record<RecordFlag, string>;
  historyTitle: string;
  noHistory: string;
  grantTitle: string;
  grantWhy: string;
  purposesLegend: string;
  staffName: string;
  evidenceLabel: string;
  evidenceHint: string;
  confirmAgreed: string;
  grantButton: string;
  withdrawTitle: string;
  reason: string;
  withdrawButton: string;
  printProof: string;
  /** Erasing the customer's personal data (GDPR Art. 17). */
  erasure: {
    title: string;
    why: string;
    reasonLabel: string;
    reasons: Record<ErasureReason, string>;
    noteLabel: string;
    noteHint: string;
    confirm: string;
    button: string;
    done: (count: number) => string;
    erasedOn: (at: string, reason: string) => string;
  };
  retry: string;
  loading: string;
  saved: string;
  required: (field: string) => string;
  choosePurpose: string;
  errors: { unreachable: string; unauthorized: string; rejected: (message: string) => string; popup: string };
  noCustomer: string;
  audience: {
    title: string;
    purpose: string;
    recipients: (count: number) => string;
    leftOut: string;
    withdrawn: (count: number) => string;
    never: (count: number) => string;
    unconfirmed: (count: number) => string;
    /** Granted, but the newsletter tool reported the address undeliverable. */
    bounced: (count: number) => string;
    /** Granted only by an import, left out on request. */
    imported: (count: number) => string;
    noRecord: (count: number) => string;
    why: string;
    download: string;
    address: string;
    consentSince: string;
    how: string;
  };
}

const date = (locale: string) => (iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const formatDate = (locale: string, iso: string) => date(locale)(iso);

export const FILE_STRINGS: Record<UiLocale, FileStrings> = {
  de: {
    purposeNames: UI_STRINGS.de.purposeLabels,
    states: {
      granted: 'Einwilligung liegt vor',
      pending: 'Wartet auf Bestätigung',
      withdrawn: 'Widerrufen',
      never: 'Keine Einwilligung',
      erased: 'Daten gelöscht',
    },
    since: (d) => `seit ${d}`,
    methods: {
      'online-booking': 'vom Kunden bei der Onlinebuchung angekreuzt',
      staff: (n) => `vom Personal erfasst: ${n}`,
      'unsubscribe-link': 'über den Abmeldelink in einer Nachricht',
      suppression: (kind, source) => SUPPRESSION_KIND_NAMES.de[kind](source),
      import: (source) => `übernommen aus ${source}`,
      'front-desk': (staff, device) => `am Empfang selbst unterschrieben (Personal: ${staff}, Gerät: ${device})`,
      'confirmation-mail': 'Bestätigungs-E-Mail versandt',
      'double-opt-in': 'per Link in der Bestätigungs-E-Mail bestätigt',
      'confirmation-sms': 'SMS an die Kundin bzw. den Kunden versandt',
      'sms-reply': (stop) =>
        stop ? 'per SMS mit STOP abgemeldet' : 'SMS der Kundin bzw. des Kunden erhalten (ändert nichts)',
      'double-opt-in-sms': 'per Antwort auf die Bestätigungs-SMS bestätigt',
      'sms-receipt': (ok, state) => (ok ? 'SMS zugestellt' : `SMS nicht zugestellt (${state})`),
    },
    evidence: 'Nachweis',
    textVersion: (v, l) => `Textversion ${v} (${l})`,
    showText: 'Angezeigten Text ansehen',
    neverExplained: 'Ohne Einwilligung wird die Kundin bzw. der Kunde bei Kampagnen für diesen Kanal ausgelassen.',
    withdrawnExplained: 'Widerrufen: keine Werbung über diesen Kanal, bis erneut eingewilligt wird.',
    confirmation: {
      pending: (a, until) =>
        `${a}: wartet bis ${until} auf die Bestätigung per Link in der E-Mail; bis dahin keine Werbung.`,
      lapsed: (a) => `${a}: nicht rechtzeitig bestätigt, die Anmeldung ist verfallen.`,
      confirmed: (a, at) => `${a}: am ${at} per Link in der Bestätigungs-E-Mail bestätigt (Double-Opt-in).`,
      mailSent: (at) => `Bestätigungs-E-Mail versandt am ${at}`,
      mailFailed: (at, reply) => `Bestätigungs-E-Mail am ${at} nicht angenommen: ${reply}`,
      sms: {
        pending: (n, until, yes) =>
          `${n}: wartet bis ${until} auf die Antwort ${yes} auf die Bestätigungs-SMS; bis dahin keine Werbung.`,
        confirmed: (n, at) => `${n}: am ${at} per Antwort auf die Bestätigungs-SMS bestätigt (Double-Opt-in).`,
        sent: (at) => `Bestätigungs-SMS versandt am ${at}`,
        failed: (at, reply) => `Bestätigungs-SMS am ${at} nicht angenommen: ${reply}`,
      },
      resend: 'Bestätigungs-E-Mail erneut senden',
      resent: 'Bestätigungs-E-Mail erneut gesendet.',
      tooSoon: (m) =>
        `Die letzte Bestätigungs-E-Mail ist eben erst verschickt worden. Bitte in ${m} Min. erneut versuchen.`,
    },
    flags: RECORD_FLAG_NAMES.de,
    historyTitle: 'Verlauf (neueste zuerst)',
    noHistory: 'Noch keine Einträge.',
    grantTitle: 'Im Salon erteilte Einwilligung erfassen',
    grantWhy:
      'Erfassen Sie nur, was die Kundin bzw. der Kunde selbst erklärt hat. Bei einer Beschwerde muss der Salon die Einwilligung beweisen (Art. 7 Abs. 1 DSGVO): Lassen Sie ein Formular unterschreiben, bewahren Sie es auf und notieren Sie hier, wo es liegt.',
    purposesLegend: 'Wofür hat die Kundin bzw. der Kunde eingewilligt?',
    staffName: 'Ihr Name',
    evidenceLabel: 'Nachweis',
    evidenceHint: 'z. B. «unterschriebenes Formular, 20.11.2026, Ordner 12»',
    confirmAgreed:
      'Ich bestätige: Diese Kundin bzw. dieser Kunde hat genau diesen Zwecken zugestimmt, und der Nachweis wird aufbewahrt.',
    grantButton: 'Einwilligung erfassen',
    withdrawTitle: 'Widerruf erfassen',
    reason: 'Grund (freiwillig)',
    withdrawButton: 'Widerruf erfassen',
    printProof: 'Nachweis drucken',
    erasure: {
      title: 'Personenbezogene Daten löschen',
      why: 'Auf Wunsch der Kundin bzw. des Kunden (Art. 17 DSGVO, Art. 32 revDSG): Name, Adressen und Angaben in allen Einträgen werden unlesbar gemacht. Im Register bleibt nur, dass Einträge bestanden und wann und warum sie gelöscht wurden. Das lässt sich nicht rückgängig machen.',
      reasonLabel: 'Grund',
      reasons: ERASURE_REASON_NAMES.de,
      noteLabel: 'Notiz (freiwillig)',
      noteHint: 'Ohne Namen oder Adressen: Die Notiz bleibt nach der Löschung lesbar.',
      confirm:
        'Ich habe geprüft, dass die Anfrage von dieser Kundin bzw. diesem Kunden stammt, und will die Daten endgültig löschen.',
      button: 'Daten endgültig löschen',
      done: (n) =>
        plural('de', n, {
          one: 'Gelöscht: # Eintrag ist nicht mehr lesbar.',
          other: 'Gelöscht: # Einträge sind nicht mehr lesbar.',
        }),
      erasedOn: (at, reason) =>
        `Die personenbezogenen Daten dieser Kundin bzw. dieses Kunden wurden am ${at} gelöscht (${reason}). Sie erhält keine Werbung; eine neue Einwilligung beginnt einen neuen Verlauf.`,
    },
    retry: 'Erneut versuchen',
    loading: 'Lädt …',
    saved: 'Gespeichert.',
    required: (f) => `Bitte «${f}» ausfüllen.`,
    choosePurpose: 'Bitte mindestens einen Zweck wählen.',
    errors: {
      unreachable:
        'Das Einwilligungsregister ist nicht erreichbar. Es wurde nichts geändert. Bitte später erneut versuchen.',
      unauthorized: 'Keine Berechtigung: Ihre Sitzung ist abgelaufen oder der Zugang ist ungültig. Bitte neu anmelden.',
      rejected: (m) => `Das Register hat die Anfrage abgelehnt: ${m}`,
      popup: 'Das Fenster für den Nachweis wurde blockiert. Bitte Pop-ups für diese Seite erlauben.',
    },
    noCustomer: 'Keine Kundin bzw. kein Kunde gewählt: e-mail, phone oder customer-id setzen.',
    audience: {
      title: 'Empfänger einer Kampagne',
      purpose: 'Kanal',
      recipients: (n) =>
        plural('de', n, { one: '# Person erhält diese Kampagne', other: '# Personen erhalten diese Kampagne' }),
      leftOut: 'Ausgelassen, weil keine Einwilligung vorliegt:',
      withdrawn: (n) => plural('de', n, { one: '# hat widerrufen', other: '# haben widerrufen' }),
      never: (n) =>
        plural('de', n, {
          one: '# hat für diesen Kanal nie eingewilligt',
          other: '# haben für diesen Kanal nie eingewilligt',
        }),
      bounced: (n) =>
        plural('de', n, {
          one: '# Adresse ist laut Newsletter-Tool unzustellbar',
          other: '# Adressen sind laut Newsletter-Tool unzustellbar',
        }),
      imported: (n) =>
        plural('de', n, {
          one: '# hat nur eine übernommene Einwilligung (ausgelassen)',
          other: '# haben nur eine übernommene Einwilligung (ausgelassen)',
        }),
      unconfirmed: (n) =>
        plural('de', n, {
          one: '# hat die Anmeldung per E-Mail (noch) nicht bestätigt',
          other: '# haben die Anmeldung per E-Mail (noch) nicht bestätigt',
        }),
      noRecord: (n) =>
        plural('de', n, {
          one: '# weitere Person ohne jede Einwilligung',
          other: '# weitere Personen ohne jede Einwilligung',
        }),
      why: 'Warum ist die Liste kleiner als erwartet? Werbung per E-Mail oder SMS ist nur mit vorheriger, ausdrücklicher Einwilligung erlaubt. Einwilligungen werden einzeln eingeholt: bei der Onlinebuchung oder im Salon mit Unterschrift. Alle Kunden per Massenmail um Einwilligung zu bitten, ist selbst Werbung und nicht erlaubt.',
      download: 'Empfängerliste herunterladen (CSV)',
      address: 'Adresse',
      consentSince: 'Einwilligung seit',
      how: 'Wie',
    },
  },
  fr: {
    purposeNames: UI_STRINGS.fr.purposeLabels,
    states: {
      granted: 'Consentement donné',
      pending: 'En attente de confirmation',
      withdrawn: 'Retiré',
      never: 'Aucun consentement',
      erased: 'Données effacées',
    },
    since: (d) => `depuis le ${d}`,
    methods: {
      'online-booking': 'coché par le client lors de la réservation en ligne',
      staff: (n) => `saisi par le personnel : ${n}`,
      'unsubscribe-link': 'via le lien de désinscription d’un message',
      suppression: (kind, source) => SUPPRESSION_KIND_NAMES.fr[kind](source),
      import: (source) => `repris de ${source}`,
      'front-desk': (staff, device) => `signé par le client à l’accueil (personnel : ${staff}, appareil : ${device})`,
      'confirmation-mail': 'e-mail de confirmation envoyé',
      'double-opt-in': 'confirmé par le lien de l’e-mail de confirmation',
      'confirmation-sms': 'SMS envoyé au client / à la cliente',
      'sms-reply': (stop) =>
        stop ? 'désinscrit(e) par SMS avec STOP' : 'SMS reçu du client / de la cliente (ne change rien)',
      'double-opt-in-sms': 'confirmé par réponse au SMS de confirmation',
      'sms-receipt': (ok, state) => (ok ? 'SMS remis' : `SMS non remis (${state})`),
    },
    evidence: 'Preuve',
    textVersion: (v, l) => `Version du texte ${v} (${l})`,
    showText: 'Voir le texte affiché',
    neverExplained: 'Sans consentement, ce client est exclu des campagnes sur ce canal.',
    withdrawnExplained: 'Retiré : aucune publicité sur ce canal jusqu’à un nouveau consentement.',
    confirmation: {
      pending: (a, until) =>
        `${a} : attend jusqu’au ${until} la confirmation par le lien de l’e-mail ; d’ici là, aucune publicité.`,
      lapsed: (a) => `${a} : pas confirmé à temps, l’inscription a expiré.`,
      confirmed: (a, at) => `${a} : confirmé le ${at} par le lien de l’e-mail de confirmation (double opt-in).`,
      mailSent: (at) => `E-mail de confirmation envoyé le ${at}`,
      mailFailed: (at, reply) => `E-mail de confirmation refusé le ${at} : ${reply}`,
      sms: {
        pending: (n, until, yes) =>
          `${n} : attend jusqu’au ${until} la réponse ${yes} au SMS de confirmation ; pas de publicité d’ici là.`,
        confirmed: (n, at) => `${n} : confirmé le ${at} par réponse au SMS de confirmation (double opt-in).`,
        sent: (at) => `SMS de confirmation envoyé le ${at}`,
        failed: (at, reply) => `SMS de confirmation refusé le ${at} : ${reply}`,
      },
      resend: 'Renvoyer l’e-mail de confirmation',
      resent: 'E-mail de confirmation renvoyé.',
      tooSoon: (m) => `Le dernier e-mail de confirmation vient d’être envoyé. Réessayez dans ${m} min.`,
    },
    flags: RECORD_FLAG_NAMES.fr,
    historyTitle: 'Historique (le plus récent en premier)',
    noHistory: 'Aucune entrée.',
    grantTitle: 'Saisir un consentement donné au salon',
    grantWhy:
      'Ne saisissez que ce que le client a lui-même déclaré. En cas de plainte, le salon doit prouver le consentement (art. 7, par. 1 RGPD) : faites signer un formulaire, conservez-le et notez ici où il se trouve.',
    purposesLegend: 'À quoi le client a-t-il consenti ?',
    staffName: 'Votre nom',
    evidenceLabel: 'Preuve',
    evidenceHint: 'p. ex. « formulaire signé, 20.11.2026, classeur 12 »',
    confirmAgreed: 'Je confirme que ce client a consenti exactement à ces finalités et que la preuve est conservée.',
    grantButton: 'Saisir le consentement',
    withdrawTitle: 'Saisir un retrait',
    reason: 'Motif (facultatif)',
    withdrawButton: 'Saisir le retrait',
    printProof: 'Imprimer la preuve',
    erasure: {
      title: 'Effacer les données personnelles',
      why: 'À la demande du client (art. 17 RGPD, art. 32 nLPD) : nom, adresses et indications sont rendus illisibles dans toutes les entrées. Le registre garde seulement que des entrées ont existé, quand et pourquoi elles ont été effacées. C’est irréversible.',
      reasonLabel: 'Motif',
      reasons: ERASURE_REASON_NAMES.fr,
      noteLabel: 'Note (facultative)',
      noteHint: 'Sans nom ni adresse : la note reste lisible après l’effacement.',
      confirm: 'J’ai vérifié que la demande vient de ce client et je veux effacer les données définitivement.',
      button: 'Effacer définitivement',
      done: (n) =>
        plural('fr', n, {
          one: 'Effacé : # entrée n’est plus lisible.',
          other: 'Effacé : # entrées ne sont plus lisibles.',
        }),
      erasedOn: (at, reason) =>
        `Les données personnelles de ce client ont été effacées le ${at} (${reason}). Il ne reçoit aucune publicité ; un nouveau consentement commence un nouvel historique.`,
    },
    retry: 'Réessayer',
    loading: 'Chargement …',
    saved: 'Enregistré.',
    required: (f) => `Veuillez remplir « ${f} ».`,
    choosePurpose: 'Veuillez choisir au moins une finalité.',
    errors: {
      unreachable: 'Le registre des consentements est injoignable. Rien n’a été modifié. Veuillez réessayer plus tard.',
      unauthorized: 'Accès refusé : votre session a expiré ou l’accès n’est pas valide. Veuillez vous reconnecter.',
      rejected: (m) => `Le registre a refusé la demande : ${m}`,
      popup: 'La fenêtre de la preuve a été bloquée. Veuillez autoriser les fenêtres pop-up pour ce site.',
    },
    noCustomer: 'Aucun client choisi : définir e-mail, phone ou customer-id.',
    audience: {
      title: 'Destinataires d’une campagne',
      purpose: 'Canal',
      recipients: (n) =>
        plural('fr', n, {
          one: '# personne recevra cette campagne',
          many: '# de personnes recevront cette campagne',
          other: '# personnes recevront cette campagne',
        }),
      leftOut: 'Exclus faute de consentement :',
      withdrawn: (n) =>
        plural('fr', n, { one: '# a retiré son consentement', other: '# ont retiré leur consentement' }),
      never: (n) =>
        plural('fr', n, { one: '# n’a jamais consenti pour ce canal', other: '# n’ont jamais consenti pour ce canal' }),
      bounced: (n) =>
        plural('fr', n, {
          one: '# adresse non distribuable selon l’outil d’infolettre',
          other: '# adresses non distribuables selon l’outil d’infolettre',
        }),
      imported: (n) =>
        plural('fr', n, {
          one: '# n’a qu’un consentement repris (exclu)',
          other: '# n’ont qu’un consentement repris (exclus)',
        }),
      unconfirmed: (n) =>
        plural('fr', n, {
          one: '# n’a pas (encore) confirmé son inscription par e-mail',
          other: '# n’ont pas (encore) confirmé leur inscription par e-mail',
        }),
      noRecord: (n) =>
        plural('fr', n, {
          one: '# autre personne sans aucun consentement',
          many: '# d’autres personnes sans aucun consentement',
          other: '# autres personnes sans aucun consentement',
        }),
      why: 'Pourquoi la liste est-elle plus courte que prévu ? La publicité par e-mail ou SMS n’est permise qu’avec un consentement préalable et exprès. Les consentements se recueillent un par un : lors de la réservation en ligne ou au salon avec signature. Demander à tous les clients par envoi de masse est lui-même de la publicité et n’est pas permis.',
      download: 'Télécharger la liste des destinataires (CSV)',
      address: 'Adresse',
      consentSince: 'Consentement depuis',
      how: 'Comment',
    },
  },
  it: {
    purposeNames: UI_STRINGS.it.purposeLabels,
    states: {
      granted: 'Consenso presente',
      pending: 'In attesa di conferma',
      withdrawn: 'Revocato',
      never: 'Nessun consenso',
      erased: 'Dati cancellati',
    },
    since: (d) => `dal ${d}`,
    methods: {
      'online-booking': 'spuntato dal cliente nella prenotazione online',
      staff: (n) => `registrato dal personale: ${n}`,
      'unsubscribe-link': 'tramite il link di disiscrizione di un messaggio',
      suppression: (kind, source) => SUPPRESSION_KIND_NAMES.it[kind](source),
      import: (source) => `ripreso da ${source}`,
      'front-desk': (staff, device) =>
        `firmato dal cliente alla reception (personale: ${staff}, dispositivo: ${device})`,
      'confirmation-mail': 'e-mail di conferma inviata',
      'double-opt-in': 'confermato tramite il link dell’e-mail di conferma',
      'confirmation-sms': 'SMS inviato al cliente / alla cliente',
      'sms-reply': (stop) =>
        stop ? 'disiscritto/a via SMS con STOP' : 'SMS ricevuto dal cliente / dalla cliente (non cambia nulla)',
      'double-opt-in-sms': 'confermato rispondendo all’SMS di conferma',
      'sms-receipt': (ok, state) => (ok ? 'SMS consegnato' : `SMS non consegnato (${state})`),
    },
    evidence: 'Prova',
    textVersion: (v, l) => `Versione del testo ${v} (${l})`,
    showText: 'Vedi il testo mostrato',
    neverExplained: 'Senza consenso, il cliente è escluso dalle campagne su questo canale.',
    withdrawnExplained: 'Revocato: nessuna pubblicità su questo canale fino a un nuovo consenso.',
    confirmation: {
      pending: (a, until) =>
        `${a}: attende fino al ${until} la conferma tramite il link nell’e-mail; fino ad allora nessuna pubblicità.`,
      lapsed: (a) => `${a}: non confermato in tempo, l’iscrizione è scaduta.`,
      confirmed: (a, at) => `${a}: confermato il ${at} tramite il link dell’e-mail di conferma (double opt-in).`,
      mailSent: (at) => `E-mail di conferma inviata il ${at}`,
      mailFailed: (at, reply) => `E-mail di conferma rifiutata il ${at}: ${reply}`,
      sms: {
        pending: (n, until, yes) =>
          `${n}: attende fino al ${until} la risposta ${yes} all’SMS di conferma; fino ad allora nessuna pubblicità.`,
        confirmed: (n, at) => `${n}: confermato il ${at} rispondendo all’SMS di conferma (double opt-in).`,
        sent: (at) => `SMS di conferma inviato il ${at}`,
        failed: (at, reply) => `SMS di conferma rifiutato il ${at}: ${reply}`,
      },
      resend: 'Invia di nuovo l’e-mail di conferma',
      resent: 'E-mail di conferma inviata di nuovo.',
      tooSoon: (m) => `L’ultima e-mail di conferma è appena stata inviata. Riprovi tra ${m} min.`,
    },
    flags: RECORD_FLAG_NAMES.it,
    historyTitle: 'Cronologia (dal più recente)',
    noHistory: 'Nessuna voce.',
    grantTitle: 'Registrare un consenso dato in salone',
    grantWhy:
      'Registri solo ciò che il cliente ha dichiarato personalmente. In caso di reclamo il salone deve provare il consenso (art. 7 par. 1 GDPR): faccia firmare un modulo, lo conservi e annoti qui dove si trova.',
    purposesLegend: 'A che cosa ha acconsentito il cliente?',
    staffName: 'Il suo nome',
    evidenceLabel: 'Prova',
    evidenceHint: 'p. es. «modulo firmato, 20.11.2026, raccoglitore 12»',
    confirmAgreed:
      'Confermo che questo cliente ha acconsentito esattamente a queste finalità e che la prova è conservata.',
    grantButton: 'Registra il consenso',
    withdrawTitle: 'Registrare una revoca',
    reason: 'Motivo (facoltativo)',
    withdrawButton: 'Registra la revoca',
    printProof: 'Stampa la prova',
    erasure: {
      title: 'Cancellare i dati personali',
      why: 'Su richiesta del cliente (art. 17 GDPR, art. 32 nLPD): nome, indirizzi e indicazioni diventano illeggibili in tutte le registrazioni. Nel registro resta solo che le registrazioni esistevano, quando e perché sono state cancellate. Non si può annullare.',
      reasonLabel: 'Motivo',
      reasons: ERASURE_REASON_NAMES.it,
      noteLabel: 'Nota (facoltativa)',
      noteHint: 'Senza nomi né indirizzi: la nota resta leggibile dopo la cancellazione.',
      confirm: 'Ho verificato che la richiesta proviene da questo cliente e voglio cancellare i dati definitivamente.',
      button: 'Cancellare definitivamente',
      done: (n) =>
        plural('it', n, {
          one: 'Cancellato: # registrazione non è più leggibile.',
          other: 'Cancellato: # registrazioni non sono più leggibili.',
        }),
      erasedOn: (at, reason) =>
        `I dati personali di questo cliente sono stati cancellati il ${at} (${reason}). Non riceve pubblicità; un nuovo consenso inizia una nuova cronologia.`,
    },
    retry: 'Riprova',
    loading: 'Caricamento …',
    saved: 'Salvato.',
    required: (f) => `Compili «${f}».`,
    choosePurpose: 'Scelga almeno una finalità.',
    errors: {
      unreachable: 'Il registro dei consensi non è raggiungibile. Non è stato modificato nulla. Riprovi più tardi.',
      unauthorized: 'Accesso negato: la sessione è scaduta o l’accesso non è valido. Acceda di nuovo.',
      rejected: (m) => `Il registro ha rifiutato la richiesta: ${m}`,
      popup: 'La finestra della prova è stata bloccata. Consenta i pop-up per questo sito.',
    },
    noCustomer: 'Nessun cliente scelto: impostare e-mail, phone o customer-id.',
    audience: {
      title: 'Destinatari di una campagna',
      purpose: 'Canale',
      recipients: (n) =>
        plural('it', n, {
          one: '# persona riceverà questa campagna',
          many: '# di persone riceveranno questa campagna',
          other: '# persone riceveranno questa campagna',
        }),
      leftOut: 'Esclusi per mancanza di consenso:',
      withdrawn: (n) => plural('it', n, { one: '# ha revocato', other: '# hanno revocato' }),
      never: (n) =>
        plural('it', n, {
          one: '# non ha mai acconsentito per questo canale',
          other: '# non hanno mai acconsentito per questo canale',
        }),
      bounced: (n) =>
        plural('it', n, {
          one: '# indirizzo non recapitabile secondo lo strumento newsletter',
          other: '# indirizzi non recapitabili secondo lo strumento newsletter',
        }),
      imported: (n) =>
        plural('it', n, {
          one: '# ha solo un consenso ripreso (escluso)',
          other: '# hanno solo un consenso ripreso (esclusi)',
        }),
      unconfirmed: (n) =>
        plural('it', n, {
          one: '# non ha (ancora) confermato l’iscrizione via e-mail',
          other: '# non hanno (ancora) confermato l’iscrizione via e-mail',
        }),
      noRecord: (n) =>
        plural('it', n, {
          one: '# altra persona senza alcun consenso',
          many: '# di altre persone senza alcun consenso',
          other: '# altre persone senza alcun consenso',
        }),
      why: 'Perché la lista è più corta del previsto? La pubblicità via e-mail o SMS è permessa solo con consenso preventivo ed esplicito. I consensi si raccolgono uno per uno: nella prenotazione online o in salone con firma. Chiedere il consenso a tutti con un invio di massa è già pubblicità e non è permesso.',
      download: 'Scarica la lista dei destinatari (CSV)',
      address: 'Indirizzo',
      consentSince: 'Consenso dal',
      how: 'Come',
    },
  },
  en: {
    purposeNames: UI_STRINGS.en.purposeLabels,
    states: {
      granted: 'Consent on record',
      pending: 'Waiting for confirmation',
      withdrawn: 'Withdrawn',
      never: 'No consent',
      erased: 'Data erased',
    },
    since: (d) => `since ${d}`,
    methods: {
      'online-booking': 'ticked by the customer in the online booking',
      staff: (n) => `entered by staff: ${n}`,
      'unsubscribe-link': 'through the unsubscribe link in a message',
      suppression: (kind, source) => SUPPRESSION_KIND_NAMES.en[kind](source),
      import: (source) => `brought from ${source}`,
      'front-desk': (staff, device) => `signed by the customer at the front desk (staff: ${staff}, device: ${device})`,
      'confirmation-mail': 'confirmation e-mail sent',
      'double-opt-in': 'confirmed with the link in the confirmation e-mail',
      'confirmation-sms': 'SMS sent to the customer',
      'sms-reply': (stop) =>
        stop ? 'unsubscribed by SMS with STOP' : 'SMS received from the customer (changes nothing)',
      'double-opt-in-sms': 'confirmed by replying to the confirmation SMS',
      'sms-receipt': (ok, state) => (ok ? 'SMS delivered' : `SMS not delivered (${state})`),
    },
    evidence: 'Evidence',
    textVersion: (v, l) => `Text version ${v} (${l})`,
    showText: 'Show the text shown',
    neverExplained: 'Without consent, this customer is left out of campaigns on this channel.',
    withdrawnExplained: 'Withdrawn: no marketing on this channel until the customer consents again.',
    confirmation: {
      pending: (a, until) =>
        `${a}: waiting until ${until} for the confirmation by the link in the e-mail; no marketing until then.`,
      lapsed: (a) => `${a}: not confirmed in time, the sign-up has lapsed.`,
      confirmed: (a, at) => `${a}: confirmed on ${at} with the link in the confirmation e-mail (double opt-in).`,
      mailSent: (at) => `Confirmation e-mail sent on ${at}`,
      mailFailed: (at, reply) => `Confirmation e-mail refused on ${at}: ${reply}`,
      sms: {
        pending: (n, until, yes) =>
          `${n}: waits until ${until} for the reply ${yes} to the confirmation SMS; no marketing until then.`,
        confirmed: (n, at) => `${n}: confirmed on ${at} by replying to the confirmation SMS (double opt-in).`,
        sent: (at) => `Confirmation SMS sent on ${at}`,
        failed: (at, reply) => `Confirmation SMS refused on ${at}: ${reply}`,
      },
      resend: 'Send the confirmation e-mail again',
      resent: 'Confirmation e-mail sent again.',
      tooSoon: (m) => `The last confirmation e-mail went out a moment ago. Please try again in ${m} min.`,
    },
    flags: RECORD_FLAG_NAMES.en,
    historyTitle: 'History (newest first)',
    noHistory: 'No records yet.',
    grantTitle: 'Record a consent given in the salon',
    grantWhy:
      'Record only what the customer said themselves. If the customer complains, the salon must prove the consent (GDPR Art. 7(1)): have a form signed, keep it, and note here where it is.',
    purposesLegend: 'What did the customer agree to?',
    staffName: 'Your name',
    evidenceLabel: 'Evidence',
    evidenceHint: 'e.g. “signed form, 2026-11-20, folder 12”',
    confirmAgreed: 'I confirm that this customer agreed to exactly these purposes and that the evidence is kept.',
    grantButton: 'Record consent',
    withdrawTitle: 'Record a withdrawal',
    reason: 'Reason (optional)',
    withdrawButton: 'Record withdrawal',
    printProof: 'Print proof',
    erasure: {
      title: 'Erase personal data',
      why: 'At the customer’s request (GDPR Art. 17, revFADP Art. 32): name, addresses and details become unreadable in every record. The register keeps only that records existed, and when and why they were erased. This cannot be undone.',
      reasonLabel: 'Reason',
      reasons: ERASURE_REASON_NAMES.en,
      noteLabel: 'Note (optional)',
      noteHint: 'No names or addresses: the note stays readable after the erasure.',
      confirm: 'I have checked that this request comes from this customer, and I want to erase the data for good.',
      button: 'Erase for good',
      done: (n) =>
        plural('en', n, {
          one: 'Erased: # record is no longer readable.',
          other: 'Erased: # records are no longer readable.',
        }),
      erasedOn: (at, reason) =>
        `This customer’s personal data was erased on ${at} (${reason}). They get no marketing; a new consent starts a new history.`,
    },
    retry: 'Try again',
    loading: 'Loading …',
    saved: 'Saved.',
    required: (f) => `Please fill in “${f}”.`,
    choosePurpose: 'Please choose at least one purpose.',
    errors: {
      unreachable: 'The consent ledger cannot be reached. Nothing was changed. Please try again later.',
      unauthorized: 'Not authorised: your session has expired or the access is not valid. Please sign in again.',
      rejected: (m) => `The ledger refused the request: ${m}`,
      popup: 'The proof window was blocked. Please allow pop-ups for this site.',
    },
    noCustomer: 'No customer chosen: set email, phone or customer-id.',
    audience: {
      title: 'Campaign recipients',
      purpose: 'Channel',
      recipients: (n) =>
        plural('en', n, { one: '# person receives this campaign', other: '# people receive this campaign' }),
      leftOut: 'Left out for lack of consent:',
      withdrawn: (n) => plural('en', n, { other: '# withdrew' }),
      never: (n) => plural('en', n, { other: '# never consented on this channel' }),
      bounced: (n) =>
        plural('en', n, {
          one: '# address is undeliverable, according to the newsletter tool',
          other: '# addresses are undeliverable, according to the newsletter tool',
        }),
      imported: (n) =>
        plural('en', n, {
          one: '# has only an imported consent (left out)',
          other: '# have only an imported consent (left out)',
        }),
      unconfirmed: (n) =>
        plural('en', n, {
          one: '# has not (yet) confirmed their sign-up by e-mail',
          other: '# have not (yet) confirmed their sign-up by e-mail',
        }),
      noRecord: (n) =>
        plural('en', n, { one: '# more customer without any consent', other: '# more customers without any consent' }),
      why: 'Why is the list smaller than expected? Marketing by e-mail or SMS is only allowed with prior, explicit consent. Consents are collected one by one: at the online booking, or in the salon with a signature. Asking all customers by mass mail is itself marketing and not allowed.',
      download: 'Download recipients (CSV)',
      address: 'Address',
      consentSince: 'Consent since',
      how: 'How',
    },
  },
};

export function fileStringsFor(locale: string): FileStrings {
  return inLanguage(FILE_STRINGS, locale);
}
