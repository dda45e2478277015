/**
 * How a text travels as SMS (3GPP TS 23.038 and 23.040): in the GSM 7-bit
 * default alphabet when every character is in it (160 septets in one
 * message, characters of the extension table counting twice), else in
 * UCS-2 (70 characters). A longer text is split into parts that carry a
 * concatenation header (an 8-bit reference, the number of parts and the
 * part's number), 153 septets or 67 characters each, never cutting an
 * escape sequence or a surrogate pair in two. The phone joins them again.
 *
 * Encoding is the `smpp` package's GSM 03.38 coder (one septet per octet,
 * as SMPP carries it with data_coding 0; the SMSC packs them).
 */
import smpp from 'smpp';

/** The GSM 7-bit default alphabet, basic table (3GPP TS 23.038 §6.2.1). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: each is an escape and a septet. */
const GSM_EXTENDED = '\f^{}\\[~]|€';

/** SMPP data_coding: the SMSC's default alphabet (GSM 7-bit), or UCS-2. */
export const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const;

export interface SmsParts {
  encoding: keyof typeof DATA_CODING;
  /** The text of each part, in order; one part for a text that fits a single message. */
  texts: string[];
}

/** Whether every character of the text is in the GSM 7-bit default alphabet. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM_BASIC.includes(char) && !GSM_EXTENDED.includes(char)) return false;
  return true;
}

/** The septets a GSM 7-bit text takes (extension characters take two). */
export function gsmSeptets(text: string): number {
  let septets = 0;
  for (const char of text) septets += GSM_EXTENDED.includes(char) ? 2 : 1;
  return septets;
}

/** The text cut into the parts an SMS carries it in. */
export function splitSms(text: string): SmsParts {
  const gsm = isGsm7(text);
  const single = gsm ? 160 : 70;
  const perPart = gsm ? 153 : 67;
  // UCS-2 counts UTF-16 code units; a surrogate pair is two and stays whole.
  const size = (char: string) => (gsm ? (GSM_EXTENDED.includes(char) ? 2 : 1) : char.length);
  const chars = [...text];
  const total = chars.reduce((sum, char) => sum + size(char), 0);
  if (total <= single) return { encoding: gsm ? 'gsm7' : 'ucs2', texts: [text] };
  const texts: string[] = [];
  let part = '';
  let used = 0;
  for (const char of chars) {
    if (used + size(char) > perPart) {
      texts.push(part);
      part = '';
      used = 0;
    }
    part += char;
    used += size(char);
  }
  texts.push(part);
  return { encoding: gsm ? 'gsm7' : 'ucs2', texts };
}

/** The payload of one part as SMPP carries it: its user data header (if any) and its encoded text. */
export interface SmsPayload {
  dataCoding: number;
  /** The user data header with its length octet, for a part of a concatenated message. */
  udh?: Buffer;
  message: Buffer;
}

/**
 * Every part's payload. `reference` tells the phone which parts belong
 * together (0–255; a new one for each message).
 */
export function smsPayloads(text: string, reference: number): SmsPayload[] {
  const { encoding, texts } = splitSms(text);
  const encode = (part: string) =>
    encoding === 'gsm7' ? smpp.encodings.ASCII.encode(part) : smpp.encodings.UCS2.encode(part);
  if (texts.length === 1) return [{ dataCoding: DATA_CODING[encoding], message: encode(texts[0]!) }];
  // IEI 0x00: concatenated short messages, 8-bit reference (3GPP TS 23.040 §9.2.3.24.1).
  return texts.map((part, index) => ({
    dataCoding: DATA_CODING[encoding],
    udh: Buffer.from([0x05, 0x00, 0x03, reference & 0xff, texts.length, index + 1]),
    message: encode(part),
  }));
}

/** The text of received parts, decoded by their data_coding and joined in their order. */
export function decodeSmsPart(dataCoding: number, message: Buffer): string {
  return (dataCoding & 0x0f) === DATA_CODING.ucs2
    ? smpp.encodings.UCS2.decode(message)
    : smpp.encodings.ASCII.decode(message);
}
