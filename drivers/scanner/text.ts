/** Byte-to-text decoding shared by the HID-POS and serial codecs. Pure, never throws. */

export const DEFAULT_MAX_PAYLOAD_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');

/**
 * Decode scanner bytes to text. Scanners send ASCII, UTF-8, or GBK for Chinese content depending
 * on configuration; valid UTF-8 wins (ASCII is valid UTF-8), anything else is read as GB18030,
 * a superset of GBK that accepts every byte sequence.
 */
export function decodeScanText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return gb18030.decode(bytes);
  }
}
