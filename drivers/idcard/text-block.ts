/**
 * Decode the 256-byte UCS-2LE text block of a read-basic-info reply (§1.5) for all four card
 * layouts told apart by the character at offset 248 (§1.6).
 */
import { ucs2 } from './codec.ts';
import { compactToIso } from './dates.ts';
import { nationLabel } from './nations.ts';
import type { BasicInfoBlocks, CardType, IdCard, Sex, TextBlockErrorCode, TextBlockResult } from './types.ts';

export const TEXT_BLOCK_BYTES = 256;
/** Offset of the card-type character (§1.6). */
export const CARD_TYPE_OFFSET = 248;
/** The text used in the valid-to field of a card that never expires (§1.5). */
export const LONG_TERM = '长期';

const SEX_LABELS: Readonly<Record<string, string>> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

export function sexOf(code: string): Sex {
  return { code, label: SEX_LABELS[code] ?? '未知' };
}

/** Card kind from the UCS-2 character at offset 248: space/NUL resident, 'J', 'I', 'Y'. */
export function cardTypeOf(text: Uint8Array): CardType {
  const unit = (text[CARD_TYPE_OFFSET] ?? 0) | ((text[CARD_TYPE_OFFSET + 1] ?? 0) << 8);
  switch (unit) {
    case 0x4a:
      return 'hk-mo-tw-permit';
    case 0x49:
      return 'foreign-permanent-2017';
    case 0x59:
      return 'foreign-permanent-2023';
    default:
      return 'resident';
  }
}

class BadField extends Error {
  readonly code: TextBlockErrorCode;
  constructor(code: TextBlockErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function date(text: Uint8Array, offset: number): string {
  const iso = compactToIso(ucs2(text, offset, 16));
  // The message names the field position only, never the value read.
  if (iso === null) throw new BadField('bad-date', '证件日期格式错误');
  return iso;
}

function endDate(text: Uint8Array, offset: number): string | null {
  return ucs2(text, offset, 16) === LONG_TERM ? null : date(text, offset);
}

function decode(text: Uint8Array): IdCard {
  const f = (offset: number, bytes: number) => ucs2(text, offset, bytes);
  const type = cardTypeOf(text);
  let card: IdCard;
  switch (type) {
    case 'resident':
      card = {
        type,
        name: f(0, 30),
        sex: sexOf(f(30, 2)),
        nation: { code: f(32, 4), label: nationLabel(f(32, 4)) },
        birthDate: date(text, 36),
        address: f(52, 70),
        idNumber: f(122, 36),
        issuer: f(158, 30),
        validFrom: date(text, 188),
        validTo: endDate(text, 204),
      };
      break;
    case 'hk-mo-tw-permit':
      card = {
        type,
        name: f(0, 30),
        sex: sexOf(f(30, 2)),
        birthDate: date(text, 36),
        address: f(52, 70),
        idNumber: f(122, 36),
        issuer: f(158, 30),
        validFrom: date(text, 188),
        validTo: endDate(text, 204),
        passNumber: f(220, 18),
        issueCount: f(238, 4),
      };
      break;
    case 'foreign-permanent-2017':
      card = {
        type,
        englishName: f(0, 120),
        sex: sexOf(f(120, 2)),
        idNumber: f(122, 30),
        nationality: f(152, 6),
        name: f(158, 30),
        validFrom: date(text, 188),
        validTo: endDate(text, 204),
        birthDate: date(text, 220),
        cardVersion: f(236, 4),
        authorityCode: f(240, 8),
      };
      break;
    case 'foreign-permanent-2023': {
      // English name: characters 1–35 at 52, 36–46 at 220; join before trimming the padding.
      const english = Buffer.concat([text.subarray(52, 122), text.subarray(220, 242)]);
      card = {
        type,
        name: f(0, 30),
        sex: sexOf(f(30, 2)),
        renewalCount: f(32, 4),
        birthDate: date(text, 36),
        englishName: ucs2(english, 0, english.length),
        idNumber: f(122, 36),
        validFrom: date(text, 188),
        validTo: endDate(text, 204),
        nationality: f(242, 6),
        previousCardLink: f(250, 6),
      };
      break;
    }
  }
  if (card.idNumber.length === 0) throw new BadField('empty-id-number', '证件号码为空');
  return card;
}

/** Decode a 256-byte text block. Never throws; errors carry no personal data. */
export function decodeTextBlock(text: Uint8Array): TextBlockResult {
  if (text.length !== TEXT_BLOCK_BYTES) {
    return { ok: false, error: { code: 'bad-length', message: '证件文字信息长度错误' } };
  }
  try {
    return { ok: true, card: decode(text) };
  } catch (err) {
    if (err instanceof BadField) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}

export interface DecodeCardOptions {
  /** Attach the opaque WLT photo bytes. Default false: the photo is dropped. */
  includePhoto?: boolean;
}

/** Text block → IdCard, with the photo attached only when asked for. Fingerprints are always dropped. */
export function decodeIdCard(blocks: BasicInfoBlocks, options: DecodeCardOptions = {}): TextBlockResult {
  const result = decodeTextBlock(blocks.text);
  if (!result.ok || !options.includePhoto) return result;
  return { ok: true, card: { ...result.card, photo: blocks.photo.slice() } };
}
