/**
 * The citizen's two waits in 参保证明打印 (issue 12), over the daemon's HTTP API in-process
 * (Fastify inject) with the bundled insurance simulator (answering at once) and the IPP simulator:
 * - identify → preview: the ID card goes onto the simulated reader → the masked preview is back
 *   (card read, session, insurance lookup, document build) — target ≤ 1 s;
 * - tap 打印 → job accepted: POST /kiosk/certificates/print → the IPP endpoint holds the job
 *   (PDF render, verification record, Get-Printer-Attributes, Print-Job) — target ≤ 1 s.
 * The UI's own render is not in these figures (the tap-to-ticket bench covers the shell).
 */
import { loadConfig } from '../../config/load.ts';
import { createKiosk } from '../../kiosk/compose.ts';
import { buildServer } from '../../server/app.ts';
import { tempDbPath } from '../helpers/engine.ts';
import type { Row } from './queue-bench.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function until<T>(probe: () => T | Promise<T>, ms = 10_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface CertificateFlowBench {
  readonly identifyToPreviewMs: { p50: number; p95: number };
  readonly printToAcceptedMs: { p50: number; p95: number };
  readonly iterations: number;
}

export async function benchCertificateFlow({ iterations = 12 }: { iterations?: number } = {}): Promise<CertificateFlowBench> {
  const kiosk = createKiosk(loadConfig({ overlay: {} }), { dbPath: tempDbPath() });
  const app = await buildServer(kiosk);
  await app.ready();
  await kiosk.startDevices();
  const sim = kiosk.devices.simulators.get('idcard')!;
  const ipp = kiosk.devices.a4Simulator!;
  const identify: number[] = [];
  const accept: number[] = [];
  try {
    // One untimed round loads the fonts and warms the code paths.
    for (let i = 0; i <= iterations; i++) {
      await sim.act('remove-card');
      kiosk.session.clear();
      const t0 = performance.now();
      await sim.act('insert-card', { fixture: 'insured' });
      await until(async () => (await app.inject({ url: '/api/v1/kiosk/certificates/identity' })).json().identity);
      const preview = await app.inject({ method: 'POST', url: '/api/v1/kiosk/certificates/preview', payload: { kind: 'proof', paymentMonths: 12 } });
      if (preview.statusCode !== 200) throw new Error(`preview: ${preview.body}`);
      const t1 = performance.now();
      const before = ipp.jobs().length;
      const print = app.inject({ method: 'POST', url: '/api/v1/kiosk/certificates/print', payload: { code: preview.json().code } });
      await until(() => ipp.jobs().length > before);
      const t2 = performance.now();
      const r = await print;
      if (r.statusCode !== 200) throw new Error(`print: ${r.body}`);
      await until(async () => (await app.inject({ url: `/api/v1/kiosk/certificates/print/${preview.json().code}` })).json().state !== 'printing');
      if (i === 0) continue;
      identify.push(t1 - t0);
      accept.push(t2 - t1);
    }
  } finally {
    await app.close();
    await kiosk.close();
  }
  const s = (a: number[]) => {
    const sorted = [...a].sort((x, y) => x - y);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  return { identifyToPreviewMs: s(identify), printToAcceptedMs: s(accept), iterations };
}

export async function certificateFlowRows(): Promise<Row[]> {
  const r = await benchCertificateFlow({});
  return [
    { name: 'identify (card) → masked preview p50', value: r.identifyToPreviewMs.p50, unit: 'ms', target: '<= 1000 ms' },
    { name: 'identify (card) → masked preview p95', value: r.identifyToPreviewMs.p95, unit: 'ms', target: '<= 1000 ms' },
    { name: 'tap 打印 → job accepted by the IPP endpoint p50', value: r.printToAcceptedMs.p50, unit: 'ms', target: '<= 1000 ms' },
    {
      name: 'tap 打印 → job accepted by the IPP endpoint p95',
      value: r.printToAcceptedMs.p95,
      unit: 'ms',
      target: '<= 1000 ms',
      note: `${r.iterations} rounds, simulators answering at once`,
    },
  ];
}
