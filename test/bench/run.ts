/**
 * `npm run bench`: prints every figure the issues ask for, each as a ratio against a baseline
 * measured in the same run (machines are noisy; absolute numbers are for context only).
 * Not a test: nothing here asserts a timing.
 */
import { benchDecode } from '../../drivers/idcard/bench.ts';
import { benchEncodeTicket, benchWire } from '../../drivers/printer/bench.ts';
import { benchEvaluationSubmit, benchOutboxDrain } from './evaluation-bench.ts';
import { benchGuideSearch } from '../../kiosk/guides/bench.ts';
import { benchQueue, type Row } from './queue-bench.ts';
import { benchUi } from '../ui/bench-ui.ts';
import { benchCounter } from './counter-bench.ts';
import { benchStartup } from './startup-bench.ts';

const sections: { title: string; run: () => Promise<Row[]> }[] = [
  { title: 'Queue engine and hall-server API (issue 2)', run: () => benchQueue() },
  {
    title: 'Drivers (issue 3)',
    run: async () => {
      const decodeOps = benchDecode(20_000);
      const encode = benchEncodeTicket({});
      const wire = await benchWire({});
      return [
        { name: 'ID-card read reply decode', value: decodeOps, unit: 'replies/s' },
        { name: `ticket → ESC/POS bytes (${encode.bytes} B)`, value: encode.opsPerSec, unit: 'tickets/s' },
        ...wire.map((w) => ({
          name: `ticket on the wire @ ${w.baudRate} baud`,
          value: w.driverPrintMs,
          unit: 'ms',
          baseline: `theory ${w.theoreticalMs.toFixed(1)} ms`,
          ratio: w.driverPrintMs / w.theoreticalMs,
          target: '<= 1.1x + 20 ms',
          note: `raw pty write ${w.rawWriteMs.toFixed(2)} ms; a pty does not enforce the baud rate, so this measures driver overhead`,
        })),
      ];
    },
  },
  {
    title: 'Guides and UI (issue 4)',
    run: async () => {
      const r = benchGuideSearch({});
      const ui = await benchUi();
      return [
        { name: 'guide search p50', value: r.p50Ms, unit: 'ms' },
        { name: 'guide search p99', value: r.p99Ms, unit: 'ms', target: '<= 2 ms' },
        { name: 'UI JavaScript, gzipped', value: ui.gzipKb, unit: 'KB', baseline: 'budget 150 KB', ratio: ui.gzipKb / 150, target: '<= 150 KB' },
        { name: 'tap 取号 → ticket on screen p50', value: ui.tapToTicketMs.p50, unit: 'ms', target: '<= 300 ms' },
        { name: 'tap 取号 → ticket on screen p95', value: ui.tapToTicketMs.p95, unit: 'ms', target: '<= 300 ms' },
      ];
    },
  },
  {
    title: '好差评 (issue 5)',
    run: async () => {
      const submit = await benchEvaluationSubmit({});
      const drain = await benchOutboxDrain({});
      return [
        { name: 'bare Fastify POST (baseline)', value: submit.bareRoutePerSecond, unit: 'req/s' },
        { name: 'evaluation submit over HTTP', value: submit.submitPerSecond, unit: 'evaluations/s', baseline: 'bare', ratio: submit.ratio },
        { name: 'outbox drain to the local peer', value: drain.deliveredPerSecond, unit: 'deliveries/s', note: `${drain.evaluations} records` },
      ];
    },
  },
  { title: 'Counter workstation → window and call displays (issue 13)', run: () => benchCounter() },
  {
    title: 'Certificates (issue 12)',
    run: async () => {
      const r = await (await import('./certificate-bench.ts')).benchCertificatePdf({});
      return [
        {
          name: `certificate PDF render (${r.pages} pages, ${Math.round(r.bytes / 1024)} KB)`,
          value: r.certificateMs,
          unit: 'ms',
          baseline: `bare pdfkit, same text and font, ${r.bareMs.toFixed(0)} ms`,
          ratio: r.ratio,
          target: '<= 1.3x',
        },
      ];
    },
  },
  {
    title: 'Certificate flow: identify → preview, 打印 → IPP job (issue 12)',
    run: async () => (await import('./certificate-flow-bench.ts')).certificateFlowRows(),
  },
  { title: 'Compiled daemon: startup, memory, package (issue 11)', run: () => benchStartup() },
  { title: 'The hall store on PostgreSQL (issue 17)', run: async () => (await import('./postgres-bench.ts')).benchPostgres() },
];

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
const out: Record<string, Row[]> = {};
// `npm run bench -- --only startup` runs the sections whose title contains the word.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1]?.toLowerCase() : undefined;
for (const section of sections.filter((s) => !only || s.title.toLowerCase().includes(only))) {
  process.stdout.write(`\n== ${section.title}\n`);
  try {
    const rows = await section.run();
    out[section.title] = rows;
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) {
      const ratio = r.ratio !== undefined ? `  ×${r.ratio.toFixed(2)} vs ${r.baseline}` : '';
      const target = r.target ? `  (target ${r.target})` : '';
      process.stdout.write(`${r.name.padEnd(width)}  ${fmt(r.value).padStart(10)} ${r.unit}${ratio}${target}${r.note ? `  ${r.note}` : ''}\n`);
    }
  } catch (err) {
    process.stdout.write(`  failed: ${(err as Error).message}\n`);
  }
}
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
