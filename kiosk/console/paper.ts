import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DOTS_PER_MM, type PrintedJob } from '../../drivers/printer/index.ts';
import type { Clock } from '../clock.ts';
import type { DeviceHub } from '../devices/hub.ts';

/**
 * 纸张用量 (paper usage) of the receipt printer since the last "纸卷已更换" (roll changed), for the
 * console: jobs printed, lines, and metres of paper, measured on the bytes the driver sent
 * (drivers/printer/paper-usage.ts); with `devices.printer.rollLengthM` configured, an estimate of
 * what is left on the roll.
 *
 * Persisted in `<data dir>/paper-usage.json`, written atomically (temporary file, fsync, rename)
 * after every job, not in a table: a new migration is not possible while kiosk/store/migrations.ts
 * is being reworked, and the counter is a single small record that no query joins. Counting
 * happens on the driver's `printed` event (through the DeviceHub), so every paper consumer —
 * tickets, notices, test pages, certificates printed as receipts — is counted without touching
 * kiosk/printing/print-service.ts. Contains counts only, no ticket content.
 */
export interface PaperCounts {
  readonly jobs: number;
  readonly lines: number;
  readonly dots: number;
}

interface PaperFile {
  /** Since the last roll change. */
  readonly roll: PaperCounts;
  /** Since the counter was first used on this kiosk. */
  readonly total: PaperCounts;
  readonly rollChangedAt: number | null;
  readonly rollChangedBy: string | null;
}

export interface PaperUsageView {
  readonly jobs: number;
  readonly lines: number;
  readonly usedMetres: number;
  readonly totalJobs: number;
  readonly totalMetres: number;
  readonly rollChangedAt: number | null;
  readonly rollChangedBy: string | null;
  /** null without `devices.printer.rollLengthM`. */
  readonly rollLengthMetres: number | null;
  readonly remainingMetres: number | null;
  /** 0–100, null without a roll length. */
  readonly remainingPercent: number | null;
  /** Whether the counter survives a restart (false for an in-memory database in tests). */
  readonly persisted: boolean;
}

export const PAPER_FILE = 'paper-usage.json';
const ZERO: PaperCounts = { jobs: 0, lines: 0, dots: 0 };
const add = (a: PaperCounts, job: PrintedJob): PaperCounts => ({ jobs: a.jobs + 1, lines: a.lines + job.lines, dots: a.dots + job.dots });
const metres = (dots: number) => Math.round((dots / DOTS_PER_MM / 1000) * 100) / 100;

export class PaperUsage {
  readonly #file: string | null;
  readonly #clock: Clock;
  readonly #rollLengthM: number | null;
  #state: PaperFile;

  /** `dataDir` null: counts kept in memory only. */
  constructor(dataDir: string | null, clock: Clock, rollLengthM: number | null) {
    this.#file = dataDir ? join(dataDir, PAPER_FILE) : null;
    this.#clock = clock;
    this.#rollLengthM = rollLengthM;
    this.#state = this.#read();
  }

  /** Counts every job the hub's receipt printer finishes, from now on. */
  static follow(hub: DeviceHub, dbFile: string | null, clock: Clock, rollLengthM: number | null): PaperUsage {
    const usage = new PaperUsage(dbFile ? dirname(dbFile) : null, clock, rollLengthM);
    hub.on('printed', (job) => usage.record(job));
    return usage;
  }

  /** Never throws: it runs inside the printer's job, whose result must not depend on this file. */
  record(job: PrintedJob): void {
    this.#state = { ...this.#state, roll: add(this.#state.roll, job), total: add(this.#state.total, job) };
    try {
      this.#write();
    } catch {
      // Disk full or read-only: the count stays in memory and is written with the next job.
    }
  }

  /** "纸卷已更换": the roll counter starts again from zero. */
  rollChanged(user: string): PaperUsageView {
    this.#state = { ...this.#state, roll: ZERO, rollChangedAt: this.#clock(), rollChangedBy: user };
    this.#write();
    return this.view();
  }

  view(): PaperUsageView {
    const s = this.#state;
    const used = metres(s.roll.dots);
    const length = this.#rollLengthM;
    const remaining = length === null ? null : Math.max(0, Math.round((length - used) * 10) / 10);
    return {
      jobs: s.roll.jobs,
      lines: s.roll.lines,
      usedMetres: used,
      totalJobs: s.total.jobs,
      totalMetres: metres(s.total.dots),
      rollChangedAt: s.rollChangedAt,
      rollChangedBy: s.rollChangedBy,
      rollLengthMetres: length,
      remainingMetres: remaining,
      remainingPercent: length === null || remaining === null ? null : Math.round((remaining / length) * 100),
      persisted: this.#file !== null,
    };
  }

  #read(): PaperFile {
    const fresh: PaperFile = { roll: ZERO, total: ZERO, rollChangedAt: null, rollChangedBy: null };
    if (!this.#file || !existsSync(this.#file)) return fresh;
    try {
      const f = JSON.parse(readFileSync(this.#file, 'utf8')) as Partial<PaperFile>;
      const counts = (c: Partial<PaperCounts> | undefined): PaperCounts => ({
        jobs: Number(c?.jobs) || 0,
        lines: Number(c?.lines) || 0,
        dots: Number(c?.dots) || 0,
      });
      return {
        roll: counts(f.roll),
        total: counts(f.total),
        rollChangedAt: typeof f.rollChangedAt === 'number' ? f.rollChangedAt : null,
        rollChangedBy: typeof f.rollChangedBy === 'string' ? f.rollChangedBy : null,
      };
    } catch {
      // A damaged file (it is written atomically, so only by hand): start counting again.
      return fresh;
    }
  }

  #write(): void {
    if (!this.#file) return;
    const tmp = `${this.#file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(this.#state)}\n`, { mode: 0o600 });
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#file);
  }
}
