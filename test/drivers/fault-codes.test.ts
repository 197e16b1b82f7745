/**
 * The fault and message convention of the four drivers (drivers/common/status.ts): kebab-case
 * English codes, Chinese messages from each device's messages.ts, one code per condition.
 */
import { describe, expect, it } from 'vitest';
import { DISPENSER_FAULTS, DISPENSER_TEXT, statusFromFullStatus, type FullStatus } from '../../drivers/dispenser/index.ts';
import { IDCARD_FAULTS, IDCARD_TEXT } from '../../drivers/idcard/index.ts';
import { CLEAR_FLAGS, flagsToDeviceStatus, PRINTER_FAULTS, PRINTER_TEXT, type PrinterFlags } from '../../drivers/printer/index.ts';
import { SCANNER_FAULTS, SCANNER_TEXT } from '../../drivers/scanner/index.ts';

const CATALOGUES = { idcard: IDCARD_FAULTS, scanner: SCANNER_FAULTS, printer: PRINTER_FAULTS, dispenser: DISPENSER_FAULTS };
const TEXTS = { idcard: IDCARD_TEXT, scanner: SCANNER_TEXT, printer: PRINTER_TEXT, dispenser: DISPENSER_TEXT };
const HAN = /\p{Script=Han}/u;

describe('fault catalogues', () => {
  it.each(Object.entries(CATALOGUES))('%s: kebab-case codes, Chinese messages', (_kind, catalogue) => {
    for (const [code, message] of Object.entries(catalogue)) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(message).toMatch(HAN);
    }
  });

  it.each(Object.entries(TEXTS))('%s: every other status text is Chinese', (_kind, texts) => {
    for (const text of Object.values(texts)) expect(text).toMatch(HAN);
  });

  it('a condition two devices share has one code on both', () => {
    const shared = ['paper-out', 'paper-near-end', 'cover-open', 'cutter-error', 'no-response', 'disconnected', 'stopped'];
    for (const code of shared) {
      expect(Object.keys(PRINTER_FAULTS)).toContain(code);
      expect(Object.keys(DISPENSER_FAULTS)).toContain(code);
    }
    expect(Object.keys(IDCARD_FAULTS)).toContain('no-response');
  });

  it('the printer and the presenter map the same paper and cover conditions to the same codes', () => {
    const idle: FullStatus = {
      ticketAtMouth: false,
      paperLow: false,
      paperOut: false,
      coverOpen: false,
      motorMoving: false,
      jam: false,
      cutterError: false,
      headTemperature: false,
      supplyVoltage: false,
      commError: false,
      memoryError: false,
      raw: [0, 0, 0, 0],
    };
    const cases: [Partial<FullStatus>, Partial<PrinterFlags>][] = [
      [{ paperOut: true }, { paperOut: true }],
      [{ coverOpen: true }, { coverOpen: true }],
      [{ cutterError: true }, { cutterError: true }],
      [{ paperLow: true }, { paperNearEnd: true }],
    ];
    for (const [presenter, printer] of cases) {
      const a = statusFromFullStatus({ ...idle, ...presenter });
      const b = flagsToDeviceStatus({ ...CLEAR_FLAGS, ...printer });
      const code = (s: typeof a): string => (s.state === 'fault' ? s.code : s.state === 'ready' ? (s.warnings[0]?.code ?? 'ok') : s.state);
      expect(code(a)).toBe(code(b));
    }
  });
});
