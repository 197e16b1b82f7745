import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { errorText, get } from './api.ts';
import { NavigateEvent, setPrompt } from './events.ts';
import { sentence } from './speech.ts';
import { shared } from './styles.ts';
import type { GuideList, GuideSummary } from './types.ts';
import { formatValue } from './guide-format.ts';
import './kiosk-keyboard.ts';

const OBJECTS = ['个人', '单位'] as const;

/** What citizens most often ask for: one tap searches it (no IME needed for Chinese). */
export const COMMON_QUERIES: readonly string[] = ['参保登记', '异地就医', '住院报销', '门诊慢特病', '生育', '个人账户', '医疗救助', '转移接续'];

/** Search kept while the citizen opens an item and comes back; cleared on every return home. */
const remembered = { query: '', category: '', object: '' };
export function forgetGuideSearch(): void {
  remembered.query = '';
  remembered.category = '';
  remembered.object = '';
}

/** 办事指南: browse by category and 服务对象, search with IME or the on-screen letter keyboard. */
export class KioskGuides extends LitElement {
  static override properties = {
    query: { state: true },
    category: { state: true },
    object: { state: true },
    list: { state: true },
    error: { state: true },
    loading: { state: true },
    keyboard: { state: true },
  };
  declare query: string;
  declare category: string;
  declare object: string;
  declare list: GuideList | null;
  declare error: string;
  declare loading: boolean;
  declare keyboard: boolean;

  #seq = 0;
  #debounce = 0;
  /** The query the shown list answers (the list on screen may still be the previous one). */
  #listQuery = '';
  #categories: { id: string; name: string }[] = [];

  constructor() {
    super();
    this.query = remembered.query;
    this.category = remembered.category;
    this.object = remembered.object;
    this.list = null;
    this.error = '';
    this.loading = false;
    // 长辈模式 starts with the common questions and categories (fewer, larger targets); the
    // letter keyboard is one tap away.
    this.keyboard = !document.documentElement.classList.contains('elder');
  }

  static override styles = [
    shared,
    css`
      .search { display: flex; gap: 0.6rem; align-items: center; }
      .search input { flex: 1; font-size: 1.2rem; }
      .filters { margin-top: 0.7rem; }
      .filters .label, .common .label { color: var(--muted); min-width: 4.5rem; }
      .common { margin-top: 0.7rem; }
      :host-context(html.elder) .search button { flex: none; }
      kiosk-keyboard { margin: 0.7rem 0; }
      ul { list-style: none; padding: 0; margin: 0.6rem 0 0; display: flex; flex-direction: column; gap: 0.5rem; }
      li button { width: 100%; text-align: left; display: flex; justify-content: space-between; gap: 1rem; align-items: center; border-width: 2px; }
      li .name { font-size: 1.15rem; font-weight: bold; color: var(--text); }
      li .meta { font-size: 0.85rem; color: var(--muted); }
      .suggest { margin-top: 0.6rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#debounce);
    this.#seq++;
  }

  async #load(): Promise<void> {
    const seq = ++this.#seq;
    Object.assign(remembered, { query: this.query, category: this.category, object: this.object });
    const params = new URLSearchParams();
    if (this.query.trim()) params.set('q', this.query.trim());
    if (this.category) params.set('category', this.category);
    if (this.object) {
      // The contract says `object`; the daemon's schema calls it `audience`.
      params.set('object', this.object);
      params.set('audience', this.object);
    }
    this.loading = true;
    try {
      const list = await get<GuideList>(`/guides?${params}`);
      if (seq !== this.#seq) return;
      this.#listQuery = params.get('q') ?? '';
      this.list = list;
      if (list.categories?.length) this.#categories = list.categories;
      this.error = '';
    } catch (e) {
      if (seq === this.#seq) this.error = errorText(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** 朗读 here: how to find an item, then what the list on screen holds. */
  protected override updated(): void {
    const how = '请点击“常用查询”里的事项，或按服务对象、分类查找；也可以用字母键盘输入拼音首字母。';
    const list = this.list;
    let text: string;
    if (this.error) text = `${sentence(this.error)}${how}`;
    else if (!list) text = `${how}找到后点击事项，查看要带的材料。`;
    else if (!list.items.length)
      text = `没有找到相关的事项。${list.suggestions.length ? `您是不是要找：${list.suggestions.map((s) => s.name).join('、')}？请点击要找的事项。` : '请换个说法试试，或点击“呼叫工作人员”。'}`;
    else if (!this.#listQuery) text = `${how}下面列出了 ${list.items.length} 项事项，点击事项查看要带的材料。`;
    else
      text = `“${this.#listQuery}”共找到 ${list.items.length} 项事项，请点击您要办理的事项，查看要带的材料。前几项是：${list.items
        .slice(0, 3)
        .map((i) => i.name)
        .join('、')}。`;
    setPrompt(this, text);
  }

  #schedule(): void {
    clearTimeout(this.#debounce);
    this.#debounce = window.setTimeout(() => void this.#load(), 250);
  }

  #onInput(e: Event): void {
    this.query = (e.target as HTMLInputElement).value;
    this.#schedule();
  }

  #onKey(e: CustomEvent<{ key: string }>): void {
    const key = e.detail.key;
    if (key === 'Backspace') this.query = this.query.slice(0, -1);
    else if (key === 'Clear') this.query = '';
    else if (key === 'Enter') {
      clearTimeout(this.#debounce);
      void this.#load();
      return;
    } else this.query += key;
    this.#schedule();
  }

  #item(i: GuideSummary): TemplateResult {
    return html`<li>
      <button data-guide=${i.id} @click=${() => this.dispatchEvent(new NavigateEvent('guide', { guideId: i.id }))}>
        <span>
          <span class="name">${i.name}</span><br />
          <span class="meta">${formatValue(i.object ?? i.audience)} · 办理时限：${formatValue(i.timeLimit)}</span>
        </span>
        ${i.availableHere ? html`<span class="badge green">本厅可办</span>` : html`<span class="badge grey">需到上级大厅</span>`}
      </button>
    </li>`;
  }

  #results(): TemplateResult {
    const list = this.list;
    if (!list) return this.loading ? html`<p class="muted">正在查询，请稍候…</p>` : html``;
    if (!list.items.length)
      return html`<div class="suggest" data-no-results>
        <p class="warn">没有找到“${this.query}”相关的事项。</p>
        ${
          list.suggestions.length
            ? html`<p>您是不是要找：</p>
              <div class="row">${list.suggestions.map((s) => html`<button data-suggestion=${s.id} @click=${() => this.dispatchEvent(new NavigateEvent('guide', { guideId: s.id }))}>${s.name}</button>`)}</div>`
            : html`<p class="muted">请换个说法试试，或点击“呼叫工作人员”。</p>`
        }
      </div>`;
    return html`<p class="muted" data-count>共 ${list.items.length} 项</p><ul data-results data-query=${this.#listQuery}>${repeat(
      list.items,
      (i) => i.id,
      (i) => this.#item(i),
    )}</ul>`;
  }

  protected override render(): TemplateResult {
    return html`
      <p class="prompt" data-prompt>请输入或选择您要查询的事项</p>
      <div class="search" role="search">
        <input
          type="search"
          data-search
          aria-label="搜索事项（可输入汉字或拼音首字母）"
          placeholder="点下面的常用查询，或输入拼音首字母，如 ydjy"
          .value=${this.query}
          @input=${this.#onInput}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.#load()}
        />
        <button data-action="keyboard" aria-pressed=${this.keyboard ? 'true' : 'false'} @click=${() => (this.keyboard = !this.keyboard)}>字母键盘</button>
      </div>
      <div class="row common" role="group" aria-label="常用查询">
        <span class="label">常用查询</span>
        ${COMMON_QUERIES.map(
          (q) =>
            html`<button data-common=${q} aria-pressed=${this.query === q ? 'true' : 'false'} @click=${() => {
              this.query = q;
              clearTimeout(this.#debounce);
              void this.#load();
            }}>${q}</button>`,
        )}
      </div>
      ${this.keyboard ? html`<kiosk-keyboard @key=${this.#onKey}></kiosk-keyboard>` : nothing}
      <div class="filters stack">
        <div class="row" role="group" aria-label="服务对象">
          <span class="label">服务对象</span>
          ${['', ...OBJECTS].map(
            (o) =>
              html`<button data-object=${o || 'all'} aria-pressed=${this.object === o ? 'true' : 'false'} @click=${() => {
                this.object = o;
                void this.#load();
              }}>${o || '全部'}</button>`,
          )}
        </div>
        <div class="row" role="group" aria-label="事项分类">
          <span class="label">分类</span>
          ${[{ id: '', name: '全部' }, ...this.#categories].map(
            (c) =>
              html`<button data-category=${c.id || 'all'} aria-pressed=${this.category === c.id ? 'true' : 'false'} @click=${() => {
                this.category = c.id;
                void this.#load();
              }}>${c.name}</button>`,
          )}
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.#results()}
    `;
  }
}

customElements.define('kiosk-guides', KioskGuides);
