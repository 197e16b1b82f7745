/**
 * A4 printer over IPP: a CUPS queue (ipp://localhost:631/printers/<name>) or any IPP Everywhere
 * printer URI. A print is Get-Printer-Attributes (refuse up front on a fault: nothing is sent),
 * Print-Job with document-format application/pdf, then Get-Job-Attributes polling until the job
 * is completed, aborted or canceled. A job the printer stopped (缺纸, 卡纸 mid-job) is cancelled
 * after stallCancelMs, so a certificate never comes out later with nobody at the kiosk; the
 * result says why. Every wait has a timeout and device conditions never throw.
 */
import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import { disconnected, fault, sameStatus } from '../common/status.ts';
import {
  GROUP,
  JOB_STATE,
  PRINTER_STATE,
  STATUS,
  attr,
  decodeMessage,
  firstValue,
  numberValue,
  request,
  statusName,
  stringValues,
  type IppMessage,
  type JobStateName,
  type OperationName,
  type PrinterStateName,
} from './codec.ts';
import { A4_PRINTER_MESSAGES } from './messages.ts';
import { classifyReasons, snapshotToStatus } from './status-map.ts';
import type { A4PrintFailureCode, A4PrintOptions, A4PrintPhase, A4PrintResult, A4PrinterDriverOptions, JobProgress, PrinterSnapshot } from './types.ts';

type Events = { status: [DeviceStatus]; job: [JobProgress] };
type Reply = { ok: true; message: IppMessage } | { ok: false; code: 'unreachable' | 'invalid-response'; detail: string };

const BUSY: DeviceStatus = Object.freeze({ state: 'busy', task: 'print' });

/** Queue name or URI → [printer-uri sent in the request, HTTP URL the request is posted to]. */
export function resolvePrinterTarget(target: string): { printerUri: string; httpUrl: string } {
  const t = target.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    if (!/^[A-Za-z0-9_.-]{1,127}$/.test(t)) throw new Error(`not a CUPS queue name or printer URI: ${JSON.stringify(target)}`);
    return { printerUri: `ipp://localhost:631/printers/${t}`, httpUrl: `http://localhost:631/printers/${t}` };
  }
  const u = new URL(t);
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'ipp' || scheme === 'ipps') {
    const http = new URL(t.replace(/^ipps?:/i, scheme === 'ipps' ? 'https:' : 'http:'));
    if (!u.port) http.port = '631';
    return { printerUri: t, httpUrl: http.toString() };
  }
  if (scheme === 'http' || scheme === 'https') {
    const port = u.port || (scheme === 'https' ? '443' : '80');
    const printerUri = `${scheme === 'https' ? 'ipps' : 'ipp'}://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${port}${u.pathname}`;
    return { printerUri, httpUrl: u.toString() };
  }
  throw new Error(`unsupported printer URI scheme ${scheme}: use ipp://, ipps://, http:// or https://`);
}

export class A4PrinterDriver extends EventEmitter<Events> {
  readonly printerUri: string;
  readonly #url: string;
  readonly #log: DeviceLogger;
  readonly #statusPollMs: number;
  readonly #jobPollMs: number;
  readonly #timeoutMs: number;
  readonly #jobTimeoutMs: number;
  readonly #stallCancelMs: number;
  readonly #user: string;
  #status: DeviceStatus = disconnected(A4_PRINTER_MESSAGES['not-started']);
  #requestId = 1;
  #timer: NodeJS.Timeout | null = null;
  #started = false;
  #jobs = 0;
  /** Jobs run one at a time: the kiosk prints one certificate at a time and the status must follow it. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: A4PrinterDriverOptions) {
    super();
    const t = resolvePrinterTarget(options.target);
    this.printerUri = t.printerUri;
    this.#url = t.httpUrl;
    this.#log = options.logger ?? silentLogger;
    this.#statusPollMs = options.statusPollMs ?? 5000;
    this.#jobPollMs = options.jobPollMs ?? 250;
    this.#timeoutMs = options.requestTimeoutMs ?? 5000;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.#stallCancelMs = options.stallCancelMs ?? 30_000;
    this.#user = options.userName ?? 'hall-kiosk';
  }

  status(): DeviceStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.refreshStatus();
    if (this.#statusPollMs > 0) {
      this.#timer = setInterval(() => {
        if (this.#jobs === 0) void this.refreshStatus();
      }, this.#statusPollMs);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#queue.catch(() => undefined);
    this.#setStatus(disconnected(A4_PRINTER_MESSAGES['not-started']));
  }

  /** Get-Printer-Attributes now; returns the new device status. */
  async refreshStatus(): Promise<DeviceStatus> {
    const snap = await this.printerSnapshot();
    if (!snap.ok) this.#setStatus(this.#statusForFailure(snap.code));
    else if (this.#jobs === 0) this.#setStatus(snapshotToStatus(snap.snapshot));
    return this.#status;
  }

  async printerSnapshot(): Promise<{ ok: true; snapshot: PrinterSnapshot } | { ok: false; code: 'unreachable' | 'invalid-response' }> {
    const r = await this.#call('Get-Printer-Attributes', [
      attr.uri('printer-uri', this.printerUri),
      attr.name('requesting-user-name', this.#user),
      attr.keyword('requested-attributes', 'printer-state', 'printer-state-reasons', 'printer-is-accepting-jobs', 'printer-make-and-model'),
    ]);
    if (!r.ok) return r;
    const m = r.message;
    if (m.code >= 0x0400) return { ok: false, code: 'invalid-response' };
    const stateCode = numberValue(m, GROUP.printer, 'printer-state');
    const state = PRINTER_STATE[stateCode as keyof typeof PRINTER_STATE];
    if (!state) return { ok: false, code: 'invalid-response' };
    const accepting = firstValue(m, GROUP.printer, 'printer-is-accepting-jobs');
    const model = firstValue(m, GROUP.printer, 'printer-make-and-model');
    return {
      ok: true,
      snapshot: {
        state: state as PrinterStateName,
        reasons: stringValues(m, GROUP.printer, 'printer-state-reasons').filter((x) => x !== 'none'),
        acceptingJobs: accepting !== false,
        makeAndModel: typeof model === 'string' ? model : null,
      },
    };
  }

  /** Print a PDF and follow the job to its end. Resolves with a precise result; never rejects for device conditions. */
  print(pdf: Uint8Array, options: A4PrintOptions = {}): Promise<A4PrintResult> {
    const run = this.#queue.then(() => this.#runJob(pdf, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Cancel-Job; true when the printer accepted the cancel. */
  async cancel(jobId: number): Promise<boolean> {
    const r = await this.#call('Cancel-Job', [
      attr.uri('printer-uri', this.printerUri),
      attr.integer('job-id', jobId),
      attr.name('requesting-user-name', this.#user),
    ]);
    return r.ok && r.message.code < 0x0400;
  }

  async #runJob(pdf: Uint8Array, options: A4PrintOptions): Promise<A4PrintResult> {
    if (!this.#started) return failure('not-started', 'precheck', null);
    if (pdf.length < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') return failure('invalid-document', 'precheck', null);
    this.#jobs++;
    try {
      const before = await this.printerSnapshot();
      if (!before.ok) {
        this.#setStatus(this.#statusForFailure(before.code));
        return failure(before.code, 'precheck', null);
      }
      const status = snapshotToStatus(before.snapshot);
      this.#setStatus(status);
      if (status.state === 'fault') return failure(status.code as A4PrintFailureCode, 'precheck', null);

      this.#setStatus(BUSY);
      const submitted = await this.#call(
        'Print-Job',
        [
          attr.uri('printer-uri', this.printerUri),
          attr.name('requesting-user-name', this.#user),
          attr.name('job-name', options.jobName ?? 'certificate'),
          attr.mime('document-format', 'application/pdf'),
        ],
        pdf,
      );
      if (!submitted.ok) {
        this.#setStatus(this.#statusForFailure(submitted.code));
        return failure(submitted.code, 'submit', null);
      }
      const sm = submitted.message;
      if (sm.code >= 0x0400) {
        this.#log.warn({ status: statusName(sm.code) }, 'a4 printer refused the job');
        await this.refreshAfterJob();
        const code: A4PrintFailureCode =
          sm.code === STATUS.serverErrorNotAcceptingJobs
            ? 'not-accepting'
            : sm.code === STATUS.clientErrorDocumentFormatNotSupported
              ? 'invalid-document'
              : 'rejected';
        return failure(code, 'submit', null);
      }
      const jobId = numberValue(sm, GROUP.job, 'job-id');
      if (jobId === undefined) {
        await this.refreshAfterJob();
        return failure('invalid-response', 'submit', null);
      }
      this.#log.info({ jobId }, 'a4 job accepted');
      const initial = JOB_STATE[numberValue(sm, GROUP.job, 'job-state') as keyof typeof JOB_STATE];
      if (initial) this.#progress({ jobId, state: initial, reasons: stringValues(sm, GROUP.job, 'job-state-reasons') }, options);
      return await this.#follow(jobId, options, initial ?? null);
    } finally {
      this.#jobs--;
    }
  }

  #progress(p: JobProgress, options: A4PrintOptions): void {
    this.emit('job', p);
    options.onProgress?.(p);
  }

  async #follow(jobId: number, options: A4PrintOptions, initial: JobStateName | null): Promise<A4PrintResult> {
    const startedAt = Date.now();
    let last: JobStateName | null = initial;
    let stalledSince: number | null = null;
    let lastFault: string | null = null;
    for (;;) {
      const job = await this.#jobState(jobId);
      const printer = await this.printerSnapshot();
      const faults = printer.ok ? classifyReasons(printer.snapshot.reasons).faults : [];
      if (printer.ok && faults[0]) lastFault = faults[0];
      if (job.ok) {
        if (job.state !== last) {
          last = job.state;
          this.#progress({ jobId, state: job.state, reasons: job.reasons }, options);
        }
        if (job.state === 'completed') {
          await this.refreshAfterJob();
          const s = this.#status;
          return { ok: true, jobId, warnings: s.state === 'ready' ? s.warnings : [] };
        }
        if (job.state === 'aborted' || job.state === 'canceled') {
          await this.refreshAfterJob();
          if (lastFault) return failure(midJobCode(lastFault), 'job', jobId);
          return failure(job.state, 'job', jobId);
        }
        const stopped = job.state === 'processing-stopped' || (faults.length > 0 && (job.state === 'processing' || job.state === 'pending'));
        if (stopped) {
          if (printer.ok) this.#setStatus(snapshotToStatus(printer.snapshot));
          stalledSince ??= Date.now();
          if (Date.now() - stalledSince >= this.#stallCancelMs) {
            await this.cancel(jobId);
            this.#log.warn({ jobId, reason: lastFault ?? 'stopped' }, 'a4 job stalled by a printer fault, cancelled');
            await this.refreshAfterJob();
            return failure(midJobCode(lastFault), 'job', jobId);
          }
        } else {
          stalledSince = null;
          if (this.#status.state !== 'busy') this.#setStatus(BUSY);
        }
      }
      if (Date.now() - startedAt >= this.#jobTimeoutMs) {
        await this.cancel(jobId);
        await this.refreshAfterJob();
        return failure('timeout', 'job', jobId);
      }
      await delay(this.#jobPollMs);
    }
  }

  async #jobState(jobId: number): Promise<{ ok: true; state: JobStateName; reasons: string[] } | { ok: false }> {
    const r = await this.#call('Get-Job-Attributes', [
      attr.uri('printer-uri', this.printerUri),
      attr.integer('job-id', jobId),
      attr.name('requesting-user-name', this.#user),
      attr.keyword('requested-attributes', 'job-state', 'job-state-reasons'),
    ]);
    if (!r.ok || r.message.code >= 0x0400) return { ok: false };
    const state = JOB_STATE[numberValue(r.message, GROUP.job, 'job-state') as keyof typeof JOB_STATE];
    if (!state) return { ok: false };
    return { ok: true, state, reasons: stringValues(r.message, GROUP.job, 'job-state-reasons') };
  }

  /** After a job: the printer's status as it now is (fault reasons stay visible on the banner). */
  async refreshAfterJob(): Promise<void> {
    const snap = await this.printerSnapshot();
    this.#setStatus(snap.ok ? snapshotToStatus(snap.snapshot) : this.#statusForFailure(snap.code));
  }

  async #call(operation: OperationName, attributes: Parameters<typeof request>[2], data?: Uint8Array): Promise<Reply> {
    const id = this.#requestId++ & 0x7fffffff || 1;
    const body = request(operation, id, attributes, data);
    let res: { status: number; bytes: Uint8Array };
    try {
      res = await postIpp(this.#url, body, this.#timeoutMs + (data ? Math.ceil(data.length / 100_000) * 1000 : 0));
    } catch (err) {
      this.#log.debug({ operation, error: (err as Error).name }, 'a4 printer unreachable');
      return { ok: false, code: 'unreachable', detail: (err as Error).message };
    }
    try {
      if (res.status !== 200) return { ok: false, code: 'invalid-response', detail: `HTTP ${res.status}` };
      const message = decodeMessage(res.bytes);
      if (message.requestId !== id) return { ok: false, code: 'invalid-response', detail: 'request-id mismatch' };
      return { ok: true, message };
    } catch (err) {
      return { ok: false, code: (err as Error).name === 'IppDecodeError' ? 'invalid-response' : 'unreachable', detail: (err as Error).message };
    }
  }

  #statusForFailure(code: 'unreachable' | 'invalid-response'): DeviceStatus {
    return code === 'unreachable' ? disconnected(A4_PRINTER_MESSAGES.unreachable) : fault('invalid-response', A4_PRINTER_MESSAGES['invalid-response']);
  }

  #setStatus(next: DeviceStatus): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    const detail = next.state === 'fault' ? { state: next.state, code: next.code } : { state: next.state };
    if (next.state === 'fault' || next.state === 'disconnected') this.#log.warn(detail, 'a4 printer status changed');
    else this.#log.info(detail, 'a4 printer status changed');
    this.emit('status', next);
  }
}

function midJobCode(fault: string | null): A4PrintFailureCode {
  if (fault === 'media-empty') return 'media-empty-mid-job';
  if (fault === 'media-jam') return 'media-jam-mid-job';
  return 'interrupted-mid-job';
}

function failure(code: A4PrintFailureCode, phase: A4PrintPhase, jobId: number | null): A4PrintResult {
  return { ok: false, code, message: A4_PRINTER_MESSAGES[code], phase, jobId };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One IPP request over HTTP(S): POST application/ipp, the whole reply body back, the whole
 * exchange bounded by timeoutMs (a TimeoutError, as fetch's AbortSignal.timeout gives). node:http
 * rather than fetch: fetch loads Node's bundled undici on first use, which the daemon otherwise
 * never needs, and the A4 printer's first status poll is part of every start (issue 11).
 */
function postIpp(url: string, body: Uint8Array, timeoutMs: number): Promise<{ status: number; bytes: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { 'content-type': 'application/ipp', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, bytes: new Uint8Array(Buffer.concat(chunks)) });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => {
      const err = new Error(`no IPP reply within ${timeoutMs} ms`);
      err.name = 'TimeoutError';
      req.destroy(err);
    }, timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
    req.end(body);
  });
}
