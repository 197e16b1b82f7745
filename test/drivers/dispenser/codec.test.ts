import { describe, expect, it } from 'vitest';
import {
  buildContinuousMode,
  buildCustomPresent,
  buildEject,
  buildEjectorStatusRequest,
  buildFeedAndCut,
  buildFullStatusRequest,
  buildHoldAtBezel,
  buildPresent,
  buildPresentWithTimeout,
  buildRealtimeStatusRequest,
  buildRetract,
  decodeEjectorStatus,
  decodeFullStatus,
  decodeRealtimeStatus,
  deriveFlags,
  FullStatusFramer,
  statusFromFullStatus,
  type FullStatus,
} from '../../../drivers/dispenser/index.ts';
import { commands, ejectorReplies, fullStatusReplies, realtime1Replies, realtime4Replies } from '../../fixtures/dispenser/frames.ts';

const bytes = (u: Uint8Array): number[] => [...u];

function decoded(frame: Uint8Array): FullStatus {
  const r = decodeFullStatus(frame);
  if (!r.ok) throw new Error(`fixture did not decode: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('command builders (dispenser README §6.2, §6.1; printer README §5.1, §5.2)', () => {
  it('build the exact presenter and status bytes', () => {
    expect(bytes(buildFullStatusRequest())).toEqual(bytes(commands.fullStatus));
    expect(bytes(buildRealtimeStatusRequest(1))).toEqual(bytes(commands.realtime1));
    expect(bytes(buildRealtimeStatusRequest(4))).toEqual(bytes(commands.realtime4));
    expect(bytes(buildEjectorStatusRequest())).toEqual(bytes(commands.ejectorStatus));
    expect(bytes(buildRetract())).toEqual(bytes(commands.retract));
    expect(bytes(buildEject())).toEqual(bytes(commands.eject));
    expect(bytes(buildPresent(5))).toEqual(bytes(commands.present5));
    expect(bytes(buildHoldAtBezel())).toEqual(bytes(commands.holdAtBezel));
    expect(bytes(buildContinuousMode())).toEqual(bytes(commands.continuousMode));
    expect(bytes(buildPresentWithTimeout({ steps: 5, timeoutSeconds: 70 }))).toEqual(bytes(commands.presentWithTimeout5x70));
    expect(bytes(buildCustomPresent({ length: 5, action: 'retract', timeoutSeconds: 70 }))).toEqual(bytes(commands.customPresentRetract));
    expect(bytes(buildCustomPresent({ length: 5, action: 'eject', timeoutSeconds: 30 }))).toEqual(bytes(commands.customPresentEject));
    expect(bytes(buildFeedAndCut(4))).toEqual(bytes(commands.feedAndCut));
  });

  it('clamp out-of-range arguments into one byte instead of throwing', () => {
    expect(bytes(buildPresentWithTimeout({ steps: 999, timeoutSeconds: 0 }))).toEqual([0x1d, 0x65, 0x20, 0xff, 0x01]);
    expect(bytes(buildPresent(Number.NaN))).toEqual([0x1d, 0x65, 0x03, 0x00]);
    expect(bytes(buildPresent(-3))).toEqual([0x1d, 0x65, 0x03, 0x00]);
  });
});

describe('decodeFullStatus (§6.1 `10 0F b3 b4 b5 b6`)', () => {
  it('decodes every documented bit', () => {
    expect(decoded(fullStatusReplies.idle)).toMatchObject({
      ticketAtMouth: false,
      paperLow: false,
      paperOut: false,
      coverOpen: false,
      jam: false,
      cutterError: false,
    });
    expect(decoded(fullStatusReplies.ticketAtMouth).ticketAtMouth).toBe(true);
    expect(decoded(fullStatusReplies.paperLow).paperLow).toBe(true);
    expect(decoded(fullStatusReplies.paperOut).paperOut).toBe(true);
    expect(decoded(fullStatusReplies.coverOpen).coverOpen).toBe(true);
    expect(decoded(fullStatusReplies.motorMoving).motorMoving).toBe(true);
    expect(decoded(fullStatusReplies.jam).jam).toBe(true);
    expect(decoded(fullStatusReplies.cutter).cutterError).toBe(true);
    expect(decoded(fullStatusReplies.headTemperature).headTemperature).toBe(true);
    expect(decoded(fullStatusReplies.commError).commError).toBe(true);
    expect(decoded(fullStatusReplies.supplyVoltage).supplyVoltage).toBe(true);
    expect(decoded(fullStatusReplies.memory).memoryError).toBe(true);
    const combo = decoded(fullStatusReplies.atMouthLowJam);
    expect([combo.ticketAtMouth, combo.paperLow, combo.jam, combo.paperOut]).toEqual([true, true, true, false]);
    expect(combo.raw).toEqual([0x24, 0x00, 0x40, 0x00]);
  });

  it('does not read one condition into another', () => {
    const jam = decoded(fullStatusReplies.jam);
    expect([jam.ticketAtMouth, jam.paperLow, jam.paperOut, jam.coverOpen, jam.cutterError]).toEqual([false, false, false, false, false]);
    const low = decoded(fullStatusReplies.paperLow);
    expect([low.paperOut, low.ticketAtMouth, low.jam]).toEqual([false, false, false]);
  });

  it('returns typed errors for short or foreign frames', () => {
    expect(decodeFullStatus(Uint8Array.of(0x10, 0x0f, 0x20))).toEqual({ ok: false, error: { code: 'short-frame', length: 3 } });
    expect(decodeFullStatus(Uint8Array.of(0x12, 0x0f, 0, 0, 0, 0))).toEqual({
      ok: false,
      error: { code: 'bad-header', header: [0x12, 0x0f] },
    });
  });
});

describe('one-byte replies', () => {
  it('DLE EOT 4 reference values (§5.2)', () => {
    expect(decodeRealtimeStatus(4, realtime4Replies.paperOk)).toEqual({ n: 4, paperLow: false, paperOut: false });
    expect(decodeRealtimeStatus(4, realtime4Replies.nearEnd)).toEqual({ n: 4, paperLow: true, paperOut: false });
    expect(decodeRealtimeStatus(4, realtime4Replies.paperOut)).toEqual({ n: 4, paperLow: false, paperOut: true });
    expect(decodeRealtimeStatus(4, realtime4Replies.nearEndAndOut)).toEqual({ n: 4, paperLow: true, paperOut: true });
    expect(decodeRealtimeStatus(4, realtime4Replies.relianceLow)).toEqual({ n: 4, paperLow: true, paperOut: false });
    expect(decodeRealtimeStatus(4, realtime4Replies.relianceOut)).toEqual({ n: 4, paperLow: true, paperOut: true });
  });

  it('DLE EOT 1 bit 7 is the KP-628E taken sensor (§6.1)', () => {
    expect(decodeRealtimeStatus(1, realtime1Replies.tornAway)).toMatchObject({ ticketTaken: true, offline: false });
    expect(decodeRealtimeStatus(1, realtime1Replies.notTornAway)).toMatchObject({ ticketTaken: false });
  });

  it('GS e 6 ejector byte (§6.1 Reliance)', () => {
    expect(decodeEjectorStatus(ejectorReplies.ticketAtOutput)).toEqual({
      ticketAtMouth: true,
      paperAtEntry: true,
      motorOn: false,
      error: false,
      jam: false,
    });
    expect(decodeEjectorStatus(ejectorReplies.motorOn).motorOn).toBe(true);
    expect(decodeEjectorStatus(ejectorReplies.jammed)).toMatchObject({ jam: true, error: true, ticketAtMouth: false });
  });
});

describe('deriveFlags (§6.3 taken/retracted logic)', () => {
  const atMouth = decoded(fullStatusReplies.ticketAtMouth);
  const clear = decoded(fullStatusReplies.idle);
  it('mouth set then cleared without a retract = taken', () => {
    expect(deriveFlags(true, clear, false)).toMatchObject({ ticketTaken: true, retracted: false, ticketAtMouth: false });
  });
  it('mouth set then cleared after a retract = retracted', () => {
    expect(deriveFlags(true, clear, true)).toMatchObject({ ticketTaken: false, retracted: true });
  });
  it('no transition, no event flags', () => {
    expect(deriveFlags(true, atMouth, false)).toMatchObject({ ticketTaken: false, retracted: false, ticketAtMouth: true });
    expect(deriveFlags(false, clear, true)).toMatchObject({ ticketTaken: false, retracted: false });
  });
});

describe('statusFromFullStatus', () => {
  it('maps jam to a fault with 卡纸, paper low to ready with 票纸将用尽', () => {
    expect(statusFromFullStatus(decoded(fullStatusReplies.jam))).toMatchObject({ state: 'fault', code: 'jam' });
    const jam = statusFromFullStatus(decoded(fullStatusReplies.jam));
    expect(jam.state === 'fault' && jam.message.includes('卡纸')).toBe(true);
    expect(statusFromFullStatus(decoded(fullStatusReplies.paperLow))).toEqual({
      state: 'ready',
      warnings: [{ code: 'paper-near-end', message: '票纸将用尽' }],
    });
    expect(statusFromFullStatus(decoded(fullStatusReplies.idle))).toEqual({ state: 'ready', warnings: [] });
    expect(statusFromFullStatus(decoded(fullStatusReplies.ticketAtMouth))).toEqual({ state: 'ready', warnings: [] });
    expect(statusFromFullStatus(decoded(fullStatusReplies.paperOut))).toMatchObject({ state: 'fault', code: 'paper-out' });
    expect(statusFromFullStatus(decoded(fullStatusReplies.coverOpen))).toMatchObject({ state: 'fault', code: 'cover-open' });
    expect(statusFromFullStatus(decoded(fullStatusReplies.cutter))).toMatchObject({ state: 'fault', code: 'cutter-error' });
    expect(statusFromFullStatus(decoded(fullStatusReplies.atMouthLowJam))).toMatchObject({ state: 'fault', code: 'jam' });
  });
});

describe('FullStatusFramer', () => {
  const stream = Uint8Array.from([...fullStatusReplies.idle, ...fullStatusReplies.ticketAtMouth, ...fullStatusReplies.jam, ...fullStatusReplies.paperLow]);
  const expected = [false, true, false, false];

  it('frames the same replies for every split point and for byte-at-a-time input', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new FullStatusFramer();
      const out = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      const statuses = out.flatMap((o) => (o.type === 'status' ? [o.status] : []));
      expect(statuses.map((s) => s.ticketAtMouth)).toEqual(expected);
      expect(statuses[2]?.jam).toBe(true);
      expect(statuses[3]?.paperLow).toBe(true);
      expect(out.some((o) => o.type === 'error')).toBe(false);
    }
    const framer = new FullStatusFramer();
    const single = [...stream].flatMap((b) => framer.push(Uint8Array.of(b)));
    expect(single.filter((o) => o.type === 'status')).toHaveLength(4);
  });

  it('skips noise, reports it as unexpected bytes and resynchronises on 10 0F', () => {
    const framer = new FullStatusFramer();
    const out = framer.push(Uint8Array.from([0x41, 0x10, 0x10, 0x99, 0x10, ...fullStatusReplies.ticketAtMouth]));
    const errors = out.flatMap((o) => (o.type === 'error' ? [o.error] : []));
    expect(errors).toEqual([{ code: 'unexpected-bytes', count: 5 }]);
    const statuses = out.flatMap((o) => (o.type === 'status' ? [o.status] : []));
    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.ticketAtMouth).toBe(true);
  });

  it('keeps a partial frame until reset', () => {
    const framer = new FullStatusFramer();
    expect(framer.push(fullStatusReplies.jam.subarray(0, 4))).toEqual([]);
    expect(framer.pending).toBe(4);
    framer.reset();
    expect(framer.pending).toBe(0);
    const out = framer.push(fullStatusReplies.jam.subarray(4));
    expect(out.some((o) => o.type === 'status')).toBe(false);
  });
});
