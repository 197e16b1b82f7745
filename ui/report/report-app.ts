import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, call } from '../api.ts';
import { currentSession, login, ROLE_LABELS, type ConsoleSession } from '../console/api.ts';

interface Row {
  key: string;
  name: string;
  [k: string]: string | number | null;
}
interface Report {
  hall: string;
  period: string;
  from: string;
  to: string;
  counters: Row[];
  staff: Row[];
  services: Row[];
}
interface ScoreRow {
  key: string;
  label: string;
  evaluations: number;
  bad: number;
  score: number;
}

const COLUMNS: [string, string][] = [
  ['called', '叫号'],
  ['recalled', '重呼'],
  ['noShow', '过号'],
  ['transferredIn', '转入'],
  ['transferredOut', '转出'],
  ['suspended', '挂起'],
  ['completed', '办结'],
  ['waitMedianMinutes', '等候中位'],
  ['waitP90Minutes', '等候P90'],
  ['serviceMedianMinutes', '办理中位'],
  ['serviceP90Minutes', '办理P90'],
  ['idleMinutes', '空闲'],
  ['pausedMinutes', '暂停'],
];

/**
 * The hall manager's report (/report.html): per window, staff member and service, for a day or a
 * month, computed from the event log; the month's 好差评 window score next to it; CSV download and
 * a print layout. The console's login (session cookie); a hall-admin account only.
 */
export class ReportApp extends LitElement {
  static override styles = css`
    :host { display: block; padding: 16px 24px; font-size: 15px; color: #111; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 20px; }
    th, td { border: 1px solid #c5ced6; padding: 3px 6px; text-align: right; }
    th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
    .controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    input, button { font: inherit; padding: 6px 10px; }
    .error { color: #b42318; }
    @media print { .controls, .login { display: none; } :host { padding: 0; font-size: 11px; } }
  `;
  static override properties = {
    session: { state: true },
    checked: { state: true },
    period: { state: true },
    report: { state: true },
    scores: { state: true },
    error: { state: true },
  };
  declare session: ConsoleSession | null;
  /** Whether the session was asked for (the login form waits for the answer). */
  declare checked: boolean;
  declare period: string;
  declare report: Report | null;
  declare scores: ScoreRow[] | null;
  declare error: string;

  constructor() {
    super();
    this.session = null;
    this.checked = false;
    this.period = new URLSearchParams(location.search).get('period') ?? '';
    this.report = null;
    this.scores = null;
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSession()
      .then((s) => {
        this.session = s;
        if (s) void this.#load();
      })
      .catch((err: unknown) => (this.error = err instanceof Error ? err.message : '加载失败'))
      .finally(() => (this.checked = true));
  }

  async #login(): Promise<void> {
    const user = (this.renderRoot.querySelector('[data-testid=user]') as HTMLInputElement).value.trim();
    const pass = (this.renderRoot.querySelector('[data-testid=password]') as HTMLInputElement).value;
    try {
      this.session = await login(user, pass);
      this.error = '';
      await this.#load();
    } catch (err) {
      this.error = err instanceof ApiError && err.status === 401 ? '用户名或密码错误' : err instanceof Error ? err.message : '登录失败';
    }
  }

  async #load(): Promise<void> {
    try {
      const q = this.period ? `?period=${encodeURIComponent(this.period)}` : '';
      this.report = await call<Report>('GET', `/reports/queue${q}`, undefined, { base: '/api/v1', technical: true });
      this.period = this.report.period;
      const month = this.report.period.slice(0, 7);
      this.scores = (
        await call<{ rows: ScoreRow[] }>('GET', `/evaluations/stats?period=${month}&by=counter`, undefined, { base: '/api/v1' }).catch(() => ({ rows: [] }))
      ).rows;
      this.error = '';
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.session = null;
      this.error =
        err instanceof ApiError && err.status === 401
          ? '登录已失效，请重新登录'
          : err instanceof ApiError && err.status === 403
            ? '无权查看统计报表：需要大厅管理员账户'
            : err instanceof Error
              ? err.message
              : '加载失败';
    }
  }

  async #csv(): Promise<void> {
    const blob = await call<Blob>('GET', `/reports/queue.csv?period=${encodeURIComponent(this.period)}`, undefined, { base: '/api/v1', blob: true });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `queue-report-${this.period}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  override render(): TemplateResult {
    if (!this.session) {
      if (!this.checked) return html`<p>正在加载…</p>`;
      return html`<div class="login"><h1>大厅统计报表</h1>
        <label>用户名 <input data-testid="user" autocomplete="username" /></label> <label>密码 <input type="password" data-testid="password" autocomplete="current-password" /></label>
        <button data-testid="login" @click=${() => void this.#login()}>登录</button><p class="error" role="alert" data-testid="error">${this.error}</p></div>`;
    }
    if (this.session.role !== 'hall-admin') {
      // The daemon refuses the report routes to a technician (403); the page says so without asking.
      return html`<h1>大厅统计报表</h1><p class="error" role="alert" data-testid="forbidden">
        无权查看统计报表：需要大厅管理员账户（当前登录：${this.session.user}，${ROLE_LABELS[this.session.role]}）</p>`;
    }
    const r = this.report;
    return html`
      <div class="controls">
        <label>日期或月份 <input data-testid="period" placeholder="2026-11 或 2026-11-23" .value=${this.period} @change=${(e: Event) => (this.period = (e.target as HTMLInputElement).value.trim())} /></label>
        <button @click=${() => void this.#load()}>查询</button>
        <button data-testid="csv" ?disabled=${!r} @click=${() => void this.#csv()}>下载 CSV</button>
        <button @click=${() => window.print()}>打印</button>
        <span class="error">${this.error}</span>
      </div>
      ${
        r
          ? html`<h1 data-testid="title">${r.hall} 窗口服务统计 ${r.period}</h1>
            <p>统计来源：排队事件记录（叫号、重呼、过号、转移、挂起、办结逐次计数）；时长单位：分钟。</p>
            ${this.#table('窗口', r.counters)}${this.#table('工作人员', r.staff)}${this.#table('业务', r.services)}
            ${
              this.scores?.length
                ? html`<h2>${r.period.slice(0, 7)} 窗口服务对象评价得分</h2><table><tr><th>窗口</th><th></th><th>评价数</th><th>差评</th><th>得分</th></tr>
                  ${this.scores.map((s) => html`<tr><td>${s.label}</td><td></td><td>${s.evaluations}</td><td>${s.bad}</td><td>${s.score}</td></tr>`)}</table>`
                : nothing
            }`
          : html`<p>正在加载…</p>`
      }
    `;
  }

  #table(title: string, rows: Row[]): TemplateResult {
    return html`<h2>按${title}</h2><table data-testid="table-${title}">
      <tr><th>编号</th><th>名称</th>${COLUMNS.map(([, t]) => html`<th>${t}</th>`)}</tr>
      ${rows.map((row) => html`<tr><td>${row.key}</td><td>${row.name}</td>${COLUMNS.map(([k]) => html`<td>${row[k] ?? '—'}</td>`)}</tr>`)}
    </table>`;
  }
}

customElements.define('report-app', ReportApp);
