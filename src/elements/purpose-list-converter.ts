/**
 * Reads a purpose list attribute, "email-newsletter sms-newsletter" (spaces
 * or commas), into an array, and writes it back space-separated.
 */
export const purposeListConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : value.split(/[\s,]+/).filter(Boolean)),
  toAttribute: (value: readonly string[] | undefined) => value?.join(' '),
};
