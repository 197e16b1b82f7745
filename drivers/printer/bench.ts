/**
 * Printer benchmarks for `npm run bench` (the lead wires these into test/bench/run.ts).
 *
 * - encode: typical queue ticket → ESC/POS bytes, ops/s.
 * - wire: the ticket's bytes through the real driver to the simulator over a pty, per baud rate,
 *   against the theoretical wire time (bytes × 10 bits / baud for 8N1). A pty does NOT enforce the
 *   baud rate, so measured times are far below theory there; what the pty run does measure is the
 *   driver's own overhead (status round trips, queueing) on top of a raw write of the same bytes.
 */
import { performance } from 'node:perf_hooks';
import { SerialTransport } from '../common/serial-transport.ts';
import { PtyPort } from '../common/pty.ts';
import { encodeDocument } from './codec.ts';
import { PrinterDriver } from './driver.ts';
import { resolvePrinterProfile } from './profiles.ts';
import { sampleQueueTicket } from './samples.ts';
import { PrinterSimulator } from './simulator.ts';

export type EncodeBenchResult = { name: string; iterations: number; bytes: number; opsPerSec: number; msPerOp: number };

export function benchEncodeTicket(options: { iterations?: number; profile?: string } = {}): EncodeBenchResult {
  const iterations = options.iterations ?? 5000;
  const profile = resolvePrinterProfile(options.profile ?? 'generic-80');
  const ticket = sampleQueueTicket();
  let bytes = 0;
  for (let i = 0; i < 200; i++) encodeDocument(ticket, profile); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const r = encodeDocument(ticket, profile);
    if (r.ok) bytes = r.bytes.length;
  }
  const ms = performance.now() - start;
  return { name: 'printer: encode queue ticket', iterations, bytes, opsPerSec: Math.round((iterations / ms) * 1000), msPerOp: ms / iterations };
}

export type WireBenchResult = {
  name: string;
  baudRate: number;
  bytes: number;
  /** bytes × 10 / baud, in ms: what a real 8N1 serial line needs. */
  theoreticalMs: number;
  /** Raw SerialTransport write until the simulator has the whole receipt (median). */
  rawWriteMs: number;
  /** PrinterDriver.print() end to end with settleMs 0: pre-check, send, post-check (median). */
  driverPrintMs: number;
  /** driverPrintMs − rawWriteMs: what the driver adds (8 status round trips + queueing). */
  driverOverheadMs: number;
  /** True on a pty: the measurement says nothing about real wire speed. */
  baudNotEnforced: boolean;
};

export async function benchWire(options: { baudRates?: readonly number[]; runs?: number } = {}): Promise<WireBenchResult[]> {
  const baudRates = options.baudRates ?? [9600, 115200];
  const runs = options.runs ?? 5;
  const profile = resolvePrinterProfile('generic-80');
  const ticket = sampleQueueTicket();
  const encoded = encodeDocument(ticket, profile);
  if (!encoded.ok) throw new Error(`sample ticket does not encode: ${encoded.code}`);
  const bytes = encoded.bytes;
  const results: WireBenchResult[] = [];

  for (const baudRate of baudRates) {
    const sim = new PrinterSimulator(await PtyPort.open());
    try {
      const raw: number[] = [];
      const transport = new SerialTransport({ path: sim.hostPath, baudRate });
      await transport.open();
      try {
        for (let i = 0; i < runs; i++) {
          const received = sim.nextReceipt();
          const t0 = performance.now();
          await transport.write(bytes);
          await received;
          raw.push(performance.now() - t0);
        }
      } finally {
        await transport.close();
      }

      const driverTransport = new SerialTransport({ path: sim.hostPath, baudRate });
      const driver = new PrinterDriver({ transport: driverTransport, baudRate, profile, pollIntervalMs: 0, settleMs: 0 });
      await driver.start();
      const viaDriver: number[] = [];
      try {
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const result = await driver.print(ticket);
          viaDriver.push(performance.now() - t0);
          if (!result.ok) throw new Error(`bench print failed: ${result.code}`);
        }
      } finally {
        await driver.stop();
      }
      const rawWriteMs = median(raw);
      const driverPrintMs = median(viaDriver);
      const theoreticalMs = (bytes.length * 10 * 1000) / baudRate;
      results.push({
        name: `printer: ticket over pty @${baudRate}`,
        baudRate,
        bytes: bytes.length,
        theoreticalMs,
        rawWriteMs,
        driverPrintMs,
        driverOverheadMs: driverPrintMs - rawWriteMs,
        baudNotEnforced: rawWriteMs < theoreticalMs / 2,
      });
    } finally {
      await sim.close();
    }
  }
  return results;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
