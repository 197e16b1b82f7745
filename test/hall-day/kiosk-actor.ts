import { request, type ClientRequest } from 'node:http';
import { SAMPLE_CARDS } from '../../drivers/idcard/sample-cards.ts';
import { signAppointmentCode } from '../../kiosk/scan/index.ts';
import type { DaemonProcess } from './daemon.ts';
import { errorCode, type Api, type Reply } from './http.ts';
import { Mutex, sleep, type Rng } from './util.ts';
import type { World } from './world.ts';

export const HMAC_KEY = 'dev-hmac-key-change-me-in-the-hall';
export const HALL_CODE = 'DEMO-HALL';

/** Sample cards used by citizens with an ID card (all valid today). */
export const CARD_FIXTURES = ['elder', 'adult', 'hkPermit', 'foreigner2023'] as const;
export type CardFixture = (typeof CARD_FIXTURES)[number];

export const SERVICE_MIX: readonly (readonly [string, number])[] = [
  ['general', 40],
  ['enrol', 15],
  ['reimburse', 20],
  ['remote', 15],
  ['employer', 10],
];

export interface BookedAppointment {
  readonly id: number;
  readonly fixture: CardFixture;
  readonly serviceCode: string;
  readonly day: string;
  used: boolean;
}

type Citizen = 'walk-in' | 'priority' | 'idcard' | 'voucher' | 'appointment-code' | 'appointment-card';

/**
 * The citizen UI's own event stream (`/api/v1/kiosk/events`): the actors learn what the scanner
 * read from it, exactly as the UI does. Reconnects after a daemon restart.
 */
export class KioskEvents {
  #world: World;
  #api: Api;
  #stopped = false;
  #req: ClientRequest | null = null;
  #loop: Promise<void> | null = null;
  #waiters = new Set<(type: string, data: any) => void>();

  /** `api`: the daemon whose citizen UI this stream belongs to (by default the world's). */
  constructor(world: World, api: Api = world.api) {
    this.#world = world;
    this.#api = api;
  }

  start(): void {
    this.#loop = (async () => {
      while (!this.#stopped) {
        await this.#connect();
        if (!this.#stopped) await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#req?.destroy();
    await this.#loop;
  }

  /** Resolves with the next event of `type` that satisfies `match`, or null after `ms`. */
  next(type: string, ms: number, match: (data: any) => boolean = () => true): Promise<any | null> {
    return new Promise((resolve) => {
      const fn = (t: string, data: any) => {
        if (t !== type || !match(data)) return;
        this.#waiters.delete(fn);
        clearTimeout(timer);
        resolve(data);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(fn);
        resolve(null);
      }, ms);
      this.#waiters.add(fn);
    });
  }

  #connect(): Promise<void> {
    return new Promise((resolve) => {
      const url = new URL('/api/v1/kiosk/events', this.#api.base);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false }, (res) => {
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!type || !data) continue;
            const parsed = JSON.parse(data);
            for (const w of [...this.#waiters]) w(type, parsed);
          }
        });
        res.on('end', resolve);
        res.on('close', resolve);
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      this.#req = req;
      req.end();
    });
  }
}

/**
 * One kiosk actor: citizens taking tickets over the citizen API the way the UI does it. Some put
 * their ID card on the reader (through the simulator) and get 绿色通道 by age; some declare a
 * priority reason; some scan a 医保电子凭证 (recognised, not yet verifiable: they take a walk-in
 * ticket); some check in for an appointment by scanning its code or with their ID card.
 */
export class KioskActor {
  readonly name: string;
  #world: World;
  #rng: Rng;
  #devices: Mutex;
  /** The daemon this kiosk runs on (on SQLite all kiosk actors share the one daemon). */
  #daemon: DaemonProcess;
  #events: KioskEvents;
  #appointments: BookedAppointment[];
  #n = 0;
  #seed: number;

  constructor(
    world: World,
    index: number,
    rng: Rng,
    seed: number,
    deps: { devices: Mutex; events: KioskEvents; appointments: BookedAppointment[]; daemon?: DaemonProcess },
  ) {
    this.name = `kiosk-${index}`;
    this.#world = world;
    this.#rng = rng;
    this.#seed = seed;
    this.#devices = deps.devices;
    this.#daemon = deps.daemon ?? world.daemon;
    this.#events = deps.events;
    this.#appointments = deps.appointments;
  }

  async run(): Promise<void> {
    const w = this.#world;
    w.register();
    try {
      while (w.issuing && w.issued < w.target) {
        await w.checkpoint();
        if (!w.issuing || w.issued >= w.target) break;
        await this.#citizen();
        await sleep(this.#rng.int(0, 4));
      }
    } finally {
      w.unregister();
    }
  }

  #requestId(): string {
    return `hd${this.#seed}-${this.name}-${++this.#n}`;
  }

  async #citizen(): Promise<unknown> {
    const r = this.#rng;
    const kind = r.weighted<Citizen>([
      ['walk-in', 70],
      ['priority', 7],
      ['idcard', 10],
      ['voucher', 5],
      ['appointment-code', 5],
      ['appointment-card', 3],
    ]);
    const service = r.weighted(SERVICE_MIX);
    switch (kind) {
      case 'walk-in':
        return this.#issue(service, 'walk-in', {});
      case 'priority': {
        const reason = service === 'employer' ? 'talent' : r.pick(['disabled', 'pregnant', 'talent'] as const);
        return this.#issue(service, `priority-${reason}`, { priorityReason: reason });
      }
      case 'idcard':
        return this.#withCard(r.pick(CARD_FIXTURES), 'idcard', async () => this.#issue(service, 'idcard', { useIdentity: true }, false));
      case 'voucher':
        return this.#voucher(service);
      case 'appointment-code':
        return this.#appointmentByCode();
      case 'appointment-card':
        return this.#appointmentByCard();
    }
  }

  /** POST /kiosk/tickets; retried with the same requestId after a connection loss. */
  async #issue(serviceCode: string, via: string, extra: { useIdentity?: boolean; priorityReason?: string }, retryOnDown = true): Promise<boolean> {
    const w = this.#world;
    const requestId = this.#requestId();
    const body = { serviceCode, useIdentity: extra.useIdentity ?? false, requestId, ...(extra.priorityReason ? { priorityReason: extra.priorityReason } : {}) };
    // `attempt` counts the daemon's answers (503) and restarts, not time; waiting for a lifted card
    // is bounded separately (below).
    const cardWaitStart = Date.now();
    for (let attempt = 0; attempt < 30; attempt++) {
      const res = await this.#daemon.api.post('/api/v1/kiosk/tickets', { body });
      if (res.down) {
        w.count('kiosk-retries-after-connection-loss');
        await w.waitDaemon(this.#daemon);
        // The card session lived in the killed process: an identity request cannot simply be replayed.
        if (!retryOnDown) return false;
        continue;
      }
      if (res.status === 503) {
        await sleep(50);
        continue;
      }
      if (res.status === 409 && errorCode(res) === 'IDCARD_REPLACE' && !extra.useIdentity) {
        // Three kiosk actors share one reader: the previous citizen's used card is still being
        // lifted (a real kiosk serves one person at a time; the screen asks to lift it).
        // The reader notices a lifted card at its next poll (pollIntervalMs 100 here): 30 s is
        // 300 polls, a property of the reader driver, not of how busy the machine is.
        w.count('kiosk-waited-card-lifted');
        if (Date.now() - cardWaitStart > 30_000) throw new Error(`${this.name}: the reader still reported the previous card after 30 s`);
        await sleep(100);
        attempt--;
        continue;
      }
      if (res.status !== 200) {
        if (res.status >= 500) w.anomaly(`issue ${serviceCode}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else w.count(`kiosk-refused-${errorCode(res) ?? res.status}`);
        return false;
      }
      this.#ack(res, via, requestId);
      return true;
    }
    throw new Error(`${this.name}: issuing did not succeed after 30 attempts`);
  }

  #ack(res: Reply, via: string, requestId: string | null): void {
    const b = res.body as { ticket: { id: number; displayNo: string; serviceCode: string }; existing: boolean; print: { ok: boolean; code?: string } };
    this.#world.count(`issued-via-${via}`);
    if (b.existing) this.#world.count('issued-existing-returned');
    if (!this.#world.issuedOn.has(b.ticket.id)) this.#world.issuedOn.set(b.ticket.id, this.#daemon);
    this.#world.ackTicket({
      ticketId: b.ticket.id,
      displayNo: b.ticket.displayNo,
      serviceCode: b.ticket.serviceCode,
      via,
      existing: b.existing,
      printOk: b.print.ok,
      printCode: b.print.ok ? null : (b.print.code ?? 'failed'),
      requestId,
      atMs: this.#world.elapsed(),
    });
    if (b.print.ok && this.#rng.chance(0.2)) void this.#daemon.api.post('/api/v1/dev/simulators/dispenser/actions/take-ticket');
  }

  /**
   * Put a card on the reader, wait until the UI's session shows it (masked), run `step`, then
   * clear the session and take the card away. A reader that is unplugged or does not read in
   * time sends the citizen to the walk-in path, as the screen would.
   */
  async #withCard(fixture: CardFixture, via: string, step: () => Promise<unknown>): Promise<void> {
    const w = this.#world;
    if (w.idcardUnplugged) {
      w.count('idcard-unavailable-walk-in');
      await this.#issue(this.#rng.weighted(SERVICE_MIX), `${via}-fallback-walk-in`, {});
      return;
    }
    let done = false;
    await this.#devices.run(async () => {
      for (let attempt = 0; attempt < 3 && !done; attempt++) {
        const inserted = await this.#daemon.api.post('/api/v1/dev/simulators/idcard/actions/insert-card', { body: { fixture } });
        if (inserted.down) {
          await w.waitDaemon(this.#daemon);
          continue;
        }
        const read = await this.#sessionShown(2_000);
        if (read) {
          const ok = await step();
          done = ok !== false;
        }
        // The citizen takes the card back, then the kiosk goes home (the step ended the identity).
        await this.#daemon.api.post('/api/v1/dev/simulators/idcard/actions/remove-card');
        await this.#daemon.api.call('DELETE', '/api/v1/kiosk/session');
        if (!read) break;
      }
    });
    if (!done) {
      w.count('idcard-not-read-walk-in');
      await this.#issue(this.#rng.weighted(SERVICE_MIX), `${via}-fallback-walk-in`, {});
    }
  }

  /**
   * A citizen's patience, not an invariant: a card not shown on screen within `ms` sends the
   * citizen to the walk-in path (counted as idcard-not-read-walk-in in the report), as the screen
   * would. No invariant depends on how many citizens used their card.
   */
  async #sessionShown(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const s = await this.#daemon.api.get('/api/v1/kiosk/session');
      if (s.down) return false;
      if (s.status === 200 && s.body?.identity) return true;
      await sleep(20);
    }
    return false;
  }

  /**
   * Scan through the scanner simulator; the UI learns the result from its event stream. The 3 s is
   * the citizen's patience, not an invariant: an unseen scan is counted (voucher-not-seen,
   * appointment-scan-not-seen) and the citizen goes on by the walk-in or typed-code path.
   */
  async #scan(text: string): Promise<any | null> {
    const seen = this.#events.next('scan', 3_000);
    const r = await this.#daemon.api.post('/api/v1/dev/simulators/scanner/actions/scan', { body: { text } });
    if (r.status !== 200) return null;
    return seen;
  }

  async #voucher(serviceCode: string): Promise<void> {
    const w = this.#world;
    if (!w.scannerUnplugged) {
      const payload = `CHSEV${this.#seed}X${this.name.replace('-', '')}N${this.#n}Q${Math.floor(this.#rng.next() * 1e9).toString(36)}ZZ`;
      const scan = await this.#devices.run(() => this.#scan(payload));
      if (scan?.kind === 'insurance-voucher') w.count('voucher-recognised');
      else w.count('voucher-not-seen');
    } else w.count('scanner-unavailable');
    await this.#issue(serviceCode, 'voucher-walk-in', {});
  }

  #takeAppointment(): BookedAppointment | null {
    const free = this.#appointments.filter((a) => !a.used);
    if (free.length === 0) return null;
    const a = free[this.#rng.int(0, free.length - 1)]!;
    a.used = true;
    return a;
  }

  async #appointmentByCode(): Promise<void> {
    const w = this.#world;
    const a = this.#takeAppointment();
    if (!a) return void (await this.#issue(this.#rng.weighted(SERVICE_MIX), 'walk-in', {}));
    if (w.scannerUnplugged) {
      w.count('scanner-unavailable-check-in-by-card');
      return this.#withCard(a.fixture, 'appointment-card', () => this.#checkIn({}));
    }
    const code = signAppointmentCode({ hallCode: HALL_CODE, day: a.day, appointmentId: String(a.id) }, HMAC_KEY);
    const scan = await this.#devices.run(() => this.#scan(code));
    if (scan?.kind !== 'appointment' || !scan.appointmentCode) {
      w.count('appointment-scan-not-seen');
      // The screen also accepts the code typed by staff through the keyboard-wedge route.
      const typed = await w.call(() => this.#daemon.api.post('/api/v1/kiosk/scan', { body: { text: code } }), 'kiosk/scan', 30, this.#daemon);
      if (typed.body?.kind !== 'appointment') {
        w.anomaly(`appointment code ${a.id} classified as ${typed.body?.kind}`);
        return;
      }
      await this.#checkIn({ code: typed.body.appointmentCode });
      return;
    }
    await this.#checkIn({ code: scan.appointmentCode });
  }

  async #appointmentByCard(): Promise<void> {
    const a = this.#takeAppointment();
    if (!a) return void (await this.#issue(this.#rng.weighted(SERVICE_MIX), 'walk-in', {}));
    await this.#withCard(a.fixture, 'appointment-card', () => this.#checkIn({}));
  }

  async #checkIn(body: { code?: string }): Promise<boolean> {
    const w = this.#world;
    const via = body.code ? 'appointment-code' : 'appointment-card';
    for (let attempt = 0; attempt < 30; attempt++) {
      const res = await this.#daemon.api.post('/api/v1/kiosk/appointments/check-in', { body });
      if (res.down) {
        await w.waitDaemon(this.#daemon);
        if (!body.code) return false; // the card session died with the process
        continue;
      }
      if (res.status === 503) {
        await sleep(50);
        continue;
      }
      if (res.status !== 200) {
        if (res.status >= 500) w.anomaly(`check-in: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else w.count(`check-in-refused-${errorCode(res) ?? res.status}`);
        return res.status === 404; // no booking left for this card: nothing to retry
      }
      this.#ack(res, via, null);
      return true;
    }
    return false;
  }
}

export function cardIdNumber(fixture: CardFixture): string {
  return SAMPLE_CARDS[fixture].idNumber;
}
