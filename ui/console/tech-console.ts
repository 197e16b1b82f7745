import { LitElement, html, nothing, type TemplateResult } from 'lit';
import {
  ApiError,
  ConsoleApi,
  DEVICE_KINDS,
  ROLE_LABELS,
  currentSession,
  login,
  logout,
  type AuditEntry,
  type ConsoleAlert,
  type ConsoleSession,
  type DeviceKind,
  type Devices,
  type Operations,
  type Simulator,
  type SimulatorAction,
  type TestResult,
} from './api.ts';
import { CARD_TYPES, DEVICE_LABELS, STATE_LABELS, actionLabel, actionParam, statusDetail, type ActionParam } from './labels.ts';
import { styles } from './styles.ts';
import './calendar-page.ts';
import './console-ops.ts';
import './devices-page.ts';
import './hall-page.ts';
import './queue-link.ts';
import './guides-page.ts';
import './config-import.ts';

const POLL_MS = 2000;

interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The technician console (技术人员维护台): login (the daemon's session cookie; a technician sees
 * devices, alerts and simulators, a hall-admin also the calendar and the audit trail), every device's status refreshed every
 * 2 s, 打印测试页 and 测试读卡, and — when the daemon runs simulated devices — the simulators'
 * actions and the simulated printer's last receipt, as an image and as text.
 */
export class TechConsole extends LitElement {
  static override styles = styles;
  static override properties = {
    loggedIn: { state: true },
    loginError: { state: true },
    loggingIn: { state: true },
    devices: { state: true },
    simulators: { state: true },
    connection: { state: true },
    updatedAt: { state: true },
    printResult: { state: true },
    readResult: { state: true },
    running: { state: true },
    actionResult: { state: true },
    receiptText: { state: true },
    receiptUrl: { state: true },
    params: { state: true },
    alerts: { state: true },
    audit: { state: true },
    operations: { state: true },
    devSecrets: { state: true },
    rollback: { state: true },
    configCheck: { state: true },
  };

  declare loggedIn: boolean;
  declare loginError: string;
  declare loggingIn: boolean;
  declare devices: Devices | null;
  /** null: the daemon has no simulators (or does not expose them). */
  declare simulators: Simulator[] | null;
  declare connection: string;
  declare updatedAt: Date | null;
  declare printResult: Outcome | null;
  declare readResult: Outcome | null;
  /** The button whose request is under way ('test-print', 'test-read', 'printer/paper-out' ...). */
  declare running: string | null;
  declare actionResult: Outcome | null;
  declare receiptText: string | null;
  declare receiptUrl: string | null;
  declare params: Record<string, string>;
  /** 工作人员提醒 (呼叫工作人员, print failures, paper, device faults, overdue 差评), refreshed with the devices. */
  declare alerts: readonly ConsoleAlert[];
  /** The latest console audit rows (hall-admin only; null for a technician). */
  declare audit: readonly AuditEntry[] | null;
  /** Secrets still at a published development value (hall-admin only). */
  declare devSecrets: readonly string[];
  /** Why the last change applied from the console did not start (it was rolled back). */
  declare rollback: string | null;
  /** The result of 检查配置修改: problems in Chinese, or the all-clear. */
  declare configCheck: { ok: boolean; lines: readonly string[] } | null;

  /** 运行状态, refreshed with every poll. */
  declare operations: Operations | null;

  #api: ConsoleApi | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #receiptKey = '';

  constructor() {
    super();
    this.loggedIn = false;
    this.loginError = '';
    this.loggingIn = false;
    this.params = {};
    this.alerts = [];
    this.audit = null;
    this.operations = null;
    this.devSecrets = [];
    this.rollback = null;
    this.configCheck = null;
    this.#clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A page reload keeps the session (the browser holds the cookie until logout, idle time or 12 h).
    void currentSession()
      .then((s) => (s ? this.#start(s) : undefined))
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopPolling();
    if (this.receiptUrl) URL.revokeObjectURL(this.receiptUrl);
  }

  #clear(): void {
    this.devices = null;
    this.simulators = null;
    this.connection = '';
    this.updatedAt = null;
    this.printResult = null;
    this.readResult = null;
    this.running = null;
    this.actionResult = null;
    this.receiptText = null;
    if (this.receiptUrl) URL.revokeObjectURL(this.receiptUrl);
    this.receiptUrl = null;
    this.#receiptKey = '';
    this.audit = null;
  }

  // ---- login ----------------------------------------------------------------------------------

  #submitLogin(ev: SubmitEvent): void {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const user = (form.elements.namedItem('user') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!user || !password) {
      this.loginError = '请输入用户名和密码';
      return;
    }
    void this.#login(user, password, form);
  }

  async #login(user: string, password: string, form: HTMLFormElement): Promise<void> {
    this.loggingIn = true;
    this.loginError = '';
    let session: ConsoleSession;
    try {
      session = await login(user, password);
    } catch (err) {
      this.loginError =
        err instanceof ApiError && err.status === 401
          ? '用户名或密码错误，请重新输入'
          : err instanceof Error
            ? err.message // 429: 身份认证失败次数过多，请稍后再试
            : '登录失败，请重试';
      (form.elements.namedItem('password') as HTMLInputElement).value = '';
      return;
    } finally {
      this.loggingIn = false;
    }
    await this.#start(session);
  }

  async #start(session: ConsoleSession): Promise<void> {
    const api = new ConsoleApi(session);
    try {
      this.devices = await api.devices();
    } catch (err) {
      this.loginError = err instanceof ApiError && err.status === 401 ? '登录已失效，请重新登录' : err instanceof Error ? err.message : '登录失败，请重试';
      return;
    }
    this.#api = api;
    this.loggedIn = true;
    if (session.role === 'hall-admin') {
      const view = await api.config().catch(() => null);
      this.devSecrets = view?.developmentSecrets ?? [];
      this.rollback = view?.lastRollback?.reason ?? null;
    }
    this.updatedAt = new Date();
    await this.#refreshSimulators();
    this.#schedule();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  #logout(message = '', server = false): void {
    if (server) void logout();
    this.#stopPolling();
    this.#api = null;
    this.loggedIn = false;
    this.loginError = message;
    this.#clear();
  }

  // ---- polling --------------------------------------------------------------------------------

  #schedule(): void {
    this.#stopPolling();
    this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
  }

  #stopPolling(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #poll(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      this.devices = await api.devices();
      this.alerts = await api.alerts();
      this.operations = await api.operations();
      this.audit = api.session.role === 'hall-admin' ? await api.audit() : null;
      await this.#refreshSimulators();
      this.connection = '';
      this.updatedAt = new Date();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.#logout('登录已失效，请重新登录');
        return;
      }
      this.connection = '与终端服务的连接中断，正在重试…（下方为最后一次获取的状态）';
    }
    if (this.#api === api) this.#schedule();
  }

  /** Simulator states; the receipt is fetched again whenever the simulated printer printed. */
  async #refreshSimulators(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      this.simulators = await api.simulators();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      if (err instanceof ApiError && err.status === 403) this.simulators = null;
      else throw err;
    }
    const printer = this.simulators?.find((s) => s.kind === 'printer');
    if (!printer) return;
    if (printer.state.receiptInProgress === true) return;
    const key = `${String(printer.state.receiptsPrinted)}/${String(printer.state.receipts)}`;
    if (key !== this.#receiptKey) {
      this.#receiptKey = key;
      await this.#loadReceipt();
    }
  }

  async #loadReceipt(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const [last, png] = await Promise.all([api.lastReceipt(), api.lastReceiptPng()]);
    if (this.receiptUrl) URL.revokeObjectURL(this.receiptUrl);
    this.receiptUrl = png ? URL.createObjectURL(png) : null;
    this.receiptText = last?.text ?? null;
  }

  // ---- actions --------------------------------------------------------------------------------

  async #run<T>(id: string, work: (api: ConsoleApi) => Promise<T>): Promise<T | null> {
    const api = this.#api;
    if (!api || this.running) return null;
    this.running = id;
    try {
      return await work(api);
    } finally {
      this.running = null;
    }
  }

  async #testPrint(): Promise<void> {
    try {
      const r = await this.#run('test-print', (api) => api.testPrint());
      if (!r) return;
      this.printResult = outcome(r, '测试页已打印', '打印失败');
      if (r.ok && this.simulators) await this.#loadReceipt().catch(() => undefined);
    } catch (err) {
      this.printResult = { ok: false, text: errorMessage(err) };
    }
    void this.#poll();
  }

  async #testRead(): Promise<void> {
    try {
      const r = await this.#run('test-read', (api) => api.testRead());
      if (!r) return;
      this.readResult = outcome(r, `读卡成功：${CARD_TYPES[r.cardType ?? ''] ?? r.cardType ?? '证件'}`, '读卡失败');
    } catch (err) {
      this.readResult = { ok: false, text: errorMessage(err) };
    }
  }

  async #act(kind: DeviceKind, action: SimulatorAction, param: ActionParam | null): Promise<void> {
    const args: Record<string, unknown> = {};
    if (param) {
      const raw = this.params[`${kind}/${action.name}`] ?? defaultValue(param);
      if (param.kind === 'count') {
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0) {
          this.actionResult = { ok: false, text: `${DEVICE_LABELS[kind]}：${param.label}须为不小于 0 的整数` };
          return;
        }
        args[param.name] = n;
      } else if (param.kind === 'flag') args[param.name] = raw === 'true';
      else args[param.name] = raw;
    }
    const label = `${DEVICE_LABELS[kind]}：${actionLabel(action)}`;
    try {
      const done = await this.#run(`${kind}/${action.name}`, (api) => api.act(kind, action.name, args));
      if (!done) return;
      this.actionResult = { ok: true, text: `已执行 ${label}` };
    } catch (err) {
      this.actionResult = { ok: false, text: `${label} 未执行：${errorMessage(err)}` };
    }
    // Show the effect now rather than at the next poll.
    void this.#poll();
  }

  // ---- render ---------------------------------------------------------------------------------

  override render(): TemplateResult {
    return this.loggedIn ? this.#console() : this.#loginForm();
  }

  #loginForm(): TemplateResult {
    return html`<form class="login" data-testid="login" @submit=${(e: SubmitEvent) => this.#submitLogin(e)}>
      <h1>技术人员维护台</h1>
      <p class="hint">请使用维护台账户登录（技术人员或大厅管理员）。　长时间不操作或关闭浏览器后需要重新登录。</p>
      <label>用户名<input name="user" autocomplete="username" required data-testid="user" /></label>
      <label>密码<input name="password" type="password" autocomplete="current-password" required data-testid="password" /></label>
      ${this.loginError ? html`<p class="error" role="alert" data-testid="login-error">${this.loginError}</p>` : nothing}
      <button class="primary" type="submit" data-testid="login-submit" ?disabled=${this.loggingIn}>${this.loggingIn ? '正在登录…' : '登录'}</button>
    </form>`;
  }

  #alertPanel(): TemplateResult {
    const alerts = this.alerts ?? [];
    return html`<section aria-labelledby="alerts-title" data-testid="alerts">
      <h2 id="alerts-title">工作人员提醒（今日）</h2>
      ${
        alerts.length
          ? html`<ul>${alerts.slice(0, 30).map(
              (a) => html`<li data-testid="alert" data-alert=${a.id}>【${a.kindName}】${a.message}
              ${
                a.acknowledged
                  ? html`<span class="hint">（已由${a.acknowledged.staffName ?? ''}${a.acknowledged.counterNo ? `·${a.acknowledged.counterNo}号窗口` : ''}确认）</span>`
                  : html`<button data-testid="ack" @click=${() => void this.#ackAlert(a.id)}>确认处理</button>`
              }
            </li>`,
            )}</ul>`
          : html`<p class="hint">暂无提醒</p>`
      }
    </section>`;
  }

  async #ackAlert(id: number): Promise<void> {
    try {
      await this.#api?.acknowledge(id);
    } catch {
      /* already acknowledged by a clerk: the next poll shows who */
    }
    if (this.#api) this.alerts = await this.#api.alerts().catch(() => this.alerts);
  }

  #console(): TemplateResult {
    const at = this.updatedAt;
    return html`<header>
        <h1 tabindex="-1">技术人员维护台</h1>
        <span class="updated" aria-live="off">${at ? `状态更新于 ${at.toLocaleTimeString('zh-CN', { hour12: false })}` : ''}</span>
        <span class="updated" data-testid="who">${this.#api ? `${this.#api.session.user}（${ROLE_LABELS[this.#api.session.role]}）` : ''}</span>
        <button data-testid="logout" @click=${() => this.#logout('', true)}>退出登录</button>
      </header>
      <div class="content">
        ${this.connection ? html`<p class="warn" role="alert" data-testid="connection">${this.connection}</p>` : nothing}
        ${this.#isAdmin() ? html`<calendar-banner .token=${this.#api?.session.user ?? ''}></calendar-banner>` : nothing}
        <section aria-labelledby="devices-title">
          <h2 id="devices-title">设备状态</h2>
          <div class="devices">${DEVICE_KINDS.map((k) => this.#device(k))}</div>
        </section>
        <console-devices .timeZone=${this.operations?.clock.timeZone ?? 'Asia/Shanghai'}></console-devices>
        ${this.#operationsPanel()}
        <console-ops .api=${this.#api} .timeZone=${this.operations?.clock.timeZone ?? 'Asia/Shanghai'}></console-ops>
        ${this.#alertPanel()}
        ${this.simulators ? this.#simulatorPanel(this.simulators) : nothing}
        ${
          this.#isAdmin()
            ? html`<hall-page></hall-page><queue-link></queue-link>${this.#configPanel()}<config-import></config-import><console-guides></console-guides><calendar-page .token=${this.#api?.session.user ?? ''}></calendar-page>${this.#auditPanel()}`
            : html`<section aria-labelledby="admin-only-title" data-testid="admin-only">
              <h2 id="admin-only-title">大厅管理功能</h2>
              <p class="hint">站点配置、数据库备份与恢复、工作日历、统计报表和审计记录需要大厅管理员账户；技术人员账户可以查看和测试设备、查看日志、记录更换纸卷和下载诊断包。</p>
            </section>`
        }
      </div>`;
  }

  #operationsPanel(): TemplateResult {
    const o = this.operations;
    const mb = (n: number | null) => (n === null ? '未知' : `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`);
    const since = (s: number) =>
      s < 3600
        ? `${Math.floor(s / 60)} 分钟`
        : s < 86_400
          ? `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分钟`
          : `${Math.floor(s / 86_400)} 天 ${Math.floor((s % 86_400) / 3600)} 小时`;
    return html`<section aria-labelledby="ops-title" data-testid="operations">
      <h2 id="ops-title">运行状态</h2>
      ${
        o
          ? html`<dl class="ops">
            <dt>程序版本</dt><dd data-testid="ops-version">${o.version}（数据库结构 ${o.databaseSchema}，Node.js ${o.node}）</dd>
            <dt>已运行</dt><dd>${since(o.uptimeSeconds)}</dd>
            <dt>终端时钟</dt><dd data-testid="ops-clock">${o.clock.local}（${o.clock.timeZone}），业务日 ${o.clock.businessDay} — 请与大厅时钟核对</dd>
            <dt>数据库</dt><dd>${mb(o.storage.databaseBytes)}（日志 ${mb(o.storage.walBytes)}）</dd>
            <dt>磁盘剩余</dt><dd>${mb(o.storage.diskFreeBytes)} / ${mb(o.storage.diskTotalBytes)}</dd>
            <dt>未打印的号票</dt><dd data-testid="ops-unprinted">${o.unprintedTickets} 张${o.unprintedTickets ? '（市民可在号票页面补打，或到窗口查询）' : ''}</dd>
            <dt>排队服务</dt><dd>${o.queue === 'local' ? '本机' : '大厅其他终端'}</dd>
          </dl>`
          : html`<p class="hint">正在读取…</p>`
      }
    </section>`;
  }

  #isAdmin(): boolean {
    return this.#api?.session.role === 'hall-admin';
  }

  #configPanel(): TemplateResult {
    const check = this.configCheck;
    return html`<section aria-labelledby="config-title" data-testid="config">
      <h2 id="config-title">站点配置</h2>
      ${
        this.devSecrets.length
          ? html`<p class="warn" role="alert" data-testid="dev-secrets">正在使用开发用密钥（${this.devSecrets.length} 项：${this.devSecrets.join('、')}）。正式上线前请运行 hall-kiosk secrets 替换。</p>`
          : nothing
      }
      ${
        this.rollback
          ? html`<p class="warn" role="alert" data-testid="config-rollback">上次应用的配置修改无法启动，已自动恢复上一版本。原因：${this.rollback}</p>`
          : nothing
      }
      <p><a href="/api/v1/console/config/export" download data-testid="config-export">导出站点配置（不含密钥）</a></p>
      <form @submit=${(e: SubmitEvent) => void this.#checkConfig(e, (e.submitter as HTMLButtonElement | null)?.value === 'apply')}>
        <label>配置修改（JSON，覆盖到当前配置上）<textarea name="patch" rows="4" data-testid="config-patch" placeholder='{"hall": {"name": "新的大厅名称"}}'></textarea></label>
        <button type="submit" value="check" data-testid="config-check">检查配置修改</button>
        <button type="submit" value="apply" data-testid="config-apply">应用修改并重启终端服务</button>
      </form>
      ${
        check
          ? html`<ul data-testid="config-result" class=${check.ok ? 'ok' : 'error'} role="status">${check.lines.map((l) => html`<li>${l}</li>`)}</ul>`
          : nothing
      }
    </section>`;
  }

  async #checkConfig(ev: SubmitEvent, apply: boolean): Promise<void> {
    ev.preventDefault();
    const text = ((ev.target as HTMLFormElement).elements.namedItem('patch') as HTMLTextAreaElement).value;
    let patch: unknown;
    try {
      patch = JSON.parse(text);
    } catch {
      this.configCheck = { ok: false, lines: ['不是有效的 JSON，请检查括号、引号和逗号'] };
      return;
    }
    try {
      if (apply && !window.confirm('应用这项修改并重启终端服务？重启期间（约半分钟）终端暂停服务。')) return;
      const r = apply ? await this.#api!.applyConfig(patch) : await this.#api!.checkConfig(patch);
      this.configCheck = !r.ok
        ? { ok: false, lines: r.problems.map((p) => p.message) }
        : apply
          ? { ok: true, lines: ['已写入站点配置，终端服务正在重启；请稍候刷新本页面（新配置无法启动时会自动恢复上一版本）'] }
          : { ok: true, lines: ['检查通过：这项修改符合启动时的配置校验'] };
    } catch (err) {
      this.configCheck = { ok: false, lines: [errorMessage(err)] };
    }
  }

  #auditPanel(): TemplateResult {
    const rows = this.audit ?? [];
    return html`<section aria-labelledby="audit-title" data-testid="audit">
      <h2 id="audit-title">审计记录（维护台的登录和每一项更改）</h2>
      ${
        rows.length
          ? html`<table>
            <thead><tr><th scope="col">时间</th><th scope="col">账户</th><th scope="col">操作</th><th scope="col">结果</th></tr></thead>
            <tbody>${rows.slice(0, 50).map(
              (
                e,
              ) => html`<tr data-testid="audit-row"><td>${new Date(e.at).toLocaleString('zh-CN', { hour12: false })}</td><td>${e.user}（${ROLE_LABELS[e.role as 'technician'] ?? e.role}）</td>
                <td>${auditLabel(e)}</td><td>${e.status < 400 ? '成功' : `被拒绝（${e.status}）`}</td></tr>`,
            )}</tbody>
          </table>`
          : html`<p class="hint">暂无记录</p>`
      }
    </section>`;
  }

  #device(kind: DeviceKind): TemplateResult {
    const status = this.devices?.[kind];
    const state = status?.state ?? 'unknown';
    const detail = status ? statusDetail(status) : '';
    return html`<article class="device" data-device=${kind} aria-labelledby=${`device-${kind}`}>
      <h3 id=${`device-${kind}`}>${DEVICE_LABELS[kind]}</h3>
      <span class="state ${state}" data-testid="state" data-state=${state}>${STATE_LABELS[state] ?? (status ? state : '未知')}</span>
      <p class="detail" data-testid="detail">${detail}</p>
      ${kind === 'printer' ? this.#testButton('test-print', '打印测试页', this.printResult, () => void this.#testPrint()) : nothing}
      ${kind === 'idcard' ? this.#testButton('test-read', '测试读卡', this.readResult, () => void this.#testRead()) : nothing}
    </article>`;
  }

  #testButton(id: string, label: string, result: Outcome | null, run: () => void): TemplateResult {
    return html`<button class="primary" data-testid=${id} ?disabled=${this.running !== null} @click=${run}>${this.running === id ? '正在执行…' : label}</button>
      <p role="status" data-testid=${`${id}-result`} class=${result ? (result.ok ? 'ok' : 'error') : ''}>${result?.text ?? ''}</p>`;
  }

  #simulatorPanel(sims: Simulator[]): TemplateResult {
    return html`<section aria-labelledby="sims-title" data-testid="simulators">
        <h2 id="sims-title">模拟设备</h2>
        <p class="hint">本机设备为模拟设备：以下按钮模拟市民和设备的动作（放卡、缺纸、拔线等），仅用于调试和演示。</p>
        <p role="status" data-testid="action-result" class=${this.actionResult ? (this.actionResult.ok ? 'ok' : 'error') : ''}>${this.actionResult?.text ?? ''}</p>
        <div class="sims">${sims.map((s) => this.#simulator(s))}</div>
      </section>
      ${this.#receipt()}`;
  }

  #simulator(sim: Simulator): TemplateResult {
    const plain = sim.actions.filter((a) => !actionParam(sim.kind, a));
    const withParams = sim.actions.filter((a) => actionParam(sim.kind, a));
    return html`<article class="sim" data-sim=${sim.kind} aria-labelledby=${`sim-${sim.kind}`}>
      <h3 id=${`sim-${sim.kind}`}>${DEVICE_LABELS[sim.kind] ?? sim.kind}（模拟）</h3>
      <p class="facts">${simulatorFacts(sim)}</p>
      ${withParams.map((a) => this.#paramAction(sim.kind, a, actionParam(sim.kind, a)!))}
      <div class="actions" role="group" aria-label=${`${DEVICE_LABELS[sim.kind] ?? sim.kind}模拟操作`}>
        ${plain.map((a) => this.#actionButton(sim.kind, a, null))}
      </div>
    </article>`;
  }

  #actionButton(kind: DeviceKind, action: SimulatorAction, param: ActionParam | null): TemplateResult {
    const id = `${kind}/${action.name}`;
    return html`<button data-action=${action.name} title=${action.description} ?disabled=${this.running !== null} @click=${() => void this.#act(kind, action, param)}>
      ${this.running === id ? '正在执行…' : actionLabel(action)}
    </button>`;
  }

  #paramAction(kind: DeviceKind, action: SimulatorAction, param: ActionParam): TemplateResult {
    const key = `${kind}/${action.name}`;
    const value = this.params[key] ?? defaultValue(param);
    const set = (v: string) => (this.params = { ...this.params, [key]: v });
    let control: TemplateResult;
    switch (param.kind) {
      case 'choice':
        control = html`<select data-param=${key} .value=${value} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
          ${param.options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
        </select>`;
        break;
      case 'flag':
        control = html`<select data-param=${key} .value=${value} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
          <option value="true" ?selected=${value === 'true'}>是</option>
          <option value="false" ?selected=${value === 'false'}>否</option>
        </select>`;
        break;
      case 'count':
        control = html`<input type="number" min="0" step="1" inputmode="numeric" data-param=${key} .value=${value} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;
        break;
      case 'text':
        control = html`<input type="text" data-param=${key} .value=${value} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;
        break;
    }
    return html`<div class="param"><label>${param.label}${control}</label>${this.#actionButton(kind, action, param)}</div>`;
  }

  #receipt(): TemplateResult {
    return html`<section aria-labelledby="receipt-title" data-testid="receipt">
      <h2 id="receipt-title">模拟打印机最后一张小票</h2>
      ${
        this.receiptText === null && !this.receiptUrl
          ? html`<p class="hint" data-testid="receipt-empty">模拟打印机还没有打印过。</p>`
          : html`<div class="receipt">
            ${this.receiptUrl ? html`<figure><img src=${this.receiptUrl} alt="最后一张小票的图像" data-testid="receipt-png" /></figure>` : nothing}
            <pre data-testid="receipt-text" aria-label="最后一张小票的文字">${this.receiptText ?? ''}</pre>
          </div>`
      }
    </section>`;
  }
}

const AUDIT_ACTIONS: Record<string, string> = {
  login: '登录',
  'login-failed': '登录失败',
  logout: '退出登录',
  download: '下载',
  'restore-applied': '已从备份恢复数据库',
  'restore-failed': '从备份恢复数据库失败',
};

/** Logins name themselves; downloads and restores also say what. */
function auditLabel(e: AuditEntry): string {
  const label = AUDIT_ACTIONS[e.action];
  if (!label) return e.target;
  return e.action.startsWith('log') ? label : `${label}：${e.target}`;
}

function outcome(r: TestResult, success: string, failure: string): Outcome {
  return r.ok ? { ok: true, text: success } : { ok: false, text: `${failure}：${r.message ?? r.code ?? '原因不明'}` };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : '操作失败，请重试';
}

function defaultValue(param: ActionParam): string {
  switch (param.kind) {
    case 'choice':
      return param.options[0]?.value ?? '';
    case 'flag':
      return 'true';
    case 'count':
      return '5';
    case 'text':
      return '';
  }
}

/** A few readable facts from a simulator's state (the fields differ per device). */
function simulatorFacts(sim: Simulator): string {
  const s = sim.state;
  const facts: string[] = [];
  if (s.plugged === false) facts.push('数据线已拔出');
  if ('card' in s) {
    const card = s.card as { fixture?: string } | null;
    facts.push(card ? `读卡区有证件（${card.fixture ?? '自定义'}）` : '读卡区无证件');
  }
  if (typeof s.paper === 'string')
    facts.push(`纸张：${({ ok: '正常', out: '缺纸', 'near-end': '将用尽', low: '将用尽' } as Record<string, string>)[s.paper] ?? s.paper}`);
  if (s.coverOpen === true) facts.push('机盖打开');
  if (s.offline === true) facts.push('离线');
  if (s.cutterError === true || s.jammed === true) facts.push(s.jammed === true ? '卡纸' : '切刀卡住');
  if (s.silent === true) facts.push('不应答');
  if (s.samFault === true) facts.push('安全模块故障');
  if (typeof s.receiptsPrinted === 'number') facts.push(`已打印 ${s.receiptsPrinted} 张`);
  if (typeof s.scansSent === 'number') facts.push(`已扫码 ${s.scansSent} 次`);
  if (s.ticket === 'at-mouth') facts.push('出票口有票据待取');
  return facts.join('　');
}

customElements.define('tech-console', TechConsole);

declare global {
  interface HTMLElementTagNameMap {
    'tech-console': TechConsole;
  }
}
