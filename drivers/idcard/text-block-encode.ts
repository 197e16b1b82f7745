/**
 * Build a 256-byte text block from an IdCard (the inverse of text-block.ts), laid out per
 * §1.5 / §1.6. Used by the simulator and the bench; fields longer than their slot are cut.
 */
import type { IdCard } from './types.ts';
import { CARD_TYPE_OFFSET, LONG_TERM, TEXT_BLOCK_BYTES } from './text-block.ts';

class Writer {
  readonly bytes = new Uint8Array(TEXT_BLOCK_BYTES);
  constructor() {
    // Unused space is UCS-2 spaces (20 00), as on real cards.
    for (let i = 0; i < TEXT_BLOCK_BYTES; i += 2) this.bytes[i] = 0x20;
  }
  put(offset: number, bytes: number, value: string): void {
    const encoded = Buffer.from(value, 'utf16le');
    this.bytes.set(encoded.subarray(0, Math.min(bytes, encoded.length) & ~1), offset);
  }
  date(offset: number, iso: string | null): void {
    this.put(offset, 16, iso === null ? LONG_TERM : iso.replaceAll('-', ''));
  }
}

export function encodeTextBlock(card: IdCard): Uint8Array {
  const w = new Writer();
  switch (card.type) {
    case 'resident':
      w.put(0, 30, card.name);
      w.put(30, 2, card.sex.code);
      w.put(32, 4, card.nation.code);
      w.date(36, card.birthDate);
      w.put(52, 70, card.address);
      w.put(122, 36, card.idNumber);
      w.put(158, 30, card.issuer);
      w.date(188, card.validFrom);
      w.date(204, card.validTo);
      break;
    case 'hk-mo-tw-permit':
      w.put(0, 30, card.name);
      w.put(30, 2, card.sex.code);
      w.date(36, card.birthDate);
      w.put(52, 70, card.address);
      w.put(122, 36, card.idNumber);
      w.put(158, 30, card.issuer);
      w.date(188, card.validFrom);
      w.date(204, card.validTo);
      w.put(220, 18, card.passNumber);
      w.put(238, 4, card.issueCount);
      w.put(CARD_TYPE_OFFSET, 2, 'J');
      break;
    case 'foreign-permanent-2017':
      w.put(0, 120, card.englishName);
      w.put(120, 2, card.sex.code);
      w.put(122, 30, card.idNumber);
      w.put(152, 6, card.nationality);
      w.put(158, 30, card.name);
      w.date(188, card.validFrom);
      w.date(204, card.validTo);
      w.date(220, card.birthDate);
      w.put(236, 4, card.cardVersion);
      w.put(240, 8, card.authorityCode);
      w.put(CARD_TYPE_OFFSET, 2, 'I');
      break;
    case 'foreign-permanent-2023': {
      w.put(0, 30, card.name);
      w.put(30, 2, card.sex.code);
      w.put(32, 4, card.renewalCount);
      w.date(36, card.birthDate);
      const english = Array.from(card.englishName);
      w.put(52, 70, english.slice(0, 35).join(''));
      w.put(220, 22, english.slice(35, 46).join(''));
      w.put(122, 36, card.idNumber);
      w.date(188, card.validFrom);
      w.date(204, card.validTo);
      w.put(242, 6, card.nationality);
      w.put(CARD_TYPE_OFFSET, 2, 'Y');
      w.put(250, 6, card.previousCardLink);
      break;
    }
  }
  return w.bytes;
}
