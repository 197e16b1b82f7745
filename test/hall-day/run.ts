/**
 * `npm run hall-day -- --tickets 5000 [--counters 20] [--kiosks 3] [--seed N] [--minute-ms 120] [--store postgres] [--daemon compiled|tsx]`: a
 * simulated hall day against the real daemon (`--store postgres`: one daemon per kiosk on a PostgreSQL primary with a
 * synchronous standby, issue 17; `--daemon tsx`: kiosk/main.ts under tsx instead of the compiled
 * dist/server/main.js a hall runs). Writes test-output/hall-day/report.json and report.txt and exits
 * non-zero if any invariant failed.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, runHallDay } from './day.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '5000' },
    counters: { type: 'string', default: '20' },
    kiosks: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261123' },
    'minute-ms': { type: 'string', default: '120' },
    out: { type: 'string', default: join(ROOT, 'test-output/hall-day') },
    store: { type: 'string', default: 'sqlite' },
    daemon: { type: 'string', default: 'compiled' },
  },
  allowPositionals: false,
});

const int = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer ≥ ${min}\n`);
    process.exit(64);
  }
  return n;
};

if (values.store !== 'sqlite' && values.store !== 'postgres') {
  process.stderr.write('--store must be sqlite or postgres\n');
  process.exit(64);
}

if (values.daemon !== 'compiled' && values.daemon !== 'tsx') {
  process.stderr.write('--daemon must be compiled or tsx\n');
  process.exit(64);
}

const report = await runHallDay({
  tickets: int('tickets', values.tickets, 100),
  counters: int('counters', values.counters, 2),
  kiosks: int('kiosks', values.kiosks, 1),
  seed: int('seed', values.seed, 0),
  minuteMs: int('minute-ms', values['minute-ms'], 1),
  outDir: values.out!,
  store: values.store,
  daemon: values.daemon,
});
process.exitCode = report.json.passed ? 0 : 1;
