/**
 * Types for the second-generation ID-card reader (SAM protocol per GA 467).
 * Wire layout: README.md §1.2–§1.8 in this folder.
 */
import type { DeviceLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';

/** The 5-byte preamble that starts every frame in both directions (§1.2). */
export const PREAMBLE = Object.freeze([0xaa, 0xaa, 0xaa, 0x96, 0x69] as const);

/**
 * A decoded frame: `payload` is every byte after LEN except CHK.
 * Command frames: CMD PARA DATA…; reply frames: SW1 SW2 SW3 DATA…
 */
export interface Frame {
  readonly payload: Uint8Array;
}

export type FramerErrorCode =
  /** Bytes before a preamble were skipped. */
  | 'garbage'
  /** CHK did not match the XOR of LEN..DATA. */
  | 'bad-checksum'
  /** LEN larger than the configured maximum. */
  | 'oversize-length'
  /** LEN too small to hold the mandatory bytes. */
  | 'undersize-length';

export interface FramerError {
  readonly code: FramerErrorCode;
  readonly message: string;
}

export type FramerResult = { readonly ok: true; readonly frame: Frame } | { readonly ok: false; readonly error: FramerError };

/** (CMD, PARA) pairs from §1.3. */
export const COMMANDS = Object.freeze({
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readBasic: [0x30, 0x01],
  readBasicWithFingerprint: [0x30, 0x10],
  readAppendedAddress: [0x30, 0x03],
  setMaxRfBytes: [0x61, 0xff],
} as const);

export type CommandName = keyof typeof COMMANDS;

/** Typed names for every SW3 value listed in §1.8. */
export type Sw3Code =
  | 'ok'
  | 'no-content'
  | 'card-found'
  | 'checksum-error'
  | 'length-error'
  | 'command-error'
  | 'unauthorized-operation'
  | 'unrecognized-error'
  | 'card-auth-sam-failed'
  | 'sam-auth-card-failed'
  | 'info-verify-failed'
  | 'unknown-card-type'
  | 'read-failed'
  | 'random-number-failed'
  | 'sam-self-test-failed'
  | 'sam-unauthorized'
  | 'find-failed'
  | 'select-failed';

export interface Sw3Info {
  readonly sw3: number;
  readonly code: Sw3Code;
  /** The status meaning as documented (technician console). */
  readonly meaning: string;
  /** What to tell the citizen or technician, in 简体中文. */
  readonly message: string;
  readonly success: boolean;
}

/** A reply frame split into its status words and data. */
export interface Reply {
  readonly sw1: number;
  readonly sw2: number;
  readonly sw3: number;
  readonly data: Uint8Array;
}

export type ReplyErrorCode = Sw3Code | 'unknown-status' | 'unexpected-status' | 'bad-status-word' | 'short-reply' | 'bad-layout';

export interface ReplyError {
  readonly code: ReplyErrorCode;
  readonly message: string;
  /** The SW3 byte, when the reply carried one. */
  readonly sw3?: number;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ReplyError };

/** Raw blocks of a read-basic-info reply (§1.4). */
export interface BasicInfoBlocks {
  readonly text: Uint8Array;
  readonly photo: Uint8Array;
  readonly fingerprint: Uint8Array | null;
}

// ---------------------------------------------------------------- decoded card

export type CardType = 'resident' | 'hk-mo-tw-permit' | 'foreign-permanent-2017' | 'foreign-permanent-2023';

export type SexCode = '0' | '1' | '2' | '9';

export interface Sex {
  /** GB/T 2261.1 code as read from the card; unknown values kept as read. */
  readonly code: string;
  readonly label: string;
}

export interface Nation {
  readonly code: string;
  readonly label: string;
}

/** Fields every card type carries. Dates are `YYYY-MM-DD`; `validTo` is `null` for 长期. */
interface CardCommon {
  /** Chinese name (for foreigner cards possibly empty). */
  readonly name: string;
  readonly sex: Sex;
  readonly birthDate: string;
  /** 公民身份号码 or 永久居留证号码. */
  readonly idNumber: string;
  readonly validFrom: string;
  /** `null` when the card is valid long-term (长期). */
  readonly validTo: string | null;
  /** The WLT photo as opaque bytes; only present when the driver was asked to keep it. */
  readonly photo?: Uint8Array;
}

export interface ResidentCard extends CardCommon {
  readonly type: 'resident';
  readonly nation: Nation;
  readonly address: string;
  readonly issuer: string;
}

export interface HkMoTwPermit extends CardCommon {
  readonly type: 'hk-mo-tw-permit';
  readonly address: string;
  readonly issuer: string;
  /** 通行证号码 */
  readonly passNumber: string;
  /** 签发次数 */
  readonly issueCount: string;
}

export interface ForeignPermanent2017 extends CardCommon {
  readonly type: 'foreign-permanent-2017';
  readonly englishName: string;
  /** GB/T 2659 three-letter code. */
  readonly nationality: string;
  readonly cardVersion: string;
  /** 当次申请受理机关代码 */
  readonly authorityCode: string;
}

export interface ForeignPermanent2023 extends CardCommon {
  readonly type: 'foreign-permanent-2023';
  readonly englishName: string;
  readonly nationality: string;
  /** 换证次数 */
  readonly renewalCount: string;
  /** 既往版本证件号码关联项 */
  readonly previousCardLink: string;
}

export type IdCard = ResidentCard | HkMoTwPermit | ForeignPermanent2017 | ForeignPermanent2023;

export type TextBlockErrorCode = 'bad-length' | 'bad-date' | 'empty-id-number';

export type TextBlockResult =
  { readonly ok: true; readonly card: IdCard } | { readonly ok: false; readonly error: { readonly code: TextBlockErrorCode; readonly message: string } };

// ---------------------------------------------------------------- driver

export interface IdCardReaderOptions {
  /** The link to the reader: a SerialTransport at 115200 baud (§1.1) in a hall, a memory link in tests. */
  transport: ByteTransport;
  /** Card-presence polling interval in ms. Default 500 (§1.3 advises > 300). */
  pollIntervalMs?: number;
  /** Time to wait for each reply before giving up, in ms. Default 1000. */
  commandTimeoutMs?: number;
  /** Keep the 1024-byte WLT photo in emitted cards. Default false (dropped). */
  includePhoto?: boolean;
  logger?: DeviceLogger;
}

/** Why a card on the reader could not be read (emitted as 'read-error'). */
export type ReadFailureCode = ReplyErrorCode | TextBlockErrorCode | LinkErrorCode;

/** Failures of the serial exchange itself rather than of the card. */
export type LinkErrorCode = 'timeout' | 'disconnected' | 'stopped' | 'bad-frame';

export interface ReadFailure {
  readonly code: ReadFailureCode;
  readonly message: string;
}

export type ReadOnceResult = { readonly ok: true; readonly card: IdCard } | ({ readonly ok: false } & ReadFailure);

export type IdCardReaderEvents = {
  status: [DeviceStatus];
  card: [IdCard];
  removed: [];
  'read-error': [ReadFailure];
};
