import { describe, expect, it } from 'vitest';
import { CLEAR_FLAGS, decodeStatusReply, flagsToDeviceStatus, mergeReplies, type StatusReply } from '../../../drivers/printer/status-codec.ts';
import * as fx from '../../fixtures/printer/escpos-fixtures.ts';

const reply = (n: number, byte: number): StatusReply => {
  const r = decodeStatusReply(n, byte);
  if (!r.ok) throw new Error(`decode failed: ${r.error}`);
  return r.reply;
};

// §5.2 table: one row per documented bit.
describe('DLE EOT reply bits (§5.2)', () => {
  it.each([
    [1, 2, 'drawerPinHigh'],
    [1, 3, 'offline'],
    [1, 5, 'waitingRecovery'],
    [1, 6, 'feedButton'],
    [2, 2, 'coverOpen'],
    [2, 3, 'feedingByButton'],
    [2, 5, 'stoppedByPaperEnd'],
    [2, 6, 'errorOccurred'],
    [3, 2, 'recoverableError'],
    [3, 3, 'cutterError'],
    [3, 5, 'unrecoverableError'],
    [3, 6, 'autoRecoverableError'],
    [4, 2, 'paperNearEnd'],
    [4, 3, 'paperNearEnd'],
    [4, 5, 'paperOut'],
    [4, 6, 'paperOut'],
  ] as const)('n=%i bit %i → %s', (n, bitNo, flag) => {
    const base = reply(n, fx.STATUS_PAPER_OK).bits as Record<string, boolean>;
    expect(Object.values(base).every((v) => !v)).toBe(true);
    const set = reply(n, fx.STATUS_PAPER_OK | (1 << bitNo)).bits as Record<string, boolean>;
    expect(set[flag]).toBe(true);
    expect(
      Object.entries(set)
        .filter(([, v]) => v)
        .map(([k]) => k),
    ).toEqual([flag]);
  });

  it('decodes the reference values', () => {
    expect(reply(4, fx.STATUS_PAPER_OK).bits).toEqual({ paperNearEnd: false, paperOut: false });
    expect(reply(4, fx.STATUS_NEAR_END).bits).toEqual({ paperNearEnd: true, paperOut: false });
    expect(reply(4, fx.STATUS_PAPER_OUT).bits).toEqual({ paperNearEnd: false, paperOut: true });
    expect(reply(4, fx.STATUS_NEAR_END_AND_OUT).bits).toEqual({ paperNearEnd: true, paperOut: true });
    expect(reply(1, fx.STATUS_EPSON_DRAWER_HIGH).bits).toMatchObject({ drawerPinHigh: true, offline: false });
  });

  it('reads Pyramid replies without relying on the fixed bits', () => {
    expect(reply(4, fx.PYRAMID_NO_PAPER).bits).toMatchObject({ paperOut: true });
    expect(reply(4, fx.PYRAMID_LOW_PAPER).bits).toEqual({ paperNearEnd: true, paperOut: false });
  });

  it('returns typed errors for bad input instead of throwing', () => {
    expect(decodeStatusReply(5, 0x12)).toEqual({ ok: false, error: 'bad-request-kind' });
    expect(decodeStatusReply(1, 256)).toEqual({ ok: false, error: 'bad-byte' });
    expect(decodeStatusReply(1, -1)).toEqual({ ok: false, error: 'bad-byte' });
    expect(decodeStatusReply(1, 1.5)).toEqual({ ok: false, error: 'bad-byte' });
  });
});

describe('flags → DeviceStatus with Chinese messages', () => {
  const status = (bytes: [number, number, number, number]) => flagsToDeviceStatus(mergeReplies(bytes.map((b, i) => reply(i + 1, b))));

  it('all clear is ready without warnings', () => {
    expect(status([0x12, 0x12, 0x12, 0x12])).toEqual({ state: 'ready', warnings: [] });
  });
  it('near end is a warning, not a fault', () => {
    expect(status([0x12, 0x12, 0x12, 0x1e])).toEqual({ state: 'ready', warnings: [{ code: 'paper-near-end', message: '纸将用尽' }] });
  });
  it.each([
    [[0x1a, 0x32, 0x12, 0x72], 'paper-out', '打印机缺纸'],
    [[0x1a, 0x16, 0x12, 0x12], 'cover-open', '打印机盖未关好'],
    [[0x12, 0x52, 0x1a, 0x12], 'cutter-error', '切刀故障'],
    [[0x1a, 0x12, 0x12, 0x12], 'offline', '打印机离线'],
    [[0x12, 0x12, 0x32, 0x12], 'unrecoverable-error', '打印机故障，请联系工作人员'],
    [[0x12, 0x12, 0x52, 0x12], 'auto-recoverable-error', '打印头过热，请稍候'],
  ] as const)('%j → %s', (bytes, code, message) => {
    expect(status([...bytes])).toEqual({ state: 'fault', code, message });
  });
  it('paper out wins over cover open and offline', () => {
    expect(flagsToDeviceStatus({ ...CLEAR_FLAGS, offline: true, coverOpen: true, paperOut: true })).toMatchObject({ code: 'paper-out' });
  });
  it('n=2 "printing stopped by paper end" alone counts as paper out', () => {
    expect(status([0x12, 0x32, 0x12, 0x12])).toMatchObject({ code: 'paper-out' });
  });
});
