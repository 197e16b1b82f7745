import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { errorText, get, post } from './api.ts';
import { NavigateEvent, PromptEvent, SelfEvaluationEvent, TakeTicketEvent, ToastEvent } from './events.ts';
import { fieldRows, formatValue } from './guide-format.ts';
import { zhDate } from './hall-time.ts';
import { shared } from './styles.ts';
import type { GuideDetail, KioskInfo, Material, NoticeChecklist, NoticeResult } from './types.ts';

type Requirement = NoticeChecklist['blocking'][number];

/** 'A 或 B；C' for requirements (alternatives joined by 或). */
const names = (groups: readonly Requirement[]): string => groups.map((g) => g.materials.map((m) => m.name).join(' 或 ')).join('；');

/**
 * One 办事指南 item: every field, availability at this hall, the 一次性告知 checklist (tick what
 * you have, see what is missing, 容缺受理 and 承诺制 hints), printing the 告知单, and 取号 for the
 * item. What is missing and whether the window can accept is the daemon's verdict
 * (kiosk/guides/checklist.ts through POST /guides/:id/notice with `print: false` on every tick);
 * the screen shows it and never works it out itself.
 */
export class KioskGuideItem extends LitElement {
  static override properties = {
    guideId: { attribute: false },
    info: { attribute: false },
    busy: { attribute: false },
    detail: { state: true },
    error: { state: true },
    have: { state: true },
    verdict: { state: true },
    notice: { state: true },
    printing: { state: true },
  };
  declare guideId: string | null;
  declare info: KioskInfo | null;
  declare busy: boolean;
  declare detail: GuideDetail | null;
  declare error: string;
  declare have: ReadonlySet<string>;
  /** The daemon's checklist for the materials ticked now (null before the first answer). */
  declare verdict: NoticeChecklist | null;
  /** The last 打印一次性告知单 (its checklist and print result); cleared by the next tick. */
  declare notice: NoticeResult | null;
  declare printing: boolean;

  #categories = new Map<string, string>();
  /** Orders the checklist requests: only the answer for the latest ticks is shown. */
  #checkSeq = 0;

  constructor() {
    super();
    this.guideId = null;
    this.detail = null;
    this.error = '';
    this.have = new Set();
    this.verdict = null;
    this.notice = null;
    this.printing = false;
    this.busy = false;
  }

  static override styles = [
    shared,
    css`
      h2 { margin: 0.2rem 0 0.6rem; font-size: 1.5rem; }
      h3 { font-size: 1.2rem; margin: 1rem 0 0.4rem; }
      dl { display: grid; grid-template-columns: 7.5em 1fr; gap: 0.35rem 0.8rem; margin: 0; }
      dt { color: var(--muted); font-weight: bold; }
      dd { margin: 0; }
      dd ol { margin: 0; padding-left: 1.3em; }
      .materials { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 0.5rem; }
      .materials button { width: 100%; text-align: left; display: flex; align-items: center; gap: 0.8rem; color: var(--text); border-color: var(--line); }
      .materials button[aria-checked='true'] { border-color: var(--green); background: var(--green-light); }
      .box { flex: none; width: 1.6rem; height: 1.6rem; border: 3px solid var(--blue); border-radius: 0.25rem; display: inline-flex; align-items: center; justify-content: center; font-weight: bold; color: #fff; }
      [aria-checked='true'] .box { background: var(--green); border-color: var(--green); }
      .mnote { font-size: 0.85rem; color: var(--muted); }
      .actions { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 1rem; }
      .actions button { font-size: 1.15rem; min-width: 9rem; }
      details { margin-top: 1rem; }
      summary { cursor: pointer; min-height: 2.75rem; display: flex; align-items: center; font-size: 1.1rem; font-weight: bold; color: var(--blue);
        border: 2px solid var(--blue); border-radius: 0.4rem; padding: 0.3rem 0.9rem; }
      summary:focus-visible { outline: 0.2rem solid #f2a900; outline-offset: 0.1rem; }
      details[open] summary { margin-bottom: 0.6rem; }
      /* 长辈模式: labels above values, so long values are not squeezed into a narrow column. */
      :host-context(html.elder) dl { grid-template-columns: 1fr; }
      :host-context(html.elder) .actions button { flex: 1 1 100%; }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('guideId') && this.guideId) void this.#load(this.guideId);
  }

  async #load(id: string): Promise<void> {
    this.detail = null;
    this.error = '';
    this.have = new Set();
    this.verdict = null;
    this.notice = null;
    this.#checkSeq++;
    try {
      const [detail, list] = await Promise.all([
        get<GuideDetail>(`/guides/${encodeURIComponent(id)}`),
        this.#categories.size ? Promise.resolve(null) : get<{ categories?: { id: string; name: string }[] }>('/guides').catch(() => null),
      ]);
      for (const c of list?.categories ?? []) this.#categories.set(c.id, c.name);
      if (id !== this.guideId) return;
      this.detail = detail;
      this.#prompt();
    } catch (e) {
      this.error = errorText(e);
    }
  }

  get #materials(): Material[] {
    return this.detail?.item.materials ?? [];
  }

  #tolerable(m: Material): boolean {
    return Boolean(m.tolerable ?? m.deferrable);
  }

  #toggle(id: string): void {
    const next = new Set(this.have);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.have = next;
    this.notice = null;
    void this.#check();
  }

  /** Asks the daemon what the ticked materials amount to (nothing is printed). */
  async #check(): Promise<void> {
    const item = this.detail?.item;
    if (!item) return;
    const seq = ++this.#checkSeq;
    try {
      const r = await post<NoticeResult>(`/guides/${encodeURIComponent(item.id)}/notice`, { have: [...this.have], print: false }, { timeoutMs: 8000 });
      if (seq !== this.#checkSeq) return;
      this.verdict = r.checklist;
      this.#prompt();
    } catch (e) {
      if (seq === this.#checkSeq) this.dispatchEvent(new ToastEvent(errorText(e), 'error'));
    }
  }

  /**
   * What 朗读 reads here: the item, then where the checklist stands and what to do next (the
   * action before the list of names, which may be long). Material names only, nothing personal.
   */
  #prompt(): void {
    const d = this.detail;
    if (!d) return;
    const take = this.#serviceCode() !== null;
    const next = take ? '可以点击“为此事项取号”，也可以打印一次性告知单。' : '可以点击“打印一次性告知单”。';
    const v = this.have.size > 0 || this.notice ? this.verdict : null;
    let text: string;
    if (this.notice) {
      const print = this.notice.print;
      text = `${this.#noticeText(this.notice.checklist)}${print?.ok ? '一次性告知单已打印，请取走。' : '告知单暂时无法打印，请拍下本页或咨询工作人员。'}${take ? '需要办理请点击“为此事项取号”。' : ''}`;
    } else if (!v) {
      text = `${d.item.name}。请点击勾选您已经带齐的材料，屏幕会告诉您还缺什么。${next}`;
    } else if (v.blocking.length) {
      text = `还缺少 ${v.blocking.length} 项材料。请点击“打印一次性告知单”，按告知单补齐后再来办理。缺少的是：${names(v.blocking)}。`;
    } else if (v.deferrable.length) {
      text = `必需的材料已备齐，其余材料可以容缺受理，以后补齐即可。${next}`;
    } else {
      text = `材料已备齐。${v.byCommitment.length ? '没有的证明可在窗口签署个人承诺书代替。' : ''}${next}`;
    }
    this.dispatchEvent(new PromptEvent(text));
  }

  #serviceCode(): string | null {
    const d = this.detail;
    if (!d) return null;
    const code = d.serviceCode ?? d.item.serviceCode ?? (d.item.queueService as string | undefined) ?? null;
    return code && (d.availability ?? d.item.availability)?.here !== false ? code : null;
  }

  /** The citizen's words for the printed verdict (the daemon decided it). */
  #noticeText(c: NoticeChecklist): string {
    switch (c.outcome) {
      case 'complete':
        return '根据您勾选的材料，窗口可以受理。';
      case 'accept-with-commitment':
        return `根据您勾选的材料，在窗口签署个人承诺书后可以受理${c.needsCommitment ? '，容缺的材料请按告知单补齐' : ''}。`;
      case 'accept-with-deferral':
        return '根据您勾选的材料，窗口可以容缺受理，缺少的材料请按告知单补齐。';
      default:
        return '根据您勾选的材料，暂不能受理，请按告知单补齐材料。';
    }
  }

  async #printNotice(): Promise<void> {
    if (!this.detail) return;
    this.printing = true;
    try {
      this.#checkSeq++; // the printed checklist is the latest answer
      this.notice = await post<NoticeResult>(`/guides/${encodeURIComponent(this.detail.item.id)}/notice`, { have: [...this.have] }, { timeoutMs: 15_000 });
      this.verdict = this.notice.checklist;
      this.#prompt();
      if (this.notice.print?.ok) {
        this.dispatchEvent(new ToastEvent('一次性告知单已打印，请取走。', 'ok'));
        const item = this.detail.item;
        this.dispatchEvent(
          SelfEvaluationEvent.offer({ itemCode: typeof item.code === 'string' ? item.code : null, itemName: `打印一次性告知单：${item.name}` }),
        );
      }
    } catch (e) {
      this.notice = null;
      this.dispatchEvent(new ToastEvent(errorText(e), 'error'));
    } finally {
      this.printing = false;
    }
  }

  /** The 办事指南 rows; `basis` selects the legal basis (shown folded) or everything else. */
  #fields(basis = false): TemplateResult {
    const given = this.detail!.item.fields;
    const isBasis = (label: string) => label === '设定依据';
    if (Array.isArray(given) && given.length)
      return html`<dl data-fields=${basis ? 'basis' : 'main'}>
        ${given
          .filter((r) => isBasis(r.label) === basis && r.value != null && r.value !== '' && !(Array.isArray(r.value) && r.value.length === 0))
          .map(
            (r) => html`<dt>${r.label}</dt>
            <dd>${Array.isArray(r.value) ? html`<ol>${r.value.map((v) => html`<li>${formatValue(v)}</li>`)}</ol>` : formatValue(r.value)}</dd>`,
          )}
      </dl>`;
    const item = { ...this.detail!.item } as Record<string, unknown>;
    // 办理地点/时间/电话 default to this hall's when the guide does not set them (GB/T 39046 Table 4).
    const hall = this.info?.hall;
    if (hall) {
      item.location ??= hall.address;
      item.consultPhone ??= hall.phones.consult;
      item.complaintPhone ??= hall.phones.complaint;
    }
    const rows = fieldRows(item, (id) => this.#categories.get(id)).filter((r) => isBasis(r.label) === basis);
    return html`<dl data-fields=${basis ? 'basis' : 'main'}>
      ${rows.map(
        (r) => html`<dt data-field=${r.key}>${r.label}</dt>
          <dd>${Array.isArray(r.value) ? html`<ol>${r.value.map((v) => html`<li>${v}</li>`)}</ol>` : r.value}</dd>`,
      )}
    </dl>`;
  }

  #availability(): TemplateResult {
    const d = this.detail!;
    const a = d.availability ?? d.item.availability;
    const promised = d.promisedDate ?? d.item.promisedDate;
    const note = d.item.promisedNote;
    return html`<div class=${a && !a.here ? 'warn' : 'ok'} data-availability=${a ? (a.here ? 'here' : 'elsewhere') : 'unknown'}>
      ${a ? html`<b>${a.message || (a.here ? '本大厅可以办理。' : '本大厅不能办理此事项。')}</b>` : '办理地点请咨询工作人员。'}
      ${a && !a.here && a.upperHall ? html`<br />${formatValue(a.upperHall)}` : nothing}
      ${promised ? html`<br />${this.#immediate() ? '即办件：如今天受理，当场办结。' : `如今天受理，承诺最迟${zhDate(promised)}办结。`}` : nothing}
      ${note ? html`<br />${note}` : nothing}
    </div>`;
  }

  /** 即办 items are finished on the spot: no "承诺最迟 … 办结". */
  #immediate(): boolean {
    const item = this.detail!.item as Record<string, unknown>;
    const limit = item.timeLimit as { unit?: string } | string | undefined;
    if (typeof limit === 'object' && limit?.unit === '即办') return true;
    const row = this.detail!.item.fields?.find((r) => r.label === '办理时限');
    return /即办/.test(String(row?.value ?? (typeof limit === 'string' ? limit : '')));
  }

  #checklist(): TemplateResult {
    // Nothing is "missing" before the citizen has ticked anything (or printed the notice).
    const started = this.have.size > 0 || this.notice !== null;
    const v = started ? this.verdict : null;
    const blocking = v?.blocking ?? [];
    const deferrable = v?.deferrable ?? [];
    const commitment = v?.byCommitment ?? [];
    const printed = this.notice;
    return html`
      <h3>申办材料（一次性告知）</h3>
      <p class="muted">请点击勾选您已经带齐的材料：</p>
      <div role="group" aria-label="申办材料"><ul class="materials">
        ${this.#materials.map((m) => {
          const on = this.have.has(m.id);
          const copies = m.copiesText ?? [m.originals ? `原件${m.originals}份` : '', m.copies ? `复印件${m.copies}份` : ''].filter(Boolean).join('，');
          return html`<li>
            <button role="checkbox" aria-checked=${on ? 'true' : 'false'} data-material=${m.id} @click=${() => this.#toggle(m.id)}>
              <span class="box" aria-hidden="true">${on ? '✓' : ''}</span>
              <span>
                <b>${m.name}</b>${m.required === false ? html` <span class="badge grey">非必需</span>` : nothing}${this.#tolerable(m) ? html` <span class="badge blue">可容缺</span>` : nothing}${m.required === false ? nothing : m.alternativeGroup ? html` <span class="badge grey">任选其一</span>` : nothing}
                ${copies ? html`<br /><span class="mnote">${copies}</span>` : nothing}
                ${m.notes ? html`<br /><span class="mnote">${m.notes}</span>` : nothing}
              </span>
            </button>
          </li>`;
        })}
      </ul></div>
      <div data-checklist-summary style="margin-top:0.8rem" class="stack">
        ${
          v && blocking.length === 0 && deferrable.length === 0
            ? html`<p class="ok" data-complete>材料已备齐，可以取号办理。${commitment.length ? `${names(commitment)}可在窗口签署个人承诺书代替（承诺制）。` : ''}</p>`
            : nothing
        }
        ${blocking.length ? html`<div class="error" data-missing>还缺少 ${blocking.length} 项材料：${names(blocking)}</div>` : nothing}
        ${
          commitment.length && (blocking.length || deferrable.length)
            ? html`<div class="warn" data-commitment>${names(commitment)}：没有的，可在窗口签署个人承诺书代替（承诺制）。</div>`
            : nothing
        }
        ${
          deferrable.length
            ? html`<div class="warn" data-tolerable>
              以下材料可以“容缺受理”：${names(deferrable)}。签署容缺受理承诺书后可先受理，在规定时间内补齐即可，具体请咨询窗口工作人员。
            </div>`
            : nothing
        }
        ${
          printed
            ? html`<div class=${printed.checklist.canAcceptNow ? 'ok' : 'warn'} data-notice-result data-outcome=${printed.checklist.outcome}>
              ${this.#noticeText(printed.checklist)}
              ${printed.checklist.blocking.length ? html`<br />仍缺：${names(printed.checklist.blocking)}` : nothing}
              ${printed.print && !printed.print.ok ? html`<br /><b>告知单暂时无法打印${printed.print.message ? `（${printed.print.message}）` : ''}，请拍下本页或咨询工作人员。</b>` : nothing}
            </div>`
            : nothing
        }
      </div>
    `;
  }

  protected override render(): TemplateResult {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.detail) return html`<p class="muted">正在加载，请稍候…</p>`;
    const d = this.detail;
    const serviceCode = this.#serviceCode();
    return html`
      <h2 data-prompt data-item-name>${d.item.name}</h2>
      ${this.#availability()}
      ${this.#checklist()}
      <div class="actions">
        ${
          d.item.kioskFlow
            ? html`<button class="primary" data-action="kiosk-flow" @click=${() => this.dispatchEvent(new NavigateEvent(d.item.kioskFlow as 'certificate' | 'insurance-info'))}>${d.item.kioskFlow === 'certificate' ? '在本机打印参保凭证' : '在本机查询、打印'}</button>`
            : nothing
        }
        <button data-action="print-notice" ?disabled=${this.printing} @click=${() => void this.#printNotice()}>${this.printing ? '正在打印…' : '打印一次性告知单'}</button>
        ${
          serviceCode
            ? html`<button class="primary" data-action="take-for-item" ?disabled=${this.busy} @click=${() => this.dispatchEvent(new TakeTicketEvent(serviceCode))}>为此事项取号</button>`
            : nothing
        }
      </div>
      <h3>办事指南</h3>
      ${this.#fields()}
      <details data-legal-basis>
        <summary>设定依据（点击展开）</summary>
        ${this.#fields(true)}
      </details>
    `;
  }
}

customElements.define('kiosk-guide-item', KioskGuideItem);
