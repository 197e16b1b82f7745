/**
 * IPP/1.1–2.0 message encoding (RFC 8010 §3) for the few operations a kiosk needs, written here
 * rather than taken from the `ipp` npm package: its 1.1.0 release (the one installed) throws on
 * any attribute outside its registry, crashes serialising text/name-with-language values,
 * decodes dateTime months off by one and prints to the console on unknown tags. Tests check this
 * codec against that package's encoder and parser for the messages both handle.
 *
 * A message is: version (2 bytes), operation-id or status-code (2), request-id (4), attribute
 * groups each opened by a delimiter tag, the end-of-attributes tag 0x03, then the document data.
 * Each attribute is value-tag (1), name-length (2), name, value-length (2), value; further values
 * of the same attribute repeat with name-length 0.
 */

export const GROUP = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  unsupported: 0x05,
} as const;

export const TAG = {
  unsupported: 0x10,
  unknown: 0x12,
  noValue: 0x13,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  text: 0x41,
  name: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
} as const;

/** RFC 8011 §5.4.15 operation ids. */
export const OPERATION = {
  'Print-Job': 0x0002,
  'Validate-Job': 0x0004,
  'Cancel-Job': 0x0008,
  'Get-Job-Attributes': 0x0009,
  'Get-Jobs': 0x000a,
  'Get-Printer-Attributes': 0x000b,
} as const;
export type OperationName = keyof typeof OPERATION;

/** RFC 8011 §B status codes used here. */
export const STATUS = {
  ok: 0x0000,
  okIgnoredOrSubstituted: 0x0001,
  clientErrorBadRequest: 0x0400,
  clientErrorNotFound: 0x0406,
  clientErrorDocumentFormatNotSupported: 0x040a,
  clientErrorNotPossible: 0x0404,
  serverErrorInternalError: 0x0500,
  serverErrorOperationNotSupported: 0x0501,
  serverErrorVersionNotSupported: 0x0503,
  serverErrorNotAcceptingJobs: 0x0506,
  serverErrorBusy: 0x0507,
} as const;

/** RFC 8011 §5.3.7 job-state. */
export const JOB_STATE = {
  3: 'pending',
  4: 'pending-held',
  5: 'processing',
  6: 'processing-stopped',
  7: 'canceled',
  8: 'aborted',
  9: 'completed',
} as const;
export type JobStateName = (typeof JOB_STATE)[keyof typeof JOB_STATE];
export const JOB_STATE_CODE: Readonly<Record<JobStateName, number>> = Object.fromEntries(Object.entries(JOB_STATE).map(([k, v]) => [v, Number(k)])) as Record<
  JobStateName,
  number
>;

/** RFC 8011 §5.4.11 printer-state. */
export const PRINTER_STATE = { 3: 'idle', 4: 'processing', 5: 'stopped' } as const;
export type PrinterStateName = (typeof PRINTER_STATE)[keyof typeof PRINTER_STATE];

export type IppValue =
  | { readonly tag: typeof TAG.integer | typeof TAG.enum; readonly value: number }
  | { readonly tag: typeof TAG.boolean; readonly value: boolean }
  | { readonly tag: typeof TAG.rangeOfInteger; readonly value: readonly [number, number] }
  | { readonly tag: typeof TAG.resolution; readonly value: readonly [number, number, number] }
  | { readonly tag: typeof TAG.dateTime; readonly value: Date }
  | { readonly tag: typeof TAG.textWithLanguage | typeof TAG.nameWithLanguage; readonly value: string; readonly language: string }
  | { readonly tag: typeof TAG.begCollection; readonly value: readonly IppAttribute[] }
  | { readonly tag: number; readonly value: string }
  /** Out-of-band (no-value, unknown, unsupported) or an unrecognised tag kept as raw bytes. */
  | { readonly tag: number; readonly value: Uint8Array };

export interface IppAttribute {
  readonly name: string;
  readonly values: readonly IppValue[];
}

export interface IppGroup {
  readonly tag: number;
  readonly attributes: readonly IppAttribute[];
}

export interface IppMessage {
  readonly version: readonly [number, number];
  /** operation-id in a request, status-code in a response. */
  readonly code: number;
  readonly requestId: number;
  readonly groups: readonly IppGroup[];
  readonly data: Uint8Array;
}

// ---------- attribute builders ----------

const str =
  (tag: number) =>
  (name: string, ...values: string[]): IppAttribute => ({ name, values: values.map((value) => ({ tag, value })) });
export const attr = {
  charset: str(TAG.charset),
  language: str(TAG.naturalLanguage),
  uri: str(TAG.uri),
  keyword: str(TAG.keyword),
  name: str(TAG.name),
  text: str(TAG.text),
  mime: str(TAG.mimeMediaType),
  integer: (name: string, ...values: number[]): IppAttribute => ({ name, values: values.map((value) => ({ tag: TAG.integer, value })) }),
  enum: (name: string, ...values: number[]): IppAttribute => ({ name, values: values.map((value) => ({ tag: TAG.enum, value })) }),
  boolean: (name: string, value: boolean): IppAttribute => ({ name, values: [{ tag: TAG.boolean, value }] }),
};

/** attributes-charset and attributes-natural-language: first in every operation group (RFC 8011 §4.1.4). */
export function operationGroup(...attributes: IppAttribute[]): IppGroup {
  return {
    tag: GROUP.operation,
    attributes: [attr.charset('attributes-charset', 'utf-8'), attr.language('attributes-natural-language', 'zh-cn'), ...attributes],
  };
}

// ---------- encoding ----------

class Writer {
  #chunks: Buffer[] = [];
  u8(v: number): void {
    this.#chunks.push(Buffer.of(v & 0xff));
  }
  u16(v: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v);
    this.#chunks.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.#chunks.push(b);
  }
  bytes(b: Uint8Array): void {
    this.#chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  /** 2-byte length + bytes. */
  field(b: Uint8Array): void {
    if (b.length > 0xffff) throw new RangeError('IPP value longer than 65535 bytes');
    this.u16(b.length);
    this.bytes(b);
  }
  done(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

export function encodeMessage(m: IppMessage): Buffer {
  const w = new Writer();
  w.u8(m.version[0]);
  w.u8(m.version[1]);
  w.u16(m.code);
  w.i32(m.requestId);
  for (const g of m.groups) {
    w.u8(g.tag);
    for (const a of g.attributes) writeAttribute(w, a);
  }
  w.u8(GROUP.end);
  w.bytes(m.data);
  return w.done();
}

function writeAttribute(w: Writer, a: IppAttribute): void {
  if (a.values.length === 0) throw new RangeError(`IPP attribute ${a.name} has no value`);
  a.values.forEach((v, i) => {
    w.u8(v.tag);
    w.field(Buffer.from(i === 0 ? a.name : '', 'utf8'));
    writeValue(w, v);
  });
}

function writeValue(w: Writer, v: IppValue): void {
  switch (v.tag) {
    case TAG.integer:
    case TAG.enum: {
      w.u16(4);
      w.i32(v.value as number);
      return;
    }
    case TAG.boolean:
      w.u16(1);
      w.u8(v.value ? 1 : 0);
      return;
    case TAG.rangeOfInteger: {
      const [a, b] = v.value as readonly [number, number];
      w.u16(8);
      w.i32(a);
      w.i32(b);
      return;
    }
    case TAG.resolution: {
      const [x, y, unit] = v.value as readonly [number, number, number];
      w.u16(9);
      w.i32(x);
      w.i32(y);
      w.u8(unit);
      return;
    }
    case TAG.dateTime:
      w.field(encodeDateTime(v.value as Date));
      return;
    case TAG.textWithLanguage:
    case TAG.nameWithLanguage: {
      const lang = Buffer.from((v as { language: string }).language, 'ascii');
      const text = Buffer.from(v.value as string, 'utf8');
      w.u16(4 + lang.length + text.length);
      w.field(lang);
      w.field(text);
      return;
    }
    case TAG.begCollection: {
      w.u16(0);
      for (const member of v.value as readonly IppAttribute[]) {
        member.values.forEach((mv, i) => {
          w.u8(TAG.memberAttrName);
          w.u16(0);
          w.field(Buffer.from(i === 0 ? member.name : '', 'utf8'));
          if (i > 0) throw new RangeError('multi-valued collection members are not supported');
          w.u8(mv.tag);
          w.u16(0);
          writeValue(w, mv);
        });
      }
      w.u8(TAG.endCollection);
      w.u16(0);
      w.u16(0);
      return;
    }
    default:
      w.field(typeof v.value === 'string' ? Buffer.from(v.value, 'utf8') : (v.value as Uint8Array));
  }
}

/** RFC 2579 DateAndTime, in UTC (direction '+', offset 0). */
function encodeDateTime(d: Date): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16BE(d.getUTCFullYear(), 0);
  b[2] = d.getUTCMonth() + 1;
  b[3] = d.getUTCDate();
  b[4] = d.getUTCHours();
  b[5] = d.getUTCMinutes();
  b[6] = d.getUTCSeconds();
  b[7] = Math.floor(d.getUTCMilliseconds() / 100);
  b[8] = 0x2b; // '+'
  b[9] = 0;
  b[10] = 0;
  return b;
}

function decodeDateTime(b: Buffer): Date {
  if (b.length !== 11) return new Date(NaN);
  const utc = Date.UTC(b.readUInt16BE(0), (b[2] as number) - 1, b[3], b[4], b[5], b[6], (b[7] as number) * 100);
  const sign = b[8] === 0x2d ? -1 : 1;
  return new Date(utc - sign * ((b[9] as number) * 60 + (b[10] as number)) * 60_000);
}

// ---------- decoding ----------

export class IppDecodeError extends Error {
  override readonly name = 'IppDecodeError';
}

export function decodeMessage(input: Uint8Array): IppMessage {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > buf.length) throw new IppDecodeError(`IPP message truncated at byte ${pos}`);
  };
  const u8 = (): number => {
    need(1);
    return buf[pos++] as number;
  };
  const u16 = (): number => {
    need(2);
    const v = buf.readUInt16BE(pos);
    pos += 2;
    return v;
  };
  const take = (n: number): Buffer => {
    need(n);
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };

  need(8);
  const version: [number, number] = [u8(), u8()];
  const code = u16();
  const requestId = buf.readInt32BE(pos);
  pos += 4;

  const groups: { tag: number; attributes: { name: string; values: IppValue[] }[] }[] = [];
  let group: (typeof groups)[number] | null = null;
  for (;;) {
    const tag = u8();
    if (tag === GROUP.end) break;
    if (tag < 0x10) {
      group = { tag, attributes: [] };
      groups.push(group);
      continue;
    }
    if (!group) throw new IppDecodeError('IPP attribute before any group');
    const name = take(u16()).toString('utf8');
    const raw = take(u16());
    const value: IppValue = tag === TAG.begCollection ? { tag: TAG.begCollection, value: readCollection() } : readValue(tag, raw);
    const attrs = group.attributes;
    if (name === '') {
      const last = attrs.at(-1);
      if (!last) throw new IppDecodeError('IPP additional value without an attribute');
      last.values.push(value);
    } else attrs.push({ name, values: [value] });
  }
  return { version, code, requestId, groups, data: buf.subarray(pos) };

  function readCollection(): IppAttribute[] {
    const members: { name: string; values: IppValue[] }[] = [];
    for (;;) {
      const tag = u8();
      take(u16()); // name: empty inside collections
      const raw = take(u16());
      if (tag === TAG.endCollection) return members;
      if (tag === TAG.memberAttrName) {
        members.push({ name: raw.toString('utf8'), values: [] });
        continue;
      }
      const v: IppValue = tag === TAG.begCollection ? { tag: TAG.begCollection, value: readCollection() } : readValue(tag, raw);
      const last = members.at(-1);
      if (!last) throw new IppDecodeError('IPP collection value before a member name');
      last.values.push(v);
    }
  }
}

function readValue(tag: number, raw: Buffer): IppValue {
  switch (tag) {
    case TAG.integer:
    case TAG.enum:
      if (raw.length !== 4) throw new IppDecodeError(`IPP integer of ${raw.length} bytes`);
      return { tag, value: raw.readInt32BE(0) };
    case TAG.boolean:
      return { tag, value: raw[0] === 1 };
    case TAG.rangeOfInteger:
      return { tag, value: [raw.readInt32BE(0), raw.readInt32BE(4)] };
    case TAG.resolution:
      return { tag, value: [raw.readInt32BE(0), raw.readInt32BE(4), raw[8] as number] };
    case TAG.dateTime:
      return { tag, value: decodeDateTime(raw) };
    case TAG.textWithLanguage:
    case TAG.nameWithLanguage: {
      const ll = raw.readUInt16BE(0);
      const language = raw.subarray(2, 2 + ll).toString('ascii');
      const tl = raw.readUInt16BE(2 + ll);
      return { tag, value: raw.subarray(4 + ll, 4 + ll + tl).toString('utf8'), language };
    }
    case TAG.begCollection:
      return { tag, value: [] };
    case TAG.octetString:
    case TAG.text:
    case TAG.name:
    case TAG.keyword:
    case TAG.uri:
    case TAG.uriScheme:
    case TAG.charset:
    case TAG.naturalLanguage:
    case TAG.mimeMediaType:
    case TAG.memberAttrName:
      return { tag, value: raw.toString('utf8') };
    default:
      return { tag, value: new Uint8Array(raw) };
  }
}

// ---------- reading helpers ----------

export function findAttribute(m: IppMessage, groupTag: number, name: string): IppAttribute | undefined {
  for (const g of m.groups) {
    if (g.tag !== groupTag) continue;
    const a = g.attributes.find((x) => x.name === name);
    if (a) return a;
  }
  return undefined;
}

export function firstValue(m: IppMessage, groupTag: number, name: string): IppValue['value'] | undefined {
  return findAttribute(m, groupTag, name)?.values[0]?.value;
}

export function stringValues(m: IppMessage, groupTag: number, name: string): string[] {
  return (findAttribute(m, groupTag, name)?.values ?? []).map((v) => v.value).filter((v): v is string => typeof v === 'string');
}

export function numberValue(m: IppMessage, groupTag: number, name: string): number | undefined {
  const v = firstValue(m, groupTag, name);
  return typeof v === 'number' ? v : undefined;
}

/** A Print-Job / Get-Job-Attributes / Get-Printer-Attributes / Cancel-Job request. */
export function request(
  operation: OperationName,
  requestId: number,
  operationAttributes: IppAttribute[],
  data: Uint8Array = new Uint8Array(0),
  version: [number, number] = [2, 0],
): Buffer {
  return encodeMessage({ version, code: OPERATION[operation], requestId, groups: [operationGroup(...operationAttributes)], data });
}

export function statusName(code: number): string {
  const entry = Object.entries(STATUS).find(([, v]) => v === code);
  return entry ? entry[0] : `0x${code.toString(16).padStart(4, '0')}`;
}
