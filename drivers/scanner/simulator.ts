import iconv from 'iconv-lite';
import type { SimulatorAction, SimulatorControl } from '../common/simulator.ts';
import type { DeviceEnd } from '../common/transport.ts';
import { isAimId } from './symbology.ts';
import type { SerialTerminator } from './types.ts';

/**
 * A serial-mode (USB-CDC) barcode scanner on the device end of a link (README.md §4.3 in this
 * folder): each scan is the payload bytes, an optional AIM prefix such as `]Q1`, and the
 * configured suffix (CR, LF or CRLF). The HID-POS mode is tested with real report bytes on a
 * fake node-hid handle and on a memory link (test/drivers/scanner/driver-hid.test.ts).
 */
export interface ScannerSimulatorOptions {
  terminator?: SerialTerminator;
  /** AIM identifier sent before every scan unless a scan gives its own; omit for none. */
  aimPrefix?: string;
  /** Byte encoding of the payload: UTF-8 (default) or GB18030/GBK as many Chinese scanners send. */
  encoding?: 'utf-8' | 'gb18030';
}

export interface SimulatedScan {
  text: string;
  /** AIM identifier for this scan, overriding the configured prefix; '' sends none. */
  aim?: string;
  /** Split the bytes into this many separate writes (exercises the driver's framing). */
  chunks?: number;
}

const TERMINATORS: Record<SerialTerminator, readonly number[]> = {
  cr: [0x0d],
  lf: [0x0a],
  crlf: [0x0d, 0x0a],
};

const ACTIONS: readonly SimulatorAction[] = [
  { name: 'scan', description: '扫码：参数 text（条码内容），可选 aim（如 ]Q1）、chunks（分几次发送）' },
  { name: 'unplug', description: '拔出扫码器（串口消失）' },
  { name: 'replug', description: '重新插入扫码器' },
];

export class ScannerSimulator implements SimulatorControl {
  readonly kind = 'scanner' as const;
  readonly actions = ACTIONS;
  #port: DeviceEnd;
  #terminator: SerialTerminator;
  #aim: string;
  #encoding: 'utf-8' | 'gb18030';
  #sent = 0;

  /** Attach the simulated scanner to the device end of a link. */
  constructor(port: DeviceEnd, options: ScannerSimulatorOptions = {}) {
    if (options.aimPrefix !== undefined && options.aimPrefix !== '' && !isAimId(options.aimPrefix)) {
      throw new TypeError('"aimPrefix" must look like ]Q1');
    }
    this.#port = port;
    this.#terminator = options.terminator ?? 'cr';
    this.#aim = options.aimPrefix ?? '';
    this.#encoding = options.encoding ?? 'utf-8';
  }

  get hostPath(): string {
    return this.#port.hostPath;
  }

  /** The exact bytes a scan of `text` puts on the wire. */
  frame(scan: Pick<SimulatedScan, 'text' | 'aim'>): Uint8Array {
    const aim = scan.aim ?? this.#aim;
    const body = this.#encoding === 'gb18030' ? iconv.encode(aim + scan.text, 'gb18030') : Buffer.from(aim + scan.text, 'utf8');
    return Buffer.concat([body, Buffer.from(TERMINATORS[this.#terminator])]);
  }

  async scan(scan: SimulatedScan): Promise<void> {
    const bytes = this.frame(scan);
    const parts = Math.max(1, Math.min(bytes.length, Math.floor(scan.chunks ?? 1)));
    const size = Math.ceil(bytes.length / parts);
    for (let at = 0; at < bytes.length; at += size) {
      await this.#port.write(bytes.subarray(at, at + size));
      // Let the first piece reach the driver before the next, so the driver sees separate chunks.
      if (parts > 1) await new Promise((r) => setTimeout(r, 5));
    }
    this.#sent++;
  }

  /** Raw bytes, e.g. noise or an over-long line. */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await this.#port.write(bytes);
  }

  state(): Record<string, unknown> {
    // The scanned texts are not kept: they may be e-voucher payloads.
    return {
      plugged: this.#port.plugged,
      terminator: this.#terminator,
      aimPrefix: this.#aim,
      encoding: this.#encoding,
      scansSent: this.#sent,
    };
  }

  async act(action: string, args: Record<string, unknown> = {}): Promise<void> {
    switch (action) {
      case 'scan': {
        const { text, aim, chunks } = args;
        if (typeof text !== 'string' || text.length === 0) throw new Error('scan 需要非空字符串参数 text');
        if (aim !== undefined && (typeof aim !== 'string' || (aim !== '' && !isAimId(aim)))) {
          throw new Error('scan 的 aim 参数必须形如 ]Q1');
        }
        if (chunks !== undefined && (typeof chunks !== 'number' || !(chunks >= 1))) {
          throw new Error('scan 的 chunks 参数必须是不小于 1 的数字');
        }
        return this.scan({
          text,
          ...(typeof aim === 'string' ? { aim } : {}),
          ...(typeof chunks === 'number' ? { chunks } : {}),
        });
      }
      case 'unplug':
        return this.unplug();
      case 'replug':
        return this.replug();
      default:
        throw new Error(`扫码器模拟器没有动作 "${action}"；可用：${ACTIONS.map((a) => a.name).join('、')}`);
    }
  }

  unplug(): Promise<void> {
    return this.#port.unplug();
  }

  replug(): Promise<void> {
    return this.#port.replug();
  }

  close(): Promise<void> {
    return this.#port.close();
  }
}
