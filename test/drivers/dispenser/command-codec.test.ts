import { describe, expect, it } from 'vitest';
import {
  encodeEjectorStatus,
  encodeFullStatus,
  encodeRealtimeStatus,
  HostCommandParser,
  type PresenterCondition,
} from '../../../drivers/dispenser/command-codec.ts';
import { commands, fullStatusReplies, realtime1Replies, realtime4Replies } from '../../fixtures/dispenser/frames.ts';

const clear: PresenterCondition = {
  ticketAtMouth: false,
  paperLow: false,
  paperOut: false,
  coverOpen: false,
  motorMoving: false,
  jam: false,
  cutterError: false,
};

describe('HostCommandParser (simulator side, §6.2 / §5.1 / §5.2)', () => {
  const all = Uint8Array.from([
    ...commands.fullStatus,
    ...commands.realtime4,
    ...commands.ejectorStatus,
    ...commands.present5,
    ...commands.presentWithTimeout5x70,
    ...commands.customPresentRetract,
    ...commands.customPresentEject,
    ...commands.retract,
    ...commands.eject,
    ...commands.holdAtBezel,
    ...commands.continuousMode,
    ...commands.feedAndCut,
  ]);
  const kinds = [
    'full-status',
    'realtime-status',
    'ejector-status',
    'present',
    'present-timeout',
    'custom-present',
    'custom-present',
    'retract',
    'eject',
    'hold-at-bezel',
    'continuous-mode',
    'feed',
    'cut',
  ];

  it('parses every command with its arguments, whatever the chunking', () => {
    for (let cut = 0; cut <= all.length; cut++) {
      const parser = new HostCommandParser();
      const cmds = [...parser.push(all.subarray(0, cut)), ...parser.push(all.subarray(cut))];
      expect(cmds.map((c) => c.kind)).toEqual(kinds);
      expect(cmds[4]).toEqual({ kind: 'present-timeout', steps: 5, timeout: 70 });
      expect(cmds[5]).toEqual({ kind: 'custom-present', length: 5, blink: true, action: 'retract', timeout: 70 });
      expect(cmds[6]).toMatchObject({ action: 'eject', timeout: 30 });
    }
  });

  it('passes print data through as unknown bytes without losing sync', () => {
    const parser = new HostCommandParser();
    const cmds = parser.push(Uint8Array.from([0x41, 0x1c, 0x26, 0xb0, 0xae, ...commands.fullStatus]));
    expect(cmds.filter((c) => c.kind !== 'unknown').map((c) => c.kind)).toEqual(['full-status']);
  });
});

describe('reply encoders match the reference bytes', () => {
  it('full status (§6.1)', () => {
    expect([...encodeFullStatus(clear)]).toEqual([...fullStatusReplies.idle]);
    expect([...encodeFullStatus({ ...clear, ticketAtMouth: true })]).toEqual([...fullStatusReplies.ticketAtMouth]);
    expect([...encodeFullStatus({ ...clear, jam: true })]).toEqual([...fullStatusReplies.jam]);
    expect([...encodeFullStatus({ ...clear, ticketAtMouth: true, paperLow: true, jam: true })]).toEqual([...fullStatusReplies.atMouthLowJam]);
  });
  it('DLE EOT 1 and 4 (§5.2)', () => {
    expect(encodeRealtimeStatus(4, clear)).toBe(realtime4Replies.paperOk);
    expect(encodeRealtimeStatus(4, { ...clear, paperLow: true })).toBe(realtime4Replies.nearEnd);
    expect(encodeRealtimeStatus(4, { ...clear, paperLow: true, paperOut: true })).toBe(realtime4Replies.nearEndAndOut);
    expect(encodeRealtimeStatus(1, clear)).toBe(realtime1Replies.tornAway);
    expect(encodeRealtimeStatus(1, { ...clear, ticketAtMouth: true })).toBe(realtime1Replies.notTornAway);
  });
  it('GS e 6 (§6.1)', () => {
    expect(encodeEjectorStatus({ ...clear, ticketAtMouth: true }) & 0x08).toBe(0x08);
    expect(encodeEjectorStatus({ ...clear, jam: true }) & 0x80).toBe(0x80);
    expect(encodeEjectorStatus(clear)).toBe(0);
  });
});
