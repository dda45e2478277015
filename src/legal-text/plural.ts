/**
 * Counts in the reader's language. The form is chosen by the language's own
 * plural rules (CLDR, through Intl.PluralRules): French says "0 personne",
 * German "0 Personen", and large numbers may take a form of their own
 * ("1 000 000 de personnes"). Every count a salon owner, a customer or an
 * operator reads goes through here.
 */

/** The sentence for each plural category of a language; `#` stands for the number. `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

/** The sentence for `count` in `locale`, with the number written as the language writes it. */
export function plural(locale: string, count: number, forms: PluralForms): string {
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  let number = numbers.get(locale);
  if (!number) numbers.set(locale, (number = new Intl.NumberFormat(locale)));
  const form = forms[rule.select(count)] ?? forms.other;
  return form.replaceAll('#', number.format(count));
}
