/** Measures guide search latency over the shipped data (wired into `npm run bench`). */
import { performance } from 'node:perf_hooks';
import { GuideCatalog } from './catalog.ts';

export interface GuideSearchBenchResult {
  readonly items: number;
  readonly queries: number;
  readonly samples: number;
  readonly loadMs: number;
  /** The very first search after loading (cold JIT), reported separately. */
  readonly firstQueryMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface GuideSearchBenchOptions {
  readonly dir?: string;
  /** Measured rounds over the query set (default 200). */
  readonly rounds?: number;
  /** Unmeasured warm-up rounds first: the daemon is long-running (default 20). */
  readonly warmupRounds?: number;
  readonly queries?: readonly string[];
}

/** A mix of what people type: Chinese, pinyin, initials, synonyms, typos, misses. */
export const BENCH_QUERIES: readonly string[] = [
  '异地就医',
  '异地',
  'ydjy',
  'yidijiuyi',
  '报销',
  '住院报销',
  'zybx',
  '生育',
  '生育津贴',
  'shengyu',
  '慢性病',
  '门诊慢特病',
  'mtb',
  '参保凭证',
  'cbpz',
  '转移',
  '参保登记',
  '居民医保',
  'jmyb',
  '查询',
  '个人账户',
  '双通道',
  '定点药店',
  '义地就医',
  'yidijuyi',
  'baoxiao',
  'xyz',
  '火车票',
  '缴费基数',
  '医疗救助',
  '我要报销医药费',
  '异地 备案',
  '营养补助',
  'dw',
  '单位参保登记',
];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)] ?? 0;
}

export function benchGuideSearch(options: GuideSearchBenchOptions = {}): GuideSearchBenchResult {
  const t0 = performance.now();
  const catalog = options.dir ? GuideCatalog.fromDir(options.dir) : GuideCatalog.fromDir();
  const loadMs = performance.now() - t0;
  const queries = options.queries ?? BENCH_QUERIES;
  const rounds = options.rounds ?? 200;
  const f = performance.now();
  catalog.search(queries[0] ?? '');
  const firstQueryMs = performance.now() - f;
  const warmup = options.warmupRounds ?? 20;
  for (let r = 0; r < warmup; r++) for (const q of queries) catalog.search(q);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const s = performance.now();
      catalog.search(q);
      samples.push(performance.now() - s);
    }
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    items: catalog.items.length,
    queries: queries.length,
    samples: samples.length,
    loadMs,
    firstQueryMs,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples[samples.length - 1] ?? 0,
    meanMs: samples.length ? total / samples.length : 0,
  };
}
