/**
 * Startup and memory of the compiled daemon (issue 11): process start → ready (listening, store
 * open, devices opened: the "自助终端已启动" log line comes after all three) against a bare Fastify
 * process started the same way in the same run, alternating A B A B; RSS at idle; the .deb size.
 * The daemon runs with the node options of its systemd unit (config/debian/hall-kiosk.service).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './queue-bench.ts';
import { buildIfStale, daemonNodeFlags } from '../packaging/helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Start {
  readyMs: number;
  idleRssMb: number;
}

let nextPort = 18_900 + Math.floor(Math.random() * 500);

async function startOnce(args: string[], readyLine: RegExp, idleMs: number): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: undefined } });
  let out = '';
  const readyMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 120 s: ${out.slice(-500)}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (readyLine.test(out)) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out.slice(-500)}`)));
  });
  await new Promise((r) => setTimeout(r, idleMs));
  const idleRssMb = rssMb(child.pid!);
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { readyMs, idleRssMb };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchStartup(options: { runs?: number; idleMs?: number } = {}): Promise<Row[]> {
  const runs = options.runs ?? 5;
  const idleMs = options.idleMs ?? 5_000;
  buildIfStale();
  const flags = daemonNodeFlags();
  const daemon: Start[] = [];
  const restart: Start[] = [];
  const bare: Start[] = [];
  const ratios: number[] = [];
  const restartRatios: number[] = [];
  const startDaemon = (dataDir: string) =>
    startOnce([...flags, join(ROOT, 'dist/server/main.js'), '--port', String(nextPort++), '--data-dir', dataDir], /自助终端已启动/, idleMs);
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-startup-'));
    try {
      // First start on an empty data directory (the store created and migrated), then the start a
      // hall sees every morning and after a watchdog restart: the same directory again.
      const d = await startDaemon(dataDir);
      const again = await startDaemon(dataDir);
      const b = await startOnce([join(ROOT, 'test/bench/bare-fastify.mjs'), String(nextPort++)], /^READY /m, idleMs);
      daemon.push(d);
      restart.push(again);
      bare.push(b);
      ratios.push(d.readyMs / b.readyMs);
      restartRatios.push(again.readyMs / b.readyMs);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const range = (xs: number[]) => `per-pair ratios ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  const rows: Row[] = [
    { name: 'bare Fastify process: start → listening (baseline)', value: median(bare.map((s) => s.readyMs)), unit: 'ms' },
    {
      name: 'compiled daemon: start → ready',
      value: median(daemon.map((s) => s.readyMs)),
      unit: 'ms',
      baseline: 'bare Fastify',
      ratio: median(ratios),
      target: '<= 1.5x and <= 800 ms',
      note: `first start on an empty data directory; median of ${runs} paired runs (median of the per-pair ratios); listening, store open, 4 simulated devices opened; ${range(ratios)}; node ${flags.join(' ')}`,
    },
    {
      name: 'compiled daemon: restart → ready (existing store)',
      value: median(restart.map((s) => s.readyMs)),
      unit: 'ms',
      baseline: 'bare Fastify',
      ratio: median(restartRatios),
      target: '<= 1.5x and <= 800 ms',
      note: `the same data directory started again; ${range(restartRatios)}`,
    },
    {
      name: 'compiled daemon RSS at idle',
      value: median([...daemon, ...restart].map((s) => s.idleRssMb)),
      unit: 'MB',
      target: '<= 100 MB',
      note: `${idleMs / 1000} s after ready, first starts and restarts`,
    },
    { name: 'bare Fastify RSS at idle', value: median(bare.map((s) => s.idleRssMb)), unit: 'MB' },
  ];
  const deb = existsSync(join(ROOT, 'dist')) ? readdirSync(join(ROOT, 'dist')).find((n) => /^hall-kiosk_.*\.deb$/.test(n)) : undefined;
  if (deb) rows.push({ name: `.deb size (${deb})`, value: statSync(join(ROOT, 'dist', deb)).size / 1024 / 1024, unit: 'MiB' });
  else rows.push({ name: '.deb size', value: NaN, unit: 'MiB', note: 'run `npm run package` first' });
  return rows;
}
