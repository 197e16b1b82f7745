import { describe, expect, it } from 'vitest';
import {
  commandOf,
  decodeAppendedAddressReply,
  decodeFindCardReply,
  decodeReadBasicReply,
  decodeSamIdReply,
  decodeSelectCardReply,
  decodeStatusReply,
  encodeCommand,
  encodeFrame,
  encodeReadBasicReply,
  encodeReply,
  encodeSetMaxRfBytes,
  FrameDecoder,
  parseReply,
  statusError,
} from '../../../drivers/idcard/codec.ts';
import { SW3_TABLE } from '../../../drivers/idcard/messages.ts';
import { COMMANDS, type CommandName, type Frame } from '../../../drivers/idcard/types.ts';
import * as fx from '../../fixtures/idcard/frames.ts';

/** Frame one complete buffer; fails the test unless exactly one good frame comes out. */
function frameOf(bytes: Uint8Array): Frame {
  const results = new FrameDecoder().push(bytes);
  expect(results).toHaveLength(1);
  const [first] = results;
  if (!first?.ok) throw new Error(`not a frame: ${JSON.stringify(first)}`);
  return first.frame;
}

describe('command frames (§1.3)', () => {
  const names = Object.keys(fx.COMMAND_FRAMES).filter((n) => n in COMMANDS) as CommandName[];
  it.each(names)('%s encodes to the documented bytes', (name) => {
    expect(Buffer.from(encodeCommand(name)).toString('hex')).toBe(Buffer.from(fx.COMMAND_FRAMES[name as keyof typeof fx.COMMAND_FRAMES]).toString('hex'));
  });

  it('set-max-RF-bytes carries its data byte', () => {
    expect(Array.from(encodeSetMaxRfBytes(0x50))).toEqual(Array.from(fx.COMMAND_FRAMES.setMaxRfBytes80));
  });

  it.each(names)('%s is recognised back from its frame', (name) => {
    expect(commandOf(frameOf(fx.COMMAND_FRAMES[name as keyof typeof fx.COMMAND_FRAMES]))).toBe(name);
  });

  it('an unknown (CMD, PARA) is not a command', () => {
    expect(commandOf({ payload: Uint8Array.from([0x77, 0x01]) })).toBeNull();
  });

  it('encodeFrame puts LEN = payload + CHK and XORs from LEN', () => {
    expect(Array.from(encodeReply(0x90))).toEqual(Array.from(fx.REPLY_FRAMES.samOk));
    expect(Array.from(encodeFrame([0x00, 0x00, 0x9f, 0, 0, 0, 0]))).toEqual(Array.from(fx.REPLY_FRAMES.findOk));
  });
});

describe('short replies (§1.3)', () => {
  it('SAM status OK', () => {
    expect(decodeStatusReply(frameOf(fx.REPLY_FRAMES.samOk))).toEqual({ ok: true, value: true });
  });

  it('find card: 9F with IIN, 80 = place your card', () => {
    const ok = decodeFindCardReply(frameOf(fx.REPLY_FRAMES.findOk));
    expect(ok.ok && Array.from(ok.value.iin)).toEqual([0, 0, 0, 0]);
    const none = decodeFindCardReply(frameOf(fx.REPLY_FRAMES.findNoCard));
    expect(none).toEqual({ ok: false, error: { code: 'find-failed', message: '请放置身份证', sw3: 0x80 } });
  });

  it('select card: 90 with 8-byte SN, 81 fails', () => {
    const ok = decodeSelectCardReply(frameOf(fx.REPLY_FRAMES.selectOk));
    expect(ok.ok && ok.value.sn.length).toBe(8);
    const fail = decodeSelectCardReply(frameOf(fx.REPLY_FRAMES.selectFail));
    expect(!fail.ok && fail.error.code).toBe('select-failed');
  });

  it('read failure 41 says 读卡失败，请重新放置', () => {
    const fail = decodeReadBasicReply(frameOf(fx.REPLY_FRAMES.readFail));
    expect(fail).toEqual({ ok: false, error: { code: 'read-failed', message: '读卡失败，请重新放置', sw3: 0x41 } });
  });

  it('SAM ID is formatted D2.D2-u32-D9-D9', () => {
    expect(decodeSamIdReply(frameOf(fx.SAM_ID_REPLY))).toEqual({ ok: true, value: '05.01-1000000-123456789-987654321' });
  });

  it('appended address: 91 means none, 90 carries 70 bytes of UCS-2', () => {
    expect(decodeAppendedAddressReply(frameOf(fx.APPENDED_ADDRESS_NONE))).toEqual({ ok: true, value: null });
    expect(decodeAppendedAddressReply(frameOf(fx.APPENDED_ADDRESS_REPLY))).toEqual({ ok: true, value: '北京市东城区新地址3号' });
  });

  it('a truncated find reply is a layout error, not an exception', () => {
    const r = decodeFindCardReply(frameOf(encodeReply(0x9f, [0, 0])));
    expect(!r.ok && r.error.code).toBe('bad-layout');
  });

  it('non-zero SW1/SW2 is reported', () => {
    const r = decodeStatusReply(frameOf(encodeReply(0x90, [], 0x6a, 0x82)));
    expect(!r.ok && r.error.code).toBe('bad-status-word');
  });

  it('a reply shorter than SW1-SW3 is reported', () => {
    expect(parseReply({ payload: Uint8Array.from([0, 0]) })).toMatchObject({ ok: false, error: { code: 'short-reply' } });
  });
});

describe('SW3 codes (§1.8)', () => {
  it('the table lists every documented SW3 exactly once', () => {
    expect([...SW3_TABLE.keys()].sort((a, b) => a - b)).toEqual([...fx.SW3_VALUES].sort((a, b) => a - b));
  });

  const expected: Record<number, [string, string]> = {
    0x90: ['ok', '操作成功'],
    0x91: ['no-content', '证件中无此项内容'],
    0x9f: ['card-found', '已检测到证件'],
    0x10: ['checksum-error', '读卡器通信校验错误'],
    0x11: ['length-error', '读卡器通信长度错误'],
    0x21: ['command-error', '读卡器不支持该命令'],
    0x23: ['unauthorized-operation', '读卡器拒绝操作（越权）'],
    0x24: ['unrecognized-error', '读卡器发生未知错误'],
    0x31: ['card-auth-sam-failed', '读卡失败，请重新放置身份证'],
    0x32: ['sam-auth-card-failed', '读卡失败，请重新放置身份证'],
    0x33: ['info-verify-failed', '读卡失败，请重新放置身份证'],
    0x40: ['unknown-card-type', '无法识别的证件类型，请放置有效身份证件'],
    0x41: ['read-failed', '读卡失败，请重新放置'],
    0x47: ['random-number-failed', '读卡失败，请重新放置身份证'],
    0x60: ['sam-self-test-failed', '身份证读卡器自检失败，请联系工作人员'],
    0x66: ['sam-unauthorized', '身份证读卡器未授权，请联系工作人员'],
    0x80: ['find-failed', '请放置身份证'],
    0x81: ['select-failed', '选卡失败，请重新放置身份证'],
  };

  it.each(fx.SW3_VALUES.map((v) => [v.toString(16).toUpperCase(), v] as const))('SW3 %s maps to its typed code and message', (_label, sw3) => {
    const reply = parseReply(frameOf(fx.statusOnlyReply(sw3)));
    if (!reply.ok) throw new Error('reply did not parse');
    const [code, message] = expected[sw3] ?? ['?', '?'];
    const err = statusError(reply.value, []);
    const info = SW3_TABLE.get(sw3);
    expect([info?.code, info?.message]).toEqual([code, message]);
    if (info?.success) expect(err).toEqual({ code: 'unexpected-status', message: '读卡器应答与命令不符', sw3 });
    else expect(err).toEqual({ code, message, sw3 });
    expect(SW3_TABLE.get(sw3)?.meaning.length).toBeGreaterThan(0);
  });

  it('a late find reply (9F) is not mistaken for a read result', () => {
    expect(decodeReadBasicReply(frameOf(fx.REPLY_FRAMES.findOk))).toMatchObject({ ok: false, error: { code: 'unexpected-status' } });
  });

  it('success codes pass when accepted', () => {
    const reply = parseReply(frameOf(fx.REPLY_FRAMES.samOk));
    expect(reply.ok && statusError(reply.value, [0x90])).toBeNull();
  });

  it('an undocumented SW3 becomes unknown-status with its hex value', () => {
    const reply = parseReply(frameOf(fx.statusOnlyReply(0x55)));
    expect(reply.ok && statusError(reply.value, [0x90])).toEqual({ code: 'unknown-status', message: '读卡器返回未知状态码 0x55', sw3: 0x55 });
  });
});

describe('read basic info reply (§1.4)', () => {
  it('splits the 1295-byte reply into text and photo', () => {
    const bytes = fx.readReply(fx.RESIDENT_TEXT);
    expect(bytes.length).toBe(1295);
    const r = decodeReadBasicReply(frameOf(bytes));
    if (!r.ok) throw new Error(r.error.message);
    expect(Array.from(r.value.text)).toEqual(Array.from(fx.RESIDENT_TEXT));
    expect(Array.from(r.value.photo)).toEqual(Array.from(fx.PHOTO));
    expect(r.value.fingerprint).toBeNull();
  });

  it('handles the 1297-byte (empty fingerprint) and 2321-byte fingerprint variants', () => {
    const empty = decodeReadBasicReply(frameOf(fx.readReplyWithEmptyFingerprint(fx.RESIDENT_TEXT)));
    expect(empty.ok && empty.value.fingerprint?.length).toBe(0);
    const full = decodeReadBasicReply(frameOf(fx.readReplyWithFingerprint(fx.RESIDENT_TEXT)));
    if (!full.ok) throw new Error(full.error.message);
    expect(full.value.fingerprint?.length).toBe(1024);
    expect(Array.from(full.value.text)).toEqual(Array.from(fx.RESIDENT_TEXT));
    expect(full.value.photo[0]).toBe(0x57);
  });

  it('the reply encoder produces the documented bytes', () => {
    expect(Buffer.from(encodeReadBasicReply(fx.RESIDENT_TEXT, fx.PHOTO)).equals(Buffer.from(fx.readReply(fx.RESIDENT_TEXT)))).toBe(true);
    expect(
      Buffer.from(encodeReadBasicReply(fx.RESIDENT_TEXT, fx.PHOTO, new Uint8Array(0))).equals(Buffer.from(fx.readReplyWithEmptyFingerprint(fx.RESIDENT_TEXT))),
    ).toBe(true);
  });

  it('rejects length words that disagree with the data', () => {
    const data = new Uint8Array(4 + 256 + 1024);
    data.set([0x01, 0x00, 0x03, 0x00]); // claims a 768-byte photo
    const r = decodeReadBasicReply(frameOf(encodeReply(0x90, data)));
    expect(!r.ok && r.error.code).toBe('bad-layout');
    const shortText = new Uint8Array(4 + 200);
    shortText.set([0x00, 0xc8, 0x00, 0x00]);
    const r2 = decodeReadBasicReply(frameOf(encodeReply(0x90, shortText)));
    expect(!r2.ok && r2.error.code).toBe('bad-layout');
  });
});
