import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileStringsFor } from '../../src/elements/marketing-consent-file/file-strings.js';
import { plural } from '../../src/legal-text/plural.js';

// What the back office says for 0, 1 and 2 in each language: French counts 0 as singular, the others do not.
const EXPECTED = {
  de: {
    recipients: [
      '0 Personen erhalten diese Kampagne',
      '1 Person erhält diese Kampagne',
      '2 Personen erhalten diese Kampagne',
    ],
    withdrawn: ['0 haben widerrufen', '1 hat widerrufen', '2 haben widerrufen'],
    never: [
      '0 haben für diesen Kanal nie eingewilligt',
      '1 hat für diesen Kanal nie eingewilligt',
      '2 haben für diesen Kanal nie eingewilligt',
    ],
    unconfirmed: [
      '0 haben die Anmeldung per E-Mail (noch) nicht bestätigt',
      '1 hat die Anmeldung per E-Mail (noch) nicht bestätigt',
      '2 haben die Anmeldung per E-Mail (noch) nicht bestätigt',
    ],
    noRecord: [
      '0 weitere Personen ohne jede Einwilligung',
      '1 weitere Person ohne jede Einwilligung',
      '2 weitere Personen ohne jede Einwilligung',
    ],
    done: [
      'Gelöscht: 0 Einträge sind nicht mehr lesbar.',
      'Gelöscht: 1 Eintrag ist nicht mehr lesbar.',
      'Gelöscht: 2 Einträge sind nicht mehr lesbar.',
    ],
  },
  fr: {
    recipients: [
      '0 personne recevra cette campagne',
      '1 personne recevra cette campagne',
      '2 personnes recevront cette campagne',
    ],
    withdrawn: ['0 a retiré son consentement', '1 a retiré son consentement', '2 ont retiré leur consentement'],
    never: [
      '0 n’a jamais consenti pour ce canal',
      '1 n’a jamais consenti pour ce canal',
      '2 n’ont jamais consenti pour ce canal',
    ],
    unconfirmed: [
      '0 n’a pas (encore) confirmé son inscription par e-mail',
      '1 n’a pas (encore) confirmé son inscription par e-mail',
      '2 n’ont pas (encore) confirmé leur inscription par e-mail',
    ],
    noRecord: [
      '0 autre personne sans aucun consentement',
      '1 autre personne sans aucun consentement',
      '2 autres personnes sans aucun consentement',
    ],
    done: [
      'Effacé : 0 entrée n’est plus lisible.',
      'Effacé : 1 entrée n’est plus lisible.',
      'Effacé : 2 entrées ne sont plus lisibles.',
    ],
  },
  it: {
    recipients: [
      '0 persone riceveranno questa campagna',
      '1 persona riceverà questa campagna',
      '2 persone riceveranno questa campagna',
    ],
    withdrawn: ['0 hanno revocato', '1 ha revocato', '2 hanno revocato'],
    never: [
      '0 non hanno mai acconsentito per questo canale',
      '1 non ha mai acconsentito per questo canale',
      '2 non hanno mai acconsentito per questo canale',
    ],
    unconfirmed: [
      '0 non hanno (ancora) confermato l’iscrizione via e-mail',
      '1 non ha (ancora) confermato l’iscrizione via e-mail',
      '2 non hanno (ancora) confermato l’iscrizione via e-mail',
    ],
    noRecord: [
      '0 altre persone senza alcun consenso',
      '1 altra persona senza alcun consenso',
      '2 altre persone senza alcun consenso',
    ],
    done: [
      'Cancellato: 0 registrazioni non sono più leggibili.',
      'Cancellato: 1 registrazione non è più leggibile.',
      'Cancellato: 2 registrazioni non sono più leggibili.',
    ],
  },
  en: {
    recipients: ['0 people receive this campaign', '1 person receives this campaign', '2 people receive this campaign'],
    withdrawn: ['0 withdrew', '1 withdrew', '2 withdrew'],
    never: [
      '0 never consented on this channel',
      '1 never consented on this channel',
      '2 never consented on this channel',
    ],
    unconfirmed: [
      '0 have not (yet) confirmed their sign-up by e-mail',
      '1 has not (yet) confirmed their sign-up by e-mail',
      '2 have not (yet) confirmed their sign-up by e-mail',
    ],
    noRecord: [
      '0 more customers without any consent',
      '1 more customer without any consent',
      '2 more customers without any consent',
    ],
    done: [
      'Erased: 0 records are no longer readable.',
      'Erased: 1 record is no longer readable.',
      'Erased: 2 records are no longer readable.',
    ],
  },
} as const;

describe('counts follow each language’s plural rules', () => {
  for (const [lang, sentences] of Object.entries(EXPECTED)) {
    it(`the back office in ${lang} says 0, 1 and 2 as the language does`, () => {
      const t = fileStringsFor(lang);
      const { done, ...audience } = sentences;
      for (const [key, expected] of Object.entries(audience)) {
        const say = t.audience[key as keyof typeof audience];
        assert.deepEqual(
          [0, 1, 2].map((n) => say(n)),
          expected,
          `${lang} ${key}`,
        );
      }
      assert.deepEqual(
        [0, 1, 2].map((n) => t.erasure.done(n)),
        done,
        `${lang} erasure.done`,
      );
    });
  }

  it('large numbers are written as the language writes them, with a form of their own where it has one', () => {
    assert.equal(
      fileStringsFor('fr').audience.recipients(1_000_000),
      '1\u202f000\u202f000 de personnes recevront cette campagne',
    );
    assert.equal(fileStringsFor('de-CH').audience.recipients(1_234), '1.234 Personen erhalten diese Kampagne');
    assert.equal(
      fileStringsFor('it').audience.recipients(1_000_000),
      '1.000.000 di persone riceveranno questa campagna',
    );
    assert.equal(plural('en', 1_234, { one: '# entry', other: '# entries' }), '1,234 entries');
  });
});
