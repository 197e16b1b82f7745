/**
 * A real IPP endpoint over node:http standing in for a CUPS queue or an IPP Everywhere laser
 * printer. It answers Print-Job, Validate-Job, Cancel-Job, Get-Job-Attributes, Get-Jobs and
 * Get-Printer-Attributes; keeps every received document's bytes so tests can read the PDF back;
 * moves each job through pending → processing → completed page by page over time; and on demand
 * runs out of paper or jams, now or after N more pages (mid-job), opens the door, runs low on
 * toner, goes offline, stops accepting jobs or vanishes from the network.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorAction } from '../common/simulator.ts';
import {
  GROUP,
  JOB_STATE_CODE,
  OPERATION,
  STATUS,
  attr,
  decodeMessage,
  encodeMessage,
  firstValue,
  numberValue,
  operationGroup,
  stringValues,
  type IppAttribute,
  type IppMessage,
  type JobStateName,
} from './codec.ts';
import type { IppSimulatorOptions, SimulatedJob } from './types.ts';

export const A4_SIMULATOR_ACTIONS: readonly SimulatorAction[] = Object.freeze([
  { name: 'media-empty', description: '纸盒缺纸' },
  { name: 'media-empty-after', description: '再打印 N 页后缺纸（参数 pages）' },
  { name: 'media-jam', description: '卡纸' },
  { name: 'media-jam-after', description: '再打印 N 页后卡纸（参数 pages）' },
  { name: 'media-ok', description: '装纸／清除卡纸，继续打印' },
  { name: 'media-low', description: '纸张将用尽' },
  { name: 'door-open', description: '打开舱门' },
  { name: 'door-close', description: '关闭舱门' },
  { name: 'toner-low', description: '墨粉不足' },
  { name: 'toner-ok', description: '更换墨粉' },
  { name: 'offline', description: '打印机离线' },
  { name: 'online', description: '打印机恢复在线' },
  { name: 'reject-jobs', description: '停止接受打印任务' },
  { name: 'accept-jobs', description: '恢复接受打印任务' },
  { name: 'abort-current', description: '中止当前任务' },
  { name: 'clear', description: '清除已收到的任务' },
  { name: 'unplug', description: '断开网络' },
  { name: 'replug', description: '恢复网络' },
]);

/** Requests whose operation names `operations` keeps (the driver polls the printer all day). */
const OPERATIONS_KEPT = 1000;

interface Job {
  id: number;
  name: string;
  userName: string;
  format: string;
  data: Buffer;
  pages: number;
  pagesPrinted: number;
  state: JobStateName;
  reasons: string[];
  createdAt: number;
  completedAt: number | null;
}

/** Pages of a PDF: page objects ("/Type /Page", not "/Pages"). pdfkit writes them uncompressed. */
export function countPdfPages(pdf: Buffer): number {
  const n = pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return Math.max(1, n);
}

export class IppPrinterSimulator {
  readonly kind = 'a4printer' as const;
  readonly actions = A4_SIMULATOR_ACTIONS;
  readonly queueName: string;
  readonly #host: string;
  #port: number;
  readonly #pendingMs: number;
  readonly #msPerPage: number;
  #server: Server | null = null;
  #jobs: Job[] = [];
  #nextJobId = 1;
  #timer: NodeJS.Timeout | null = null;
  // printer condition
  #mediaEmpty = false;
  #mediaJam = false;
  #mediaLow = false;
  #doorOpen = false;
  #tonerLow = false;
  #offline = false;
  #accepting = true;
  #emptyAfterPages: number | null = null;
  #jamAfterPages: number | null = null;
  readonly #jobHistory: number;
  /** The operation names of the last OPERATIONS_KEPT requests, oldest first, for tests. */
  readonly operations: string[] = [];

  private constructor(options: IppSimulatorOptions) {
    this.queueName = options.queueName ?? 'kiosk-a4';
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#pendingMs = options.pendingMs ?? 30;
    this.#msPerPage = options.msPerPage ?? 60;
    this.#jobHistory = options.jobHistory ?? 50;
  }

  static async start(options: IppSimulatorOptions = {}): Promise<IppPrinterSimulator> {
    const sim = new IppPrinterSimulator(options);
    await sim.#listen();
    return sim;
  }

  /** ipp://127.0.0.1:<port>/printers/<queue>: what the driver is configured with. */
  get uri(): string {
    return `ipp://${this.#host}:${this.#port}/printers/${this.queueName}`;
  }

  get port(): number {
    return this.#port;
  }

  jobs(): readonly SimulatedJob[] {
    return this.#jobs.map((j) => this.#view(j));
  }

  job(id: number): SimulatedJob | undefined {
    const j = this.#jobs.find((x) => x.id === id);
    return j ? this.#view(j) : undefined;
  }

  lastJob(): SimulatedJob | undefined {
    const j = this.#jobs.at(-1);
    return j ? this.#view(j) : undefined;
  }

  state(): Record<string, unknown> {
    return {
      uri: this.uri,
      plugged: this.#server !== null,
      printerState: this.#printerState(),
      reasons: this.#reasons(),
      accepting: this.#accepting,
      jobs: this.#jobs.map((j) => ({ id: j.id, state: j.state, pages: j.pages, pagesPrinted: j.pagesPrinted })),
    };
  }

  async act(action: string, args: Record<string, unknown> = {}): Promise<void> {
    const pages = (): number => {
      const p = args['pages'];
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0)
        throw new Error(`${action} needs args.pages as a non-negative integer, got ${JSON.stringify(p)}`);
      return p;
    };
    switch (action) {
      case 'media-empty':
        this.#mediaEmpty = true;
        break;
      case 'media-empty-after':
        this.#emptyAfterPages = pages();
        break;
      case 'media-jam':
        this.#mediaJam = true;
        break;
      case 'media-jam-after':
        this.#jamAfterPages = pages();
        break;
      case 'media-ok':
        this.#mediaEmpty = false;
        this.#mediaJam = false;
        this.#mediaLow = false;
        this.#emptyAfterPages = null;
        this.#jamAfterPages = null;
        break;
      case 'media-low':
        this.#mediaLow = true;
        break;
      case 'door-open':
        this.#doorOpen = true;
        break;
      case 'door-close':
        this.#doorOpen = false;
        break;
      case 'toner-low':
        this.#tonerLow = true;
        break;
      case 'toner-ok':
        this.#tonerLow = false;
        break;
      case 'offline':
        this.#offline = true;
        break;
      case 'online':
        this.#offline = false;
        break;
      case 'reject-jobs':
        this.#accepting = false;
        break;
      case 'accept-jobs':
        this.#accepting = true;
        break;
      case 'abort-current': {
        const j = this.#current();
        if (j) this.#finish(j, 'aborted', 'aborted-by-system');
        break;
      }
      case 'clear':
        this.#jobs = this.#jobs.filter((j) => !isTerminal(j.state));
        break;
      case 'unplug':
        return this.unplug();
      case 'replug':
        return this.replug();
      default:
        throw new Error(`unknown a4 printer simulator action '${action}'; known: ${this.actions.map((a) => a.name).join(', ')}`);
    }
    this.#schedule();
  }

  /** The network goes away: the port stops answering. */
  async unplug(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  async replug(): Promise<void> {
    if (!this.#server) await this.#listen();
  }

  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.unplug();
  }

  // ---------- printing over time ----------

  #stopped(): boolean {
    return this.#mediaEmpty || this.#mediaJam || this.#doorOpen || this.#offline;
  }

  #current(): Job | undefined {
    return this.#jobs.find((j) => j.state === 'processing' || j.state === 'processing-stopped') ?? this.#jobs.find((j) => j.state === 'pending');
  }

  /** Advance the job queue by one step after `delay`, unless the printer is stopped. */
  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const j = this.#current();
    if (!j) return;
    if (this.#stopped()) {
      if (j.state === 'processing') {
        j.state = 'processing-stopped';
        j.reasons = ['printer-stopped'];
      }
      return;
    }
    if (j.state === 'processing-stopped') {
      j.state = 'processing';
      j.reasons = ['job-printing'];
    }
    const wait = j.state === 'pending' ? Math.max(0, this.#pendingMs - (Date.now() - j.createdAt)) : this.#msPerPage;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#step(j);
      this.#schedule();
    }, wait);
    this.#timer.unref();
  }

  #step(j: Job): void {
    if (isTerminal(j.state) || this.#stopped()) return;
    if (j.state === 'pending') {
      j.state = 'processing';
      j.reasons = ['job-printing'];
      return;
    }
    // Paper runs out or jams before the next page when the countdown reached zero.
    if (this.#emptyAfterPages === 0) {
      this.#emptyAfterPages = null;
      this.#mediaEmpty = true;
      return;
    }
    if (this.#jamAfterPages === 0) {
      this.#jamAfterPages = null;
      this.#mediaJam = true;
      return;
    }
    j.pagesPrinted += 1;
    if (this.#emptyAfterPages !== null) this.#emptyAfterPages -= 1;
    if (this.#jamAfterPages !== null) this.#jamAfterPages -= 1;
    if (j.pagesPrinted >= j.pages) this.#finish(j, 'completed', 'job-completed-successfully');
  }

  #finish(j: Job, state: 'completed' | 'aborted' | 'canceled', reason: string): void {
    j.state = state;
    j.reasons = [reason];
    j.completedAt = Date.now();
    const finished = this.#jobs.filter((x) => isTerminal(x.state));
    if (finished.length > this.#jobHistory) {
      const forget = new Set(finished.slice(0, finished.length - this.#jobHistory));
      this.#jobs = this.#jobs.filter((x) => !forget.has(x));
    }
  }

  #printerState(): 'idle' | 'processing' | 'stopped' {
    if (this.#stopped()) return 'stopped';
    return this.#jobs.some((j) => !isTerminal(j.state)) ? 'processing' : 'idle';
  }

  #reasons(): string[] {
    const r: string[] = [];
    if (this.#offline) r.push('offline-report');
    if (this.#doorOpen) r.push('door-open-error');
    if (this.#mediaJam) r.push('media-jam-error');
    if (this.#mediaEmpty) r.push('media-empty-error', 'media-needed-error');
    if (this.#mediaLow && !this.#mediaEmpty) r.push('media-low-warning');
    if (this.#tonerLow) r.push('toner-low-warning');
    return r.length ? r : ['none'];
  }

  #view(j: Job): SimulatedJob {
    return {
      id: j.id,
      name: j.name,
      userName: j.userName,
      format: j.format,
      data: j.data,
      pages: j.pages,
      pagesPrinted: j.pagesPrinted,
      state: j.state,
      stateReasons: [...j.reasons],
      createdAt: j.createdAt,
      completedAt: j.completedAt,
    };
  }

  // ---------- IPP over HTTP ----------

  async #listen(): Promise<void> {
    const server = createServer((req, res) => void this.#onRequest(req, res));
    server.keepAliveTimeout = 1000;
    server.listen(this.#port, this.#host);
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== `/printers/${this.queueName}` && path !== '/ipp/print')) {
      res.writeHead(req.method === 'POST' ? 404 : 405).end();
      return;
    }
    if (!/^application\/ipp\b/i.test(req.headers['content-type'] ?? '')) {
      res.writeHead(400).end();
      return;
    }
    let reply: Buffer;
    try {
      reply = this.#handle(decodeMessage(Buffer.concat(chunks)));
    } catch {
      reply = encodeMessage({ version: [2, 0], code: STATUS.clientErrorBadRequest, requestId: 0, groups: [operationGroup()], data: new Uint8Array(0) });
    }
    res.writeHead(200, { 'content-type': 'application/ipp', 'content-length': reply.length }).end(reply);
  }

  #handle(m: IppMessage): Buffer {
    const respond = (code: number, groups: { tag: number; attributes: IppAttribute[] }[] = [], message?: string): Buffer =>
      encodeMessage({
        version: [2, 0],
        code,
        requestId: m.requestId,
        groups: [operationGroup(...(message ? [attr.text('status-message', message)] : [])), ...groups],
        data: new Uint8Array(0),
      });
    const opName = Object.entries(OPERATION).find(([, v]) => v === m.code)?.[0] ?? `0x${m.code.toString(16)}`;
    this.operations.push(opName);
    if (this.operations.length > OPERATIONS_KEPT) this.operations.splice(0, this.operations.length - OPERATIONS_KEPT);
    if (m.version[0] !== 1 && m.version[0] !== 2) return respond(STATUS.serverErrorVersionNotSupported);
    const op = m.groups[0];
    if (!op || op.tag !== GROUP.operation || op.attributes[0]?.name !== 'attributes-charset' || op.attributes[1]?.name !== 'attributes-natural-language') {
      return respond(STATUS.clientErrorBadRequest, [], 'attributes-charset and attributes-natural-language must come first');
    }
    const jobGroup = (j: Job): { tag: number; attributes: IppAttribute[] } => ({
      tag: GROUP.job,
      attributes: [
        attr.uri('job-uri', `${this.uri}/${j.id}`),
        attr.integer('job-id', j.id),
        attr.enum('job-state', JOB_STATE_CODE[j.state]),
        attr.keyword('job-state-reasons', ...j.reasons),
        attr.name('job-name', j.name),
        attr.integer('job-impressions-completed', j.pagesPrinted),
      ],
    });
    switch (m.code) {
      case OPERATION['Print-Job']:
      case OPERATION['Validate-Job']: {
        const format = firstValue(m, GROUP.operation, 'document-format');
        if (format !== undefined && format !== 'application/pdf' && format !== 'application/octet-stream') {
          return respond(STATUS.clientErrorDocumentFormatNotSupported, [], `document-format ${String(format)} not supported`);
        }
        if (!this.#accepting || this.#offline) return respond(STATUS.serverErrorNotAcceptingJobs);
        if (m.code === OPERATION['Validate-Job']) return respond(STATUS.ok);
        const data = Buffer.from(m.data);
        if (data.length === 0) return respond(STATUS.clientErrorBadRequest, [], 'no document data');
        const name = firstValue(m, GROUP.operation, 'job-name');
        const user = firstValue(m, GROUP.operation, 'requesting-user-name');
        const job: Job = {
          id: this.#nextJobId++,
          name: typeof name === 'string' ? name : 'untitled',
          userName: typeof user === 'string' ? user : 'anonymous',
          format: typeof format === 'string' ? format : 'application/octet-stream',
          data,
          pages: countPdfPages(data),
          pagesPrinted: 0,
          state: 'pending',
          reasons: ['none'],
          createdAt: Date.now(),
          completedAt: null,
        };
        this.#jobs.push(job);
        this.#schedule();
        return respond(STATUS.ok, [jobGroup(job)]);
      }
      case OPERATION['Get-Job-Attributes']:
      case OPERATION['Cancel-Job']: {
        const id = numberValue(m, GROUP.operation, 'job-id');
        const j = this.#jobs.find((x) => x.id === id);
        if (!j) return respond(STATUS.clientErrorNotFound, [], `no job ${String(id)}`);
        if (m.code === OPERATION['Get-Job-Attributes']) return respond(STATUS.ok, [jobGroup(j)]);
        if (isTerminal(j.state)) return respond(STATUS.clientErrorNotPossible, [], `job ${j.id} is already ${j.state}`);
        this.#finish(j, 'canceled', 'job-canceled-by-user');
        this.#schedule();
        return respond(STATUS.ok);
      }
      case OPERATION['Get-Jobs']: {
        const which = stringValues(m, GROUP.operation, 'which-jobs')[0] ?? 'not-completed';
        const list = this.#jobs.filter((j) => (which === 'completed' ? isTerminal(j.state) : which === 'all' ? true : !isTerminal(j.state)));
        return respond(STATUS.ok, list.map(jobGroup));
      }
      case OPERATION['Get-Printer-Attributes']: {
        const state = this.#printerState();
        return respond(STATUS.ok, [
          {
            tag: GROUP.printer,
            attributes: [
              attr.uri('printer-uri-supported', this.uri),
              attr.name('printer-name', this.queueName),
              attr.text('printer-make-and-model', 'hall-kiosk IPP simulator (A4 laser)'),
              attr.enum('printer-state', state === 'idle' ? 3 : state === 'processing' ? 4 : 5),
              attr.keyword('printer-state-reasons', ...this.#reasons()),
              attr.boolean('printer-is-accepting-jobs', this.#accepting && !this.#offline),
              attr.mime('document-format-supported', 'application/pdf'),
              attr.keyword('ipp-versions-supported', '1.1', '2.0'),
              attr.enum('operations-supported', ...Object.values(OPERATION)),
              attr.integer('queued-job-count', this.#jobs.filter((j) => !isTerminal(j.state)).length),
              attr.keyword('media-default', 'iso_a4_210x297mm'),
            ],
          },
        ]);
      }
      default:
        return respond(STATUS.serverErrorOperationNotSupported);
    }
  }
}

function isTerminal(s: JobStateName): boolean {
  return s === 'completed' || s === 'aborted' || s === 'canceled';
}
