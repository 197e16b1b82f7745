/**
 * 工作日历 on the technician console (admin only): the covered range and its warnings, a year as a
 * month grid, single-day edits with a reason, import of the State Council notice (pasted text), an
 * ICS file or a JSON day list — always previewed as a calendar with the unread lines before it is
 * confirmed — and the audit trail. `<calendar-banner>` is the coverage warning for the page header.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, call } from '../api.ts';
import { styles } from './styles.ts';

type DayType = 'workday' | 'weekend' | 'holiday' | 'adjusted-workday';
type Kind = 'holiday' | 'adjusted-workday' | 'workday';
type Format = 'notice' | 'ics' | 'json';

interface Day {
  readonly date: string;
  readonly weekday: number;
  readonly type: DayType;
  readonly working: boolean;
  readonly label: string;
  readonly changed?: boolean;
  readonly source?: string | null;
}
interface Month {
  readonly month: number;
  readonly days: readonly Day[];
}
interface Warning {
  readonly year: number;
  readonly message: string;
  readonly reasons: readonly { readonly kind: string; readonly detail: string }[];
}
interface Coverage {
  readonly firstYear: number;
  readonly lastYear: number;
  readonly coveredUntil: string;
  readonly today: string;
  readonly daysLeft: number;
  readonly warnings: readonly Warning[];
  readonly source: 'local' | 'holder';
  readonly sync: { readonly holder: string; readonly lastSyncAt: number | null; readonly lastError: string | null } | null;
  readonly lastImport: {
    readonly year: number;
    readonly at: number;
    readonly adminUser: string;
    readonly operator: string | null;
    readonly source: string | null;
  } | null;
}
interface YearView {
  readonly year: number;
  readonly months: readonly Month[] | null;
  readonly readOnly: boolean;
}
interface Preview {
  readonly format: Format;
  readonly year: number | null;
  readonly source: string | null;
  readonly days: readonly { readonly date: string; readonly kind: Kind; readonly name: string; readonly line: number }[];
  readonly unparsed: readonly { readonly line: number; readonly text: string; readonly reason: string; readonly blocking: boolean }[];
  readonly problems: readonly { readonly line: number | null; readonly message: string }[];
  readonly remarks: readonly string[];
  readonly digest: string;
  readonly committable: boolean;
  readonly blockers: readonly string[];
  readonly changes: readonly unknown[];
  readonly months: readonly Month[];
}
interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly action: string;
  readonly date: string | null;
  readonly year: number | null;
  readonly after: unknown;
  readonly reason: string;
  readonly adminUser: string;
  readonly operator: string | null;
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const TYPE_NAMES: Record<DayType, string> = { workday: '工作日', weekend: '周末', holiday: '放假', 'adjusted-workday': '调休上班' };
const ACTION_NAMES: Record<string, string> = { 'set-day': '修改单日', 'delete-day': '恢复单日', coverage: '覆盖范围', import: '导入', sync: '同步' };
const FORMAT_NAMES: Record<Format, string> = { notice: '粘贴国务院办公厅通知', ics: '上传 ICS 文件', json: 'JSON 日期列表' };

/** The console's session cookie is the credential; `token` only says "logged in" (non-empty: the account name). */
class CalendarApi {
  json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(method, path, body, { base: '/api/v1', timeoutMs: 15_000, technical: true });
  }
}

function time(ms: number): string {
  return new Date(ms).toLocaleString('zh-CN', { hour12: false });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : '操作失败，请重试';
}

/** Twelve month grids, Monday first. `onPick` makes the days buttons. */
function monthGrid(months: readonly Month[], onPick?: (d: Day) => void, selected?: string): TemplateResult {
  return html`<div class="months">
    ${months.map(
      (m) => html`<table class="month" data-month=${m.month}>
        <caption>${m.month}月</caption>
        <thead><tr>${WEEKDAYS.map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
        <tbody>${weeks(m.days).map((week) => html`<tr>${week.map((d) => (d ? dayCell(d, onPick, selected) : html`<td></td>`))}</tr>`)}</tbody>
      </table>`,
    )}
  </div>`;
}

function weeks(days: readonly Day[]): (Day | null)[][] {
  const out: (Day | null)[][] = [];
  let week: (Day | null)[] = Array.from({ length: ((days[0]?.weekday ?? 1) + 6) % 7 }, () => null);
  for (const d of days) {
    week.push(d);
    if (week.length === 7) {
      out.push(week);
      week = [];
    }
  }
  if (week.length) out.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return out;
}

function dayCell(d: Day, onPick?: (d: Day) => void, selected?: string): TemplateResult {
  const title = `${d.date} ${TYPE_NAMES[d.type]}${d.label && d.label !== TYPE_NAMES[d.type] ? `（${d.label}）` : ''}`;
  const n = Number(d.date.slice(8));
  const cls = `day ${d.type}${d.changed ? ' changed' : ''}${selected === d.date ? ' selected' : ''}`;
  return html`<td class=${cls} data-date=${d.date} data-type=${d.type} title=${title}>
    ${onPick ? html`<button class="daybtn" aria-label=${`${n} ${title}`} @click=${() => onPick(d)}>${n}</button>` : html`<span aria-label=${`${n} ${title}`}>${n}</span>`}
  </td>`;
}

const pageStyles = css`
  .months { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 14px; }
  table.month { border-collapse: collapse; background: #fff; border: 1px solid #b8c4d2; border-radius: 8px; width: 100%; }
  table.month caption { font-weight: bold; font-size: 20px; text-align: left; padding: 4px 0; }
  table.month th { font-size: 16px; color: #444; font-weight: normal; }
  td.day { text-align: center; font-size: 16px; padding: 1px; }
  td.day span, td.day .daybtn { display: block; min-height: 34px; min-width: 34px; padding: 4px 0; border-radius: 6px; font-size: 16px; border: 0; }
  td.weekend span, td.weekend .daybtn { background: #eef0f3; color: #595959; }
  td.holiday span, td.holiday .daybtn { background: #a61b1b; color: #fff; font-weight: bold; }
  td.adjusted-workday span, td.adjusted-workday .daybtn { background: #0b4f9c; color: #fff; font-weight: bold; }
  td.workday span, td.workday .daybtn { background: #fff; color: #1a1a1a; }
  td.changed span, td.changed .daybtn { outline: 3px solid #f2a900; }
  td.selected .daybtn { outline: 4px solid #1a1a1a; }
  .legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 16px; }
  .legend span::before { content: ''; display: inline-block; width: 16px; height: 16px; margin-right: 6px; vertical-align: -2px; border-radius: 4px; border: 1px solid #8796a8; }
  .legend .l-holiday::before { background: #a61b1b; } .legend .l-adjusted::before { background: #0b4f9c; } .legend .l-weekend::before { background: #eef0f3; } .legend .l-changed::before { outline: 3px solid #f2a900; }
  .panel { background: #fff; border: 1px solid #b8c4d2; border-radius: 12px; padding: 18px; display: flex; flex-direction: column; gap: 14px; }
  .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
  textarea { font: inherit; font-size: 18px; min-height: 220px; padding: 8px; border: 2px solid #8796a8; border-radius: 8px; width: 100%; }
  ul.lines { margin: 0; padding-left: 1.2em; display: flex; flex-direction: column; gap: 4px; font-size: 18px; }
  table.audit { border-collapse: collapse; width: 100%; font-size: 16px; background: #fff; }
  table.audit th, table.audit td { border: 1px solid #b8c4d2; padding: 6px 8px; text-align: left; vertical-align: top; }
  fieldset { border: 1px solid #b8c4d2; border-radius: 8px; display: flex; flex-wrap: wrap; gap: 16px; }
  fieldset label { flex-direction: row; align-items: center; font-weight: normal; }
`;

/** The coverage warning for the console header (polls /api/v1/calendar/coverage). */
export class CalendarBanner extends LitElement {
  static override styles = styles;
  static override properties = { token: {}, warnings: { state: true } };
  declare token: string;
  declare warnings: readonly Warning[];
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.token = '';
    this.warnings = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), 60_000);
    this.addEventListener('calendar-changed', () => void this.refresh());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer) clearInterval(this.#timer);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('token') && changed.get('token') !== undefined) void this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.token) return;
    try {
      this.warnings = (await new CalendarApi().json<Coverage>('GET', '/calendar/coverage')).warnings;
    } catch {
      /* the console shows connection problems itself */
    }
  }

  override render(): TemplateResult | typeof nothing {
    if (this.warnings.length === 0) return nothing;
    return html`<div class="warn" role="alert" data-testid="calendar-warning">
      ${this.warnings.map((w) => html`<p><strong>${w.message}</strong>：${w.reasons.map((r) => r.detail).join('；')}。请在下方“工作日历”中导入 ${w.year} 年的节假日安排。</p>`)}
    </div>`;
  }
}

export class CalendarPage extends LitElement {
  static override styles = [styles, pageStyles];
  static override properties = {
    token: {},
    coverage: { state: true },
    view: { state: true },
    year: { state: true },
    selected: { state: true },
    editKind: { state: true },
    message: { state: true },
    format: { state: true },
    preview: { state: true },
    busy: { state: true },
    audit: { state: true },
  };
  declare token: string;
  declare coverage: Coverage | null;
  declare view: YearView | null;
  declare year: number;
  declare selected: Day | null;
  declare editKind: Kind | 'default';
  declare message: { ok: boolean; text: string } | null;
  declare format: Format;
  declare preview: Preview | null;
  declare busy: boolean;
  declare audit: readonly AuditEntry[];
  #input = '';
  #fileName = '';

  constructor() {
    super();
    this.token = '';
    this.coverage = null;
    this.view = null;
    this.year = 0;
    this.selected = null;
    this.editKind = 'holiday';
    this.message = null;
    this.format = 'notice';
    this.preview = null;
    this.busy = false;
    this.audit = [];
  }

  get #api(): CalendarApi {
    return new CalendarApi();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('token') && changed.get('token') !== undefined) void this.reload();
  }

  async reload(year?: number): Promise<void> {
    if (!this.token) return;
    try {
      this.coverage = await this.#api.json<Coverage>('GET', '/calendar/coverage');
      this.year = year ?? (this.year || Number(this.coverage.today.slice(0, 4)));
      this.view = await this.#api.json<YearView>('GET', `/admin/calendar?year=${this.year}`);
      this.audit = (await this.#api.json<{ entries: AuditEntry[] }>('GET', '/admin/calendar/audit?limit=50')).entries;
    } catch (err) {
      this.message = { ok: false, text: `工作日历读取失败：${errorText(err)}` };
    }
  }

  #changed(): void {
    this.dispatchEvent(new CustomEvent('calendar-changed', { bubbles: true, composed: true }));
    (this.getRootNode() as ParentNode | null)?.querySelector?.('calendar-banner')?.dispatchEvent(new CustomEvent('calendar-changed'));
  }

  // ---- single day ----

  async #saveDay(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const d = this.selected;
    if (!d) return;
    const form = ev.target as HTMLFormElement;
    const value = (n: string) => ((form.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim();
    const reason = value('reason');
    if (reason.length < 2) {
      this.message = { ok: false, text: '请填写修改原因（至少 2 个字）' };
      return;
    }
    const operator = value('operator');
    this.busy = true;
    try {
      if (this.editKind === 'default') {
        const q = `reason=${encodeURIComponent(reason)}${operator ? `&operator=${encodeURIComponent(operator)}` : ''}`;
        await this.#api.json('DELETE', `/admin/calendar/days/${d.date}?${q}`);
      } else {
        const name = value('name') || (this.editKind === 'holiday' ? '节假日' : this.editKind === 'adjusted-workday' ? '调休' : '工作日');
        await this.#api.json('PUT', `/admin/calendar/days/${d.date}`, { kind: this.editKind, name, reason, ...(operator ? { operator } : {}) });
      }
      this.message = { ok: true, text: `已保存 ${d.date}` };
      this.selected = null;
      await this.reload();
      this.#changed();
    } catch (err) {
      this.message = { ok: false, text: `${d.date} 未保存：${errorText(err)}` };
    } finally {
      this.busy = false;
    }
  }

  // ---- import ----

  async #readFile(ev: Event): Promise<void> {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.#fileName = file.name;
    this.#input = await file.text();
    this.preview = null;
  }

  #body(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const yearInput = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="import-year"]')?.value.trim() ?? '';
    return {
      format: this.format,
      text: this.#input,
      ...(yearInput ? { year: Number(yearInput) } : {}),
      ...(this.#fileName && this.format === 'ics' ? { fileName: this.#fileName } : {}),
      ...extra,
    };
  }

  async #preview(): Promise<void> {
    if (!this.#input.trim()) {
      this.message = { ok: false, text: this.format === 'ics' ? '请先选择 ICS 文件' : '请先粘贴内容' };
      return;
    }
    this.busy = true;
    try {
      this.preview = await this.#api.json<Preview>('POST', '/admin/calendar/imports/preview', this.#body());
      this.message = null;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-testid="preview"] h3')?.focus();
    } catch (err) {
      this.message = { ok: false, text: `预览失败：${errorText(err)}` };
    } finally {
      this.busy = false;
    }
  }

  async #commit(): Promise<void> {
    const p = this.preview;
    if (!p?.committable) return;
    const operator = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="import-operator"]')?.value.trim() ?? '';
    this.busy = true;
    try {
      const r = await this.#api.json<{ year: number; days: number; changed: number; filledDeadlines: number }>(
        'POST',
        '/admin/calendar/imports',
        this.#body({ digest: p.digest, ...(operator ? { operator } : {}) }),
      );
      this.message = {
        ok: true,
        text: `已导入 ${r.year} 年：${r.days} 天放假或调休上班，改动 ${r.changed} 天${r.filledDeadlines ? `，补算了 ${r.filledDeadlines} 件差评的期限` : ''}`,
      };
      this.preview = null;
      await this.reload(r.year);
      this.#changed();
    } catch (err) {
      this.message = {
        ok: false,
        text: `导入失败：${errorText(err)}${err instanceof ApiError && err.code === 'CALENDAR_PREVIEW_STALE' ? '（请重新预览）' : ''}`,
      };
    } finally {
      this.busy = false;
    }
  }

  // ---- render ----

  override render(): TemplateResult {
    const c = this.coverage;
    const readOnly = this.view?.readOnly ?? false;
    return html`<section aria-labelledby="calendar-title" data-testid="calendar-page">
      <h2 id="calendar-title">工作日历</h2>
      <div class="panel" data-testid="calendar-coverage">
        ${
          c
            ? html`<p>覆盖 <strong>${c.firstYear}–${c.lastYear} 年</strong>（至 ${c.coveredUntil}，还有 ${c.daysLeft} 天）。
              ${c.lastImport ? html`最近导入：${c.lastImport.year} 年，${time(c.lastImport.at)}，${c.lastImport.operator ?? c.lastImport.adminUser}。` : nothing}</p>
              ${c.source === 'holder' ? html`<p class="hint">本终端使用排队主机（${c.sync?.holder ?? ''}）的工作日历，只能查看；请在主机上导入或修改。${c.sync?.lastError ? `最近一次同步失败：${c.sync.lastError}（继续使用已保存的副本）` : ''}</p>` : nothing}
              ${c.warnings.map((w) => html`<p class="warn" data-testid="coverage-warning"><strong>${w.message}</strong>：${w.reasons.map((r) => r.detail).join('；')}</p>`)}`
            : html`<p class="hint">正在读取…</p>`
        }
      </div>
      ${this.message ? html`<p role="status" data-testid="calendar-message" class=${this.message.ok ? 'ok' : 'error'}>${this.message.text}</p>` : nothing}
      ${this.#yearPanel(readOnly)}
      ${readOnly ? nothing : this.#importPanel()}
      ${this.#auditPanel()}
    </section>`;
  }

  #legend(): TemplateResult {
    return html`<p class="legend"><span class="l-holiday">放假</span><span class="l-adjusted">调休上班</span><span class="l-weekend">周末</span><span>工作日</span><span class="l-changed">本次改动</span></p>`;
  }

  #yearPanel(readOnly: boolean): TemplateResult {
    const v = this.view;
    return html`<div class="panel" data-testid="calendar-year">
      <div class="row">
        <button @click=${() => void this.reload(this.year - 1)} aria-label="上一年">‹ 上一年</button>
        <h3 data-testid="calendar-year-title">${this.year} 年</h3>
        <button @click=${() => void this.reload(this.year + 1)} aria-label="下一年">下一年 ›</button>
      </div>
      ${this.#legend()}
      ${
        v?.months
          ? monthGrid(
              v.months,
              readOnly
                ? undefined
                : (d) => {
                    this.selected = d;
                    this.editKind =
                      d.type === 'holiday' ? 'holiday' : d.type === 'adjusted-workday' ? 'adjusted-workday' : d.working ? 'holiday' : 'adjusted-workday';
                  },
              this.selected?.date,
            )
          : html`<p class="warn">工作日历尚未包含 ${this.year} 年：请在下方导入当年的节假日安排。</p>`
      }
      ${this.selected && !readOnly ? this.#dayForm(this.selected) : nothing}
    </div>`;
  }

  #dayForm(d: Day): TemplateResult {
    return html`<form class="panel" data-testid="day-form" @submit=${(e: SubmitEvent) => void this.#saveDay(e)}>
      <h3>修改 ${d.date}（现为${TYPE_NAMES[d.type]}${d.label !== TYPE_NAMES[d.type] ? `：${d.label}` : ''}）</h3>
      <div class="row">
        <label>改为
          <select name="kind" data-testid="day-kind" .value=${this.editKind} @change=${(e: Event) => (this.editKind = (e.target as HTMLSelectElement).value as Kind | 'default')}>
            <option value="holiday">放假</option>
            <option value="adjusted-workday">调休上班</option>
            <option value="workday">工作日</option>
            <option value="default">恢复默认（周一至周五上班）</option>
          </select>
        </label>
        ${this.editKind === 'default' ? nothing : html`<label>节日名称<input name="name" data-testid="day-name" maxlength="30" .value=${d.type === 'holiday' || d.type === 'adjusted-workday' ? d.label.replace(/^调休上班（(.*)）$/, '$1') : ''} /></label>`}
      </div>
      <div class="row">
        <label>修改原因（必填）<input name="reason" data-testid="day-reason" required minlength="2" maxlength="200" /></label>
        <label>操作人<input name="operator" data-testid="day-operator" maxlength="30" /></label>
        <button class="primary" type="submit" data-testid="day-save" ?disabled=${this.busy}>保存</button>
        <button type="button" @click=${() => (this.selected = null)}>取消</button>
      </div>
    </form>`;
  }

  #importPanel(): TemplateResult {
    const p = this.preview;
    return html`<div class="panel" data-testid="calendar-import">
      <h3>导入节假日安排</h3>
      <p class="hint">国务院办公厅每年（通常在 11 月）发布下一年的《部分节假日安排的通知》。把通知全文粘贴到下面，先“预览”，核对日历无误后再“确认导入”。</p>
      <fieldset>
        <legend>来源</legend>
        ${(['notice', 'ics', 'json'] as const).map(
          (f) =>
            html`<label><input type="radio" name="format" value=${f} data-testid=${`format-${f}`} .checked=${this.format === f} @change=${() => {
              this.format = f;
              this.preview = null;
              this.#input = '';
              this.#fileName = '';
            }} />${FORMAT_NAMES[f]}</label>`,
        )}
      </fieldset>
      ${
        this.format === 'ics'
          ? html`<label>ICS 文件<input type="file" accept=".ics,text/calendar" data-testid="import-file" @change=${(e: Event) => void this.#readFile(e)} /></label>
            <p class="hint">只读取全天事件：标题含“休”为放假，含“班”为调休上班；其他事件会列出，不会导入。</p>`
          : html`<label>${this.format === 'notice' ? '通知全文' : 'JSON（{"year":2027,"days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"}]}）'}
            <textarea data-testid="import-text" .value=${this.#input} @input=${(e: Event) => {
              this.#input = (e.target as HTMLTextAreaElement).value;
              this.preview = null;
            }}></textarea></label>`
      }
      <div class="row">
        <label>年份（可不填，默认取标题中的年份）<input type="number" min="1990" max="2200" data-testid="import-year" /></label>
        <label>操作人<input data-testid="import-operator" maxlength="30" /></label>
        <button class="primary" data-testid="import-preview" ?disabled=${this.busy} @click=${() => void this.#preview()}>预览</button>
      </div>
      ${p ? this.#previewView(p) : nothing}
    </div>`;
  }

  #previewView(p: Preview): TemplateResult {
    const off = p.days.filter((d) => d.kind === 'holiday').length;
    const work = p.days.filter((d) => d.kind !== 'holiday').length;
    return html`<div class="panel" data-testid="preview">
      <h3 tabindex="-1">预览：${p.year ?? '年份未知'} 年（${p.source ?? ''}）</h3>
      <p>读到放假 ${off} 天、调休上班 ${work} 天；与现有日历相比改动 ${p.changes.length} 天。</p>
      ${p.blockers.length ? html`<div class="error" data-testid="preview-blockers"><p>不能导入：</p><ul class="lines">${p.blockers.map((b) => html`<li>${b}</li>`)}</ul></div>` : nothing}
      ${
        p.unparsed.length
          ? html`<div data-testid="preview-unparsed"><p><strong>未能识别的行</strong>（未导入，也未猜测其含义）：</p>
            <ul class="lines">${p.unparsed.map((u) => html`<li data-line=${u.line}>第 ${u.line} 行${u.blocking ? '' : '（不含日期，可忽略）'}：“${u.text}”—— ${u.reason}</li>`)}</ul></div>`
          : nothing
      }
      ${
        p.problems.length
          ? html`<div data-testid="preview-problems"><p><strong>发现的问题</strong>：</p><ul class="lines">${p.problems.map((x) => html`<li>${x.line !== null ? `第 ${x.line} 行：` : ''}${x.message}</li>`)}</ul></div>`
          : nothing
      }
      ${p.remarks.length ? html`<ul class="lines hint">${p.remarks.map((r) => html`<li>${r}</li>`)}</ul>` : nothing}
      ${this.#legend()}
      ${p.months.length ? monthGrid(p.months) : nothing}
      <div class="row">
        <button class="primary" data-testid="import-commit" ?disabled=${!p.committable || this.busy} @click=${() => void this.#commit()}>确认导入 ${p.year ?? ''} 年</button>
        <button @click=${() => (this.preview = null)}>放弃</button>
      </div>
    </div>`;
  }

  #auditPanel(): TemplateResult {
    return html`<div class="panel" data-testid="calendar-audit">
      <h3>修改记录</h3>
      ${
        this.audit.length === 0
          ? html`<p class="hint">还没有修改记录。</p>`
          : html`<table class="audit">
            <thead><tr><th scope="col">时间</th><th scope="col">操作</th><th scope="col">日期/年份</th><th scope="col">内容</th><th scope="col">原因</th><th scope="col">操作人</th></tr></thead>
            <tbody>${this.audit.map(
              (e) => html`<tr>
                <td>${time(e.at)}</td><td>${ACTION_NAMES[e.action] ?? e.action}</td><td>${e.date ?? (e.year !== null ? `${e.year} 年` : '')}</td>
                <td>${describeAfter(e.after)}</td><td>${e.reason}</td><td>${e.operator ? `${e.operator}（${e.adminUser}）` : e.adminUser}</td>
              </tr>`,
            )}</tbody>
          </table>`
      }
    </div>`;
  }
}

function describeAfter(after: unknown): string {
  if (after === null || after === undefined) return '恢复默认';
  const a = after as { kind?: string; name?: string; days?: number; coverage?: { firstYear: number; lastYear: number }; firstYear?: number; lastYear?: number };
  if (a.kind)
    return `${({ holiday: '放假', 'adjusted-workday': '调休上班', workday: '工作日' } as Record<string, string>)[a.kind] ?? a.kind}${a.name ? `（${a.name}）` : ''}`;
  if (a.days !== undefined && a.coverage) return `${a.days} 天，覆盖至 ${a.coverage.lastYear} 年`;
  if (a.coverage) return `覆盖至 ${a.coverage.lastYear} 年`;
  if (a.lastYear !== undefined) return `覆盖 ${a.firstYear}–${a.lastYear} 年`;
  return '';
}

customElements.define('calendar-banner', CalendarBanner);
customElements.define('calendar-page', CalendarPage);

declare global {
  interface HTMLElementTagNameMap {
    'calendar-banner': CalendarBanner;
    'calendar-page': CalendarPage;
  }
}
