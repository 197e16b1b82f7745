/**
 * `npm run bench`: prints every figure the issues ask for, each as a ratio against a baseline
 * measured in the same run (machines are noisy; absolute numbers are for context only).
 * Not a test: nothing here asserts a timing.
 */
import { benchDecode } from '../../drivers/idcard/bench.ts';
import { benchEncodeTicket, benchWire } from '../../drivers/printer/bench.ts';
import { benchGuideSearch } from '../../kiosk/guides/bench.ts';
import { benchQueue, type Row } from './queue-bench.ts';

const sections: { title: string; run: () => Promise<Row[]> }[] = [
  { title: 'Queue engine and hall-server API (issue 2)', run: () => benchQueue() },
  {
    title: 'Drivers (issue 3)',
    run: async () => {
      const decodeOps = benchDecode(20_000);
      const encode = await benchEncodeTicket({});
      const wire = await benchWire({});
      return [
        { name: 'ID-card read reply decode', value: decodeOps, unit: 'replies/s' },
        ...rowsOf('ticket → ESC/POS bytes', encode),
        ...rowsOf('bytes on wire', wire),
      ];
    },
  },
  {
    title: 'Guides (issue 4)',
    run: async () => {
      const r = benchGuideSearch({});
      return [
        { name: 'guide search p50', value: r.p50Ms, unit: 'ms' },
        { name: 'guide search p99', value: r.p99Ms, unit: 'ms', target: '<= 2 ms' },
      ];
    },
  },
];

/** Flattens a helper's result object into rows, keeping numbers only. */
function rowsOf(prefix: string, result: unknown, path = ''): Row[] {
  if (typeof result === 'number') return [{ name: `${prefix}${path}`, value: result, unit: '' }];
  if (Array.isArray(result)) return result.flatMap((r, i) => rowsOf(prefix, r, `${path}[${i}]`));
  if (result && typeof result === 'object') {
    return Object.entries(result).flatMap(([k, v]) => rowsOf(prefix, v, `${path}.${k}`));
  }
  return [];
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
const out: Record<string, Row[]> = {};
for (const section of sections) {
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
