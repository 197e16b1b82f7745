/**
 * 运行维护 on the technician console: 纸张用量 with 纸卷已更换, the log tail filtered by level and
 * device, the diagnostics bundle (technician and hall-admin), and — hall-admin only — 数据库备份:
 * back up now, download, and restore with a confirmation step that says what will happen.
 * Times are the hall's (the daemon's time zone), not the browser's.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { Backups, ConsoleApi, Logs, Paper, RestoreCheck } from './api.ts';
import { hallDateTime } from '../hall-time.ts';
import { DEVICE_LABELS } from './labels.ts';
import { styles } from './styles.ts';

const POLL_MS = 3000;

const LEVELS: readonly { value: string; label: string }[] = [
  { value: '', label: '全部级别' },
  { value: 'info', label: '信息及以上' },
  { value: 'warn', label: '警告及以上' },
  { value: 'error', label: '仅错误' },
];
const LEVEL_LABELS: Record<string, string> = { trace: '跟踪', debug: '调试', info: '信息', warn: '警告', error: '错误', fatal: '严重' };
const DEVICE_NAMES: Record<string, string> = { ...DEVICE_LABELS, a4printer: 'A4 打印机', insurance: '参保信息接口' };

interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : '操作失败，请重试');
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

export class ConsoleOps extends LitElement {
  static override styles = [
    styles,
    css`
      :host { min-height: 0; display: flex; flex-direction: column; gap: 24px; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 10px; }
      table { border-collapse: collapse; width: 100%; font-size: 17px; background: #fff; }
      th, td { border: 1px solid #b8c4d2; padding: 4px 8px; text-align: left; vertical-align: top; }
      td.level-warn { color: #5a3a00; font-weight: bold; }
      td.level-error, td.level-fatal { color: #a61b1b; font-weight: bold; }
      .logs { max-height: 420px; overflow-y: auto; }
      .confirm { border: 3px solid #a61b1b; border-radius: 12px; padding: 16px; background: #fff; display: flex; flex-direction: column; gap: 12px; margin-top: 12px; }
      .confirm label { flex-direction: row; align-items: center; gap: 10px; }
      .confirm input[type='checkbox'] { width: 28px; height: 28px; min-height: 28px; }
      a.button { display: inline-block; font-size: 20px; padding: 10px 20px; border: 2px solid #0b4f9c; border-radius: 8px; color: #0b4f9c; text-decoration: none; }
    `,
  ];
  static override properties = {
    api: { attribute: false },
    timeZone: { attribute: false },
    paper: { state: true },
    logs: { state: true },
    level: { state: true },
    device: { state: true },
    backups: { state: true },
    confirm: { state: true },
    understood: { state: true },
    busy: { state: true },
    paperResult: { state: true },
    backupResult: { state: true },
  };

  declare api: ConsoleApi | null;
  /** The hall's time zone (运行状态), for the times shown. */
  declare timeZone: string;
  declare paper: Paper | null;
  declare logs: Logs | null;
  declare level: string;
  declare device: string;
  declare backups: Backups | null;
  /** The backup being restored, after its check, until confirmed or cancelled. */
  declare confirm: RestoreCheck | null;
  declare understood: boolean;
  declare busy: string | null;
  declare paperResult: Outcome | null;
  declare backupResult: Outcome | null;

  #timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.api = null;
    this.timeZone = 'Asia/Shanghai';
    this.paper = null;
    this.logs = null;
    this.level = 'warn';
    this.device = '';
    this.backups = null;
    this.confirm = null;
    this.understood = false;
    this.busy = null;
    this.paperResult = null;
    this.backupResult = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
    this.#timer = setInterval(() => void this.#refresh(), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #admin(): boolean {
    return this.api?.session.role === 'hall-admin';
  }

  async #refresh(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      this.paper = await api.paper();
      this.logs = await api.logs({ level: this.level, device: this.device });
      if (this.#admin()) this.backups = await api.backups();
    } catch {
      // The console's own poll reports a lost connection or an expired login.
    }
  }

  #time(ms: number): string {
    return hallDateTime(ms, this.timeZone);
  }

  async #run(id: string, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = id;
    try {
      await work();
    } finally {
      this.busy = null;
    }
  }

  // ---- paper ----------------------------------------------------------------------------------

  #rollChanged(): void {
    void this.#run('roll-changed', async () => {
      try {
        this.paper = await this.api!.rollChanged();
        this.paperResult = { ok: true, text: '已记录更换纸卷，纸张用量从零开始计算' };
      } catch (err) {
        this.paperResult = { ok: false, text: `未能记录更换纸卷：${errorText(err)}` };
      }
    });
  }

  #paperPanel(): TemplateResult {
    const p = this.paper;
    return html`<section aria-labelledby="paper-title" data-testid="paper">
      <h2 id="paper-title">纸张用量</h2>
      ${
        p
          ? html`<dl class="ops">
            <dt>本卷已打印</dt><dd data-testid="paper-used">${p.jobs} 张，${p.lines} 行，约 ${p.usedMetres.toFixed(2)} 米</dd>
            <dt>剩余纸量（估计）</dt>
            <dd data-testid="paper-left">${
              p.remainingMetres === null
                ? '未配置纸卷长度：在站点配置 devices.printer.rollLengthM 填写整卷长度（米），即可估计剩余纸量'
                : `约 ${p.remainingMetres.toFixed(1)} 米（${p.remainingPercent ?? 0}%，整卷 ${p.rollLengthMetres} 米）`
            }</dd>
            <dt>上次更换纸卷</dt><dd data-testid="paper-changed">${p.rollChangedAt === null ? '尚未记录' : `${this.#time(p.rollChangedAt)}（${p.rollChangedBy ?? ''}）`}</dd>
            <dt>累计</dt><dd>${p.totalJobs} 张，约 ${p.totalMetres.toFixed(1)} 米</dd>
          </dl>`
          : html`<p class="hint">正在读取…</p>`
      }
      <p class="hint">按打印机实际走纸估算（每行约 3.75 毫米），不同型号略有差异；缺纸以打印机的纸尽传感器为准。</p>
      <div class="row">
        <button data-testid="roll-changed" ?disabled=${this.busy !== null} @click=${() => this.#rollChanged()}>
          ${this.busy === 'roll-changed' ? '正在记录…' : '纸卷已更换'}
        </button>
      </div>
      <p role="status" data-testid="paper-result" class=${this.paperResult ? (this.paperResult.ok ? 'ok' : 'error') : ''}>${this.paperResult?.text ?? ''}</p>
    </section>`;
  }

  // ---- logs -----------------------------------------------------------------------------------

  #setFilter(level: string, device: string): void {
    this.level = level;
    this.device = device;
    void this.api
      ?.logs({ level, device })
      .then((l) => (this.logs = l))
      .catch(() => undefined);
  }

  #logPanel(): TemplateResult {
    const l = this.logs;
    const devices = [...new Set([...Object.keys(DEVICE_LABELS), ...(l?.devices ?? [])])];
    const records = [...(l?.records ?? [])].reverse();
    return html`<section aria-labelledby="logs-title" data-testid="logs">
      <h2 id="logs-title">运行日志（最近 ${l?.capacity ?? 500} 条，不含个人信息）</h2>
      <div class="row">
        <label>级别
          <select data-testid="log-level" .value=${this.level} @change=${(e: Event) => this.#setFilter((e.target as HTMLSelectElement).value, this.device)}>
            ${LEVELS.map((o) => html`<option value=${o.value} ?selected=${o.value === this.level}>${o.label}</option>`)}
          </select>
        </label>
        <label>设备
          <select data-testid="log-device" .value=${this.device} @change=${(e: Event) => this.#setFilter(this.level, (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this.device === ''}>全部</option>
            ${devices.map((d) => html`<option value=${d} ?selected=${d === this.device}>${DEVICE_NAMES[d] ?? d}</option>`)}
          </select>
        </label>
      </div>
      ${
        l && !l.available
          ? html`<p class="hint">本机终端服务未保留日志，请用 journalctl -u hall-kiosk 查看。</p>`
          : records.length
            ? html`<div class="logs" tabindex="0" role="region" aria-label="运行日志记录"><table>
              <thead><tr><th scope="col">时间</th><th scope="col">级别</th><th scope="col">设备</th><th scope="col">内容</th></tr></thead>
              <tbody>${records.map(
                (r) => html`<tr data-testid="log-row" data-level=${r.level} data-log-device=${r.device ?? ''}>
                  <td>${this.#time(r.time)}</td>
                  <td class=${`level-${r.level}`}>${LEVEL_LABELS[r.level] ?? r.level}</td>
                  <td>${r.device ? (DEVICE_NAMES[r.device] ?? r.device) : r.part === 'http' ? '接口' : '终端服务'}</td>
                  <td>${r.msg}${
                    Object.keys(r.details).length
                      ? html` <span class="hint">${Object.entries(r.details)
                          .map(([k, v]) => `${k}=${String(v)}`)
                          .join('　')}</span>`
                      : nothing
                  }</td>
                </tr>`,
              )}</tbody>
            </table></div>`
            : html`<p class="hint" data-testid="logs-empty">没有符合条件的日志</p>`
      }
    </section>`;
  }

  // ---- diagnostics ----------------------------------------------------------------------------

  #diagnosticsPanel(): TemplateResult {
    return html`<section aria-labelledby="diag-title" data-testid="diagnostics">
      <h2 id="diag-title">诊断包</h2>
      <p class="hint">
        供厂家技术支持分析问题：包含不含密钥的站点配置、程序与系统版本、设备状态、纸张用量、运行状态和最近的警告日志；不含号票、评价和任何个人信息。下载会记入审计记录。
      </p>
      <p><a class="button" href="/api/v1/console/diagnostics" download data-testid="diagnostics-download">下载诊断包（JSON）</a></p>
    </section>`;
  }

  // ---- backups --------------------------------------------------------------------------------

  #backupNow(): void {
    void this.#run('backup-now', async () => {
      try {
        const { backup } = await this.api!.backupNow();
        this.backupResult = { ok: true, text: `已备份：${backup.name}（${mb(backup.bytes)}，完整性检查通过）` };
        this.backups = await this.api!.backups();
      } catch (err) {
        this.backupResult = { ok: false, text: `备份未完成：${errorText(err)}` };
      }
    });
  }

  #startRestore(name: string): void {
    void this.#run(`check/${name}`, async () => {
      try {
        this.confirm = await this.api!.checkRestore(name);
        this.understood = false;
        this.backupResult = null;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[data-testid="restore-confirm"] h3')?.focus();
      } catch (err) {
        this.backupResult = { ok: false, text: `不能用这份备份恢复：${errorText(err)}` };
      }
    });
  }

  #confirmRestore(): void {
    const c = this.confirm;
    if (!c || !this.understood) return;
    void this.#run('restore', async () => {
      try {
        const r = await this.api!.restore(c.name, c.digest);
        this.confirm = null;
        this.backupResult = {
          ok: true,
          text: r.restarting
            ? `已安排恢复 ${r.backup}：终端服务正在重启，重启时替换数据库；请约半分钟后刷新本页面并重新登录`
            : `已安排恢复 ${r.backup}：请重启 hall-kiosk 服务，重启时替换数据库`,
        };
      } catch (err) {
        this.backupResult = { ok: false, text: `恢复未执行：${errorText(err)}` };
      }
    });
  }

  #backupPanel(): TemplateResult {
    const b = this.backups;
    const c = this.confirm;
    return html`<section aria-labelledby="backups-title" data-testid="backups">
      <h2 id="backups-title">数据库备份与恢复（仅大厅管理员）</h2>
      <p class="hint">备份在服务运行中进行，不影响取号；备份文件含身份标识哈希和加密的联系电话，下载和恢复都会记入审计记录，请妥善保管。每晚 02:30 另有自动备份。</p>
      ${
        b?.lastRestore
          ? html`<p class=${b.lastRestore.ok ? 'ok' : 'error'} data-testid="last-restore">${
              b.lastRestore.ok
                ? `上次恢复：${this.#time(b.lastRestore.at)} 由 ${b.lastRestore.user} 从 ${b.lastRestore.backup} 恢复成功（原数据库另存为 ${b.lastRestore.previous ?? '—'}）`
                : `上次恢复失败（${this.#time(b.lastRestore.at)}，${b.lastRestore.backup}），继续使用原数据库。原因：${b.lastRestore.reason ?? '未知'}`
            }</p>`
          : nothing
      }
      ${b?.pendingRestore ? html`<p class="warn" data-testid="pending-restore">已安排恢复 ${b.pendingRestore.backup}，将在终端服务下次启动时进行。</p>` : nothing}
      <div class="row">
        <button class="primary" data-testid="backup-now" ?disabled=${this.busy !== null || b?.available === false} @click=${() => this.#backupNow()}>
          ${this.busy === 'backup-now' ? '正在备份…' : '立即备份'}
        </button>
      </div>
      <p role="status" data-testid="backup-result" class=${this.backupResult ? (this.backupResult.ok ? 'ok' : 'error') : ''}>${this.backupResult?.text ?? ''}</p>
      ${
        b?.backups.length
          ? html`<table>
            <thead><tr><th scope="col">备份时间</th><th scope="col">文件</th><th scope="col">大小</th><th scope="col">操作</th></tr></thead>
            <tbody>${b.backups.slice(0, 30).map(
              (x) => html`<tr data-testid="backup-row" data-backup=${x.name}>
                <td>${this.#time(x.takenAt)}</td><td>${x.name}</td><td>${mb(x.bytes)}</td>
                <td>
                  <a class="button" href=${`/api/v1/console/backups/${encodeURIComponent(x.name)}/download`} download data-testid="backup-download">下载</a>
                  <button data-testid="restore" ?disabled=${this.busy !== null} @click=${() => this.#startRestore(x.name)}>恢复…</button>
                </td>
              </tr>`,
            )}</tbody>
          </table>`
          : html`<p class="hint">${b?.available === false ? '本机数据库在内存中（测试模式），没有可备份的文件' : '还没有备份'}</p>`
      }
      ${c ? this.#confirmPanel(c, b?.restarts ?? false) : nothing}
    </section>`;
  }

  #confirmPanel(c: RestoreCheck, restarts: boolean): TemplateResult {
    return html`<div class="confirm" role="alertdialog" aria-labelledby="restore-title" data-testid="restore-confirm">
      <h3 id="restore-title" tabindex="-1">确认用备份恢复数据库</h3>
      <p>备份：${c.name}（${this.#time(c.takenAt)}，${mb(c.bytes)}），完整性检查通过。</p>
      <ul>
        <li>${restarts ? '确认后终端服务平滑重启，期间（约半分钟）暂停取号和叫号；' : '确认后需要手动重启 hall-kiosk 服务；'}重启时，在打开数据库之前用这份备份替换当前数据库。</li>
        <li><strong>备份时间之后的号票、预约、评价和审计记录不会出现在恢复后的数据库中。</strong></li>
        <li>当前数据库另存为 kiosk.db.before-restore-〈时间〉，恢复错了也能找回。</li>
      </ul>
      <label><input type="checkbox" data-testid="restore-understood" .checked=${this.understood} @change=${(e: Event) => (this.understood = (e.target as HTMLInputElement).checked)} />我已了解，确认恢复这份备份</label>
      <div class="row">
        <button class="primary" data-testid="restore-confirm-button" ?disabled=${!this.understood || this.busy !== null} @click=${() => this.#confirmRestore()}>
          ${this.busy === 'restore' ? '正在安排恢复…' : '确认恢复并重启终端服务'}
        </button>
        <button data-testid="restore-cancel" @click=${() => (this.confirm = null)}>取消</button>
      </div>
    </div>`;
  }

  override render(): TemplateResult {
    return html`${this.#paperPanel()}${this.#logPanel()}${this.#diagnosticsPanel()}${this.#admin() ? this.#backupPanel() : nothing}`;
  }
}

customElements.define('console-ops', ConsoleOps);

declare global {
  interface HTMLElementTagNameMap {
    'console-ops': ConsoleOps;
  }
}
