/**
 * A scanned payload that must travel through the kiosk without being read, logged or serialised:
 * the 医保电子凭证 QR content. Every accidental route to a log prints `[redacted]`
 * (String(), template literals, JSON.stringify / pino, util.inspect / console); only `reveal()`,
 * called at the e-voucher SDK boundary, returns the text.
 */
const REDACTED = '[redacted]';

export class OpaquePayload {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Number of characters; harmless metadata for diagnostics. */
  get length(): number {
    return this.#value.length;
  }

  /** The raw payload, for handing to the e-voucher SDK only. Never log the result. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpaquePayload ${REDACTED}`;
  }
}
