/**
 * Reads a purpose list attribute, "email-newsletter sms-newsletter" (spaces
 * or commas), into an array, and writes it back space-separated.
 */
export const purposeListConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : value.split(/[\s,]+/).filter(Boolean)),
  toAttribute: (value: readonly string[] | undefined) => value?.join(' '),
};

/** A purpose list as a page sets it: a list, or the attribute's string (frameworks set properties). */
export function toPurposeList(value: readonly string[] | string | null | undefined): string[] | undefined {
  return typeof value === 'string' ? purposeListConverter.fromAttribute(value) : value ? [...value] : undefined;
}
