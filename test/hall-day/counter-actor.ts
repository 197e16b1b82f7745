import { SAMPLE_CARDS } from '../../drivers/idcard/sample-cards.ts';
import { errorCode, type Reply } from './http.ts';
import { sleep, type Rng } from './util.ts';
import type { DaemonProcess } from './daemon.ts';
import type { World } from './world.ts';

/** A mobile number the counters' citizens type into 差评 comments (must never be stored in clear). */
export const FREE_TEXT_PHONE = '13912345678';

export interface CounterSpec {
  readonly number: number;
  readonly name: string;
  readonly services: readonly string[];
  readonly token: string;
}

const LEVELS: readonly (readonly [string, number])[] = [
  ['非常满意', 50],
  ['满意', 28],
  ['基本满意', 10],
  ['不满意', 8],
  ['非常不满意', 4],
];
const BAD_REASONS = ['guide', 'procedure', 'materials', 'attitude', 'waiting'] as const;

/** Average service minutes per service (as config/defaults.json seeds the wait estimate). */
const SERVICE_MINUTES: Record<string, number> = { general: 6, enrol: 8, reimburse: 12, remote: 7, employer: 15 };

/**
 * A counter (窗口) as its terminal drives it: open, call the next ticket, sometimes recall, 过号,
 * transfer, 挂起 or pause, otherwise serve (a short seeded sleep) and complete; the citizen then
 * evaluates on the counter's evaluator, including 差评 with reasons. After any surprise (the
 * daemon was killed mid-request, a 409) it re-reads its own state from the status snapshot, as a
 * counter terminal does after a reconnect.
 */
export class CounterActor {
  readonly spec: CounterSpec;
  #world: World;
  /** The daemon this counter's workstation talks to (on SQLite the only one). */
  #daemon: DaemonProcess;
  #rng: Rng;
  #all: readonly CounterSpec[];
  #current: { id: number; status: string; serviceCode: string } | null = null;
  #suspended: { id: number; dueAt: number }[] = [];
  #requeue: { id: number; dueAt: number }[] = [];
  #seed: number;

  constructor(world: World, spec: CounterSpec, all: readonly CounterSpec[], rng: Rng, seed: number, daemon: DaemonProcess = world.daemon) {
    this.spec = spec;
    this.#world = world;
    this.#daemon = daemon;
    this.#all = all;
    this.#rng = rng;
    this.#seed = seed;
  }

  #post(action: string, body?: unknown): Promise<Reply> {
    return this.#world.call(
      () => this.#daemon.api.post(`/api/v1/counters/${this.spec.number}/${action}`, { token: this.spec.token, body: body ?? {} }),
      `counter ${this.spec.number} ${action}`,
      30,
      this.#daemon,
    );
  }

  async run(): Promise<void> {
    const w = this.#world;
    w.register();
    try {
      if (w.evaluationsEnabled) {
        const staffId = `S${String(this.spec.number).padStart(3, '0')}`;
        await w.call(() => this.#daemon.api.post('/api/v1/evaluator/staff', { token: this.spec.token, body: { staffId } }), 'staff sign-in', 30, this.#daemon);
      }
      await this.#resync();
      for (;;) {
        await w.checkpoint();
        // Closing ends when the hall is clear; it gives up only when no counter has finished a
        // ticket for a while (World.stallMs), reported once with what still waits.
        if (w.closingStalled()) {
          await w.reportStall();
          break;
        }
        if (w.closing && this.#suspended.length === 0 && this.#requeue.length === 0 && this.#current === null && (await this.#hallClear())) break;
        await this.#step();
      }
      await this.#resync();
      const r = await this.#post('close');
      if (r.status !== 200 && errorCode(r) !== 'QUEUE_ILLEGAL_TRANSITION') w.anomaly(`counter ${this.spec.number} close: ${r.status}`);
      w.count('counter-close');
    } finally {
      w.unregister();
    }
  }

  /** Closing: nothing waiting, suspended or in service anywhere in the hall. */
  async #hallClear(): Promise<boolean> {
    const w = this.#world;
    const s = await w.call(() => this.#daemon.api.get('/api/v1/queue/status', { token: this.spec.token }), 'status', 30, this.#daemon);
    if (s.status !== 200) return false;
    if (s.body.totals.waiting === 0 && s.body.totals.inService === 0) return true;
    await sleep(20);
    return false;
  }

  /** Re-read this counter's state and current ticket; open it if closed, resume it if paused. */
  async #resync(): Promise<void> {
    const w = this.#world;
    const s = await w.call(() => this.#daemon.api.get('/api/v1/queue/status', { token: this.spec.token }), 'status', 30, this.#daemon);
    const me = (s.body.counters as { number: number; state: string; current: { ticketId: number; status: string; serviceCode: string } | null }[]).find(
      (c) => c.number === this.spec.number,
    );
    if (!me) throw new Error(`counter ${this.spec.number} missing from the status`);
    this.#current =
      me.current && ['called', 'recalled', 'serving'].includes(me.current.status)
        ? { id: me.current.ticketId, status: me.current.status, serviceCode: me.current.serviceCode }
        : null;
    if (me.state === 'closed') {
      const r = await this.#post('open');
      if (r.status === 200) w.count('counter-open');
    } else if (me.state === 'paused') {
      await this.#post('resume');
    }
  }

  async #step(): Promise<void> {
    const w = this.#world;
    const now = Date.now();
    const dueSuspended = this.#suspended.findIndex((s) => s.dueAt <= now || w.closing);
    if (dueSuspended >= 0) {
      const [s] = this.#suspended.splice(dueSuspended, 1);
      const r = await w.call(() => this.#daemon.api.post(`/api/v1/tickets/${s!.id}/resume`, { token: this.spec.token }), 'resume suspended', 30, this.#daemon);
      if (r.status === 200) w.count('op-resume-suspended');
      else w.count(`op-resume-refused-${errorCode(r)}`);
      return;
    }
    const dueRequeue = this.#requeue.findIndex((s) => s.dueAt <= now || w.closing);
    if (dueRequeue >= 0) {
      const [s] = this.#requeue.splice(dueRequeue, 1);
      const r = await w.call(() => this.#daemon.api.post(`/api/v1/tickets/${s!.id}/requeue`, { token: this.spec.token }), 'requeue', 30, this.#daemon);
      if (r.status === 200) w.count('op-requeue');
      else w.count(`op-requeue-refused-${errorCode(r)}`);
      return;
    }
    if (!this.#current) {
      const r = await this.#post('call-next');
      if (r.status === 200) {
        w.count('op-call');
        this.#current = { id: r.body.ticket.id, status: 'called', serviceCode: r.body.ticket.serviceCode };
      } else if (errorCode(r) === 'QUEUE_NOTHING_WAITING') {
        w.count('op-call-nothing-waiting');
        await sleep(this.#rng.int(5, 25));
        return;
      } else {
        w.count(`op-call-refused-${errorCode(r)}`);
        await this.#resync();
        return;
      }
    }
    await this.#serve();
  }

  async #serve(): Promise<void> {
    const w = this.#world;
    const r = this.#rng;
    const t = this.#current!;
    if (t.status === 'called' || t.status === 'recalled') {
      if (r.chance(0.1)) {
        const rc = await this.#post('recall');
        if (rc.status === 200) {
          w.count('op-recall');
          t.status = 'recalled';
        }
      }
      if (r.chance(0.04)) {
        const ns = await this.#post('no-show');
        if (ns.status === 200) {
          w.count('op-no-show');
          w.counterFinished();
          if (r.chance(0.5)) this.#requeue.push({ id: t.id, dueAt: Date.now() + r.int(3, 10) * w.minuteMs });
          this.#current = null;
        } else await this.#resync();
        return;
      }
      const st = await this.#post('start');
      if (st.status !== 200) {
        w.count(`op-start-refused-${errorCode(st)}`);
        await this.#resync();
        return;
      }
      t.status = 'serving';
    }
    // Seeded service time: 0.4-1.6 × the service's average, one "minute" lasting world.minuteMs.
    await sleep(Math.round((SERVICE_MINUTES[t.serviceCode] ?? 6) * (0.4 + 1.2 * r.next()) * w.minuteMs));
    if (r.chance(0.02)) {
      // 挂起: the citizen goes to fetch a document and comes back to this counter.
      const su = await this.#post('suspend');
      if (su.status === 200) {
        w.count('op-suspend');
        this.#suspended.push({ id: t.id, dueAt: Date.now() + r.int(5, 15) * w.minuteMs });
        this.#current = null;
      } else await this.#resync();
      return;
    }
    if (r.chance(0.03)) {
      const body = this.#transferTarget(t.serviceCode);
      const tr = await this.#post('transfer', body);
      if (tr.status === 200) {
        w.count(body.counterNo ? 'op-transfer-to-counter' : 'op-transfer-to-service');
        w.counterFinished();
        this.#current = null;
      } else {
        w.count(`op-transfer-refused-${errorCode(tr)}`);
        await this.#resync();
      }
      return;
    }
    const done = await this.#post('complete');
    if (done.status !== 200) {
      w.count(`op-complete-refused-${errorCode(done)}`);
      await this.#resync();
      return;
    }
    w.count('op-complete');
    w.counterFinished();
    this.#current = null;
    if (w.evaluationsEnabled && r.chance(0.6)) await this.#evaluate(t.id);
    if (!w.closing && r.chance(0.015)) {
      const p = await this.#post('pause');
      if (p.status === 200) {
        w.count('op-pause');
        await sleep(r.int(2, 10) * w.minuteMs);
        const rs = await this.#post('resume');
        if (rs.status !== 200) await this.#resync();
      } else await this.#resync();
    }
  }

  #transferTarget(serviceCode: string): { serviceCode?: string; counterNo?: number } {
    const r = this.#rng;
    const others = this.#all.filter((c) => c.number !== this.spec.number && c.services.includes(serviceCode));
    if (others.length > 0 && r.chance(0.5)) return { counterNo: r.pick(others).number };
    const services = [...new Set(this.#all.flatMap((c) => c.services))].filter((s) => s !== serviceCode);
    return { serviceCode: r.pick(services) };
  }

  async #evaluate(ticketId: number): Promise<void> {
    const w = this.#world;
    const r = this.#rng;
    const level = r.weighted(LEVELS);
    const bad = level === '不满意' || level === '非常不满意';
    const reasons = bad ? [...new Set([r.pick(BAD_REASONS), r.pick(BAD_REASONS)])] : [];
    const withText = bad && r.chance(0.3);
    const body = {
      ticketId,
      level,
      ...(bad ? { reasons: withText ? [...reasons, 'other'] : reasons } : {}),
      // Free text carrying a sample ID number and a mobile number: stored masked (invariant 8 greps for both).
      ...(withText ? { text: `等候时间较长，希望增加窗口。我的身份证 ${SAMPLE_CARDS.adult.idNumber}，电话 ${FREE_TEXT_PHONE}` } : {}),
      requestId: `hd${this.#seed}-ev-${this.spec.number}-${ticketId}`,
    };
    const res = await w.call(() => this.#daemon.api.post('/api/v1/evaluator/evaluations', { token: this.spec.token, body }), 'evaluation', 30, this.#daemon);
    if (res.status !== 200) {
      w.anomaly(`evaluation of ticket ${ticketId} at counter ${this.spec.number}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      return;
    }
    const e = res.body.evaluation as { id: number; uid: string; level: string; bad: boolean };
    w.evaluations.push({
      evaluationId: e.id,
      uid: e.uid,
      ticketId,
      level: e.level,
      bad: e.bad,
      caseId: res.body.case?.id ?? null,
      counterNo: this.spec.number,
    });
    w.count(bad ? 'evaluations-bad' : 'evaluations-good');
  }
}
