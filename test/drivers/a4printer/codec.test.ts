import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  GROUP,
  OPERATION,
  TAG,
  attr,
  classifyReasons,
  decodeMessage,
  encodeMessage,
  firstValue,
  numberValue,
  request,
  snapshotToStatus,
  stringValues,
} from '../../../drivers/a4printer/index.ts';

/** The `ipp` npm package (williamkapke/ipp), as an independent encoder/parser to check against. */
const ipp = createRequire(import.meta.url)('ipp') as {
  parse(b: Buffer): Record<string, unknown> & { version: string; operation?: string; statusCode?: string; id: number; data?: Buffer };
  serialize(m: unknown): Buffer;
};

describe('IPP codec (RFC 8010)', () => {
  it('encodes a Print-Job request byte for byte as laid out in RFC 8010', () => {
    const bytes = request('Print-Job', 1, [attr.uri('printer-uri', 'ipp://h/p'), attr.mime('document-format', 'application/pdf')], Buffer.from('%PDF'));
    const expected = Buffer.concat([
      Buffer.from([0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]), // version 2.0, Print-Job, request-id 1, operation group
      Buffer.from([0x47, 0x00, 0x12]),
      Buffer.from('attributes-charset'),
      Buffer.from([0x00, 0x05]),
      Buffer.from('utf-8'),
      Buffer.from([0x48, 0x00, 0x1b]),
      Buffer.from('attributes-natural-language'),
      Buffer.from([0x00, 0x05]),
      Buffer.from('zh-cn'),
      Buffer.from([0x45, 0x00, 0x0b]),
      Buffer.from('printer-uri'),
      Buffer.from([0x00, 0x09]),
      Buffer.from('ipp://h/p'),
      Buffer.from([0x49, 0x00, 0x0f]),
      Buffer.from('document-format'),
      Buffer.from([0x00, 0x0f]),
      Buffer.from('application/pdf'),
      Buffer.from([0x03]),
      Buffer.from('%PDF'),
    ]);
    expect(bytes.toString('hex')).toBe(expected.toString('hex'));
  });

  it('requests it encodes are read correctly by the ipp package', () => {
    const bytes = request('Get-Job-Attributes', 77, [
      attr.uri('printer-uri', 'ipp://127.0.0.1:631/printers/q'),
      attr.integer('job-id', 42),
      attr.name('requesting-user-name', '大厅自助机'),
      attr.keyword('requested-attributes', 'job-state', 'job-state-reasons'),
    ]);
    const parsed = ipp.parse(bytes);
    expect(parsed.version).toBe('2.0');
    expect(parsed.operation).toBe('Get-Job-Attributes');
    expect(parsed.id).toBe(77);
    expect(parsed['operation-attributes-tag']).toEqual({
      'attributes-charset': 'utf-8',
      'attributes-natural-language': 'zh-cn',
      'printer-uri': 'ipp://127.0.0.1:631/printers/q',
      'job-id': 42,
      'requesting-user-name': '大厅自助机',
      'requested-attributes': ['job-state', 'job-state-reasons'],
    });
  });

  it('decodes a Get-Printer-Attributes response serialised by the ipp package', () => {
    const bytes = ipp.serialize({
      version: '2.0',
      statusCode: 'successful-ok',
      id: 9,
      'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
      'printer-attributes-tag': {
        'printer-state': 'stopped',
        'printer-state-reasons': ['media-empty-error', 'toner-low-warning'],
        'printer-is-accepting-jobs': true,
        'printer-name': 'HP_A4',
      },
    });
    const m = decodeMessage(bytes);
    expect(m.code).toBe(0);
    expect(m.requestId).toBe(9);
    expect(numberValue(m, GROUP.printer, 'printer-state')).toBe(5);
    expect(stringValues(m, GROUP.printer, 'printer-state-reasons')).toEqual(['media-empty-error', 'toner-low-warning']);
    expect(firstValue(m, GROUP.printer, 'printer-is-accepting-jobs')).toBe(true);
    expect(firstValue(m, GROUP.printer, 'printer-name')).toBe('HP_A4');
  });

  it('round-trips every value type it supports, including collections and dates', () => {
    const when = new Date(Date.UTC(2025, 2, 14, 1, 26, 53, 400));
    const msg = {
      version: [1, 1] as const,
      code: OPERATION['Get-Printer-Attributes'],
      requestId: 5,
      groups: [
        {
          tag: GROUP.printer,
          attributes: [
            attr.boolean('b', false),
            { name: 'range', values: [{ tag: TAG.rangeOfInteger, value: [1, 99] as const }] },
            { name: 'res', values: [{ tag: TAG.resolution, value: [600, 600, 3] as const }] },
            { name: 'at', values: [{ tag: TAG.dateTime, value: when }] },
            { name: 'lang-text', values: [{ tag: TAG.textWithLanguage, value: '缺纸', language: 'zh-cn' }] },
            { name: 'media-col', values: [{ tag: TAG.begCollection, value: [attr.keyword('media-type', 'stationery'), attr.integer('x-dimension', 21000)] }] },
            { name: 'none', values: [{ tag: TAG.noValue, value: new Uint8Array(0) }] },
          ],
        },
      ],
      data: new Uint8Array(0),
    };
    const back = decodeMessage(encodeMessage(msg));
    expect(back.version).toEqual([1, 1]);
    expect(back.groups).toEqual(msg.groups);
  });

  it('rejects a truncated message with an IppDecodeError', () => {
    const bytes = request('Print-Job', 1, [attr.uri('printer-uri', 'ipp://h/p')]);
    expect(() => decodeMessage(bytes.subarray(0, 20))).toThrow(/truncated/);
  });
});

describe('printer-state-reasons → device status', () => {
  it('maps errors to faults (most serious first), warnings and low supplies to warnings, ignores -report', () => {
    expect(classifyReasons(['media-empty-error', 'media-needed-error', 'toner-low-warning', 'cups-waiting-for-job-completed-report'])).toEqual({
      faults: ['media-empty'],
      warnings: ['toner-low'],
    });
    expect(classifyReasons(['media-empty-error', 'door-open', 'offline-report']).faults).toEqual(['offline', 'door-open', 'media-empty']);
    expect(classifyReasons(['media-jam-warning']).warnings).toEqual(['media-jam']);
    expect(snapshotToStatus({ state: 'idle', reasons: ['shutdown'], acceptingJobs: true, makeAndModel: null })).toEqual({
      state: 'fault',
      code: 'offline',
      message: 'A4 打印机离线',
    });
    expect(snapshotToStatus({ state: 'stopped', reasons: [], acceptingJobs: true, makeAndModel: null })).toMatchObject({ code: 'stopped' });
    expect(snapshotToStatus({ state: 'idle', reasons: ['toner-low-report'], acceptingJobs: true, makeAndModel: null })).toEqual({
      state: 'ready',
      warnings: [],
    });
    expect(snapshotToStatus({ state: 'idle', reasons: ['marker-supply-low-warning'], acceptingJobs: true, makeAndModel: null })).toEqual({
      state: 'ready',
      warnings: [{ code: 'toner-low', message: 'A4 打印机墨粉不足' }],
    });
    expect(snapshotToStatus({ state: 'idle', reasons: [], acceptingJobs: false, makeAndModel: null })).toMatchObject({ code: 'not-accepting' });
  });
});
