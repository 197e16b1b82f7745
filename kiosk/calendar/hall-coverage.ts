/** The coverage report of this daemon's calendar, with the hall's promised time limits. */
import type { Kiosk } from '../compose.ts';
import { FINAL_CASE_STATUSES } from '../evaluations/types.ts';
import { get } from '../store/sql.ts';
import { coverageReport, type CoverageReport, type PromiseHorizon } from './coverage.ts';
import type { SyncStatus } from './remote-sync.ts';

export interface HallCoverage extends CoverageReport {
  /** local: this daemon keeps the hall's calendar; holder: a copy of the queue holder's. */
  readonly source: 'local' | 'holder';
  readonly sync: SyncStatus | null;
  readonly lastImport: {
    readonly year: number;
    readonly at: number;
    readonly adminUser: string;
    readonly operator: string | null;
    readonly source: string | null;
  } | null;
}

const horizonCache = new WeakMap<object, PromiseHorizon[]>();

export function promiseHorizons(kiosk: Kiosk): PromiseHorizon[] {
  const cached = horizonCache.get(kiosk.guides);
  const out: PromiseHorizon[] = [];
  if (cached) out.push(...cached);
  else {
    let longest = 0;
    for (const item of kiosk.guides.items) {
      const t = item.timeLimit;
      if (t.unit === '工作日') longest = Math.max(longest, t.value, t.specialCaseMax ?? 0);
    }
    const guides: PromiseHorizon[] = longest > 0 ? [{ kind: 'promised-date', workingDays: longest, label: `事项承诺办结日期（${longest} 个工作日）` }] : [];
    horizonCache.set(kiosk.guides, guides);
    out.push(...guides);
  }
  const f = kiosk.config.evaluation.followUp;
  const n = Math.max(f.contactWorkingDays, f.rectifyWorkingDays);
  out.push({ kind: 'case-deadline', workingDays: n, label: `差评回访及整改反馈期限（${n} 个工作日）` });
  return out;
}

const reportCache = new WeakMap<Kiosk, { key: string; at: number; value: HallCoverage }>();
/** The report is polled with every status snapshot: reuse it while the day and the calendar are unchanged. */
const CACHE_MS = 15_000;

export async function hallCoverage(kiosk: Kiosk): Promise<HallCoverage> {
  const key = `${kiosk.evaluations.today()}|${kiosk.evaluations.calendar.revision()}|${kiosk.calendarSync?.status().lastAttemptAt ?? ''}`;
  const cached = reportCache.get(kiosk);
  const now = Date.now();
  if (cached && cached.key === key && now - cached.at < CACHE_MS) return cached.value;
  const value = await computeCoverage(kiosk);
  reportCache.set(kiosk, { key, at: now, value });
  return value;
}

async function computeCoverage(kiosk: Kiosk): Promise<HallCoverage> {
  const store = kiosk.evaluations.calendar;
  const finals = [...FINAL_CASE_STATUSES];
  // The cases are where the calendar is: the hall's store, or a remote terminal's own file.
  const open = (await store.runner.read(() =>
    get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM evaluation_cases WHERE deadline_problem IS NOT NULL AND status NOT IN (${finals.map(() => '?').join(',') || "''"})`,
      ...finals,
    ),
  ))!;
  const report = coverageReport({
    coverage: store.coverage(),
    calendar: store.calendar(),
    today: kiosk.evaluations.today(),
    horizons: promiseHorizons(kiosk),
    casesWithoutDeadline: open.n,
  });
  const last = store.lastImport();
  return {
    ...report,
    source: kiosk.calendarSync ? 'holder' : 'local',
    sync: kiosk.calendarSync?.status() ?? null,
    lastImport: last ? { year: last.year, at: last.importedAt, adminUser: last.adminUser, operator: last.operator, source: last.source } : null,
  };
}
