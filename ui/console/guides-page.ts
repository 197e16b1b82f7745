/**
 * 办事指南内容 on the technician console (hall-admin only): the item list with 本地事项 and where
 * each item's content comes from; editing an item (its JSON, checked by the daemon as at boot);
 * importing items from JSON or a 政务服务网 item list (CSV / XLSX) with the daemon's line-by-line
 * report; a preview of the item on the kiosk's own guide element; and the search synonyms.
 * Every change takes effect on the kiosk at once and is audited by the daemon.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { call } from '../api.ts';
import type { KioskInfo } from '../types.ts';
import { styles } from './styles.ts';
import '../kiosk-guide-item.ts';

interface GuideRow {
  readonly id: string;
  readonly name: string;
  readonly code: string;
  readonly codeIsPlaceholder: boolean;
  readonly category: string;
  readonly local: boolean;
  readonly region: string | null;
  readonly edited: boolean;
}
interface GuideList {
  readonly items: readonly GuideRow[];
  readonly categories: readonly { id: string; name: string }[];
  readonly version: number;
  readonly savedAt: number | null;
  readonly savedBy: string | null;
}
interface Problem {
  readonly row: number;
  readonly field: string;
  readonly reason: string;
}
interface ImportReport {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly rows: number;
  readonly imported: readonly { row: number; id: string; name: string; replaces: boolean }[];
  readonly problems: readonly Problem[];
  readonly ignoredColumns: readonly string[];
  readonly version: number | null;
}
interface Outcome {
  readonly ok: boolean;
  readonly text: string;
  readonly problems?: readonly Problem[];
}

const api = <T>(method: string, path: string, body?: unknown): Promise<T> => call<T>(method, path, body, { base: '', timeoutMs: 60_000, technical: true });
const errorText = (err: unknown): string => (err instanceof Error ? err.message : '操作失败，请重试');

/** The headers of the import template (kiosk/guides/import.ts COLUMN_MAP, first names). */
const TEMPLATE_HEADERS = [
  '事项名称',
  '事项编码',
  '类别',
  '服务对象',
  '申请材料',
  '办理时限',
  '办理层级',
  '设定依据',
  '主项名称',
  '实施编码',
  '受理条件',
  '办理方式',
  '办理流程',
  '是否收费',
  '温馨提示',
  '取号业务',
  '关键词',
  '本地事项',
];

async function base64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** 'word = 词一、词二' lines ↔ the synonym table. */
export function synonymsToText(table: Record<string, readonly string[]>): string {
  return Object.entries(table)
    .map(([k, v]) => `${k} = ${v.join('、')}`)
    .join('\n');
}
export function textToSynonyms(text: string): Record<string, string[]> | string {
  const out: Record<string, string[]> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const at = line.search(/[=＝]/);
    if (at < 0) return `第 ${i + 1} 行应写成“词 = 检索词一、检索词二”`;
    const word = line.slice(0, at).trim();
    out[word] = line
      .slice(at + 1)
      .split(/[、,，;；]/)
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return out;
}

export class ConsoleGuides extends LitElement {
  static override styles = [
    styles,
    css`
      :host { min-height: 0; display: flex; flex-direction: column; gap: 24px; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 10px; }
      label.inline { flex-direction: row; align-items: center; font-weight: normal; }
      table { border-collapse: collapse; width: 100%; font-size: 17px; background: #fff; }
      th, td { border: 1px solid #b8c4d2; padding: 4px 8px; text-align: left; vertical-align: top; }
      td button { min-height: 40px; font-size: 16px; padding: 4px 10px; }
      textarea { font: 16px/1.4 monospace; width: 100%; border: 2px solid #8796a8; border-radius: 8px; padding: 8px; }
      .preview { border: 4px solid #0b4f9c; border-radius: 12px; background: #f4f7fb; padding: 12px; max-height: 1100px; overflow: auto; }
      .list { max-height: 520px; overflow: auto; }
      .summary { font-weight: bold; }
    `,
  ];
  static override properties = {
    list: { state: true },
    loadError: { state: true },
    filter: { state: true },
    report: { state: true },
    importError: { state: true },
    importing: { state: true },
    editing: { state: true },
    editText: { state: true },
    editResult: { state: true },
    previewId: { state: true },
    info: { state: true },
    synonymsText: { state: true },
    synonymsEdited: { state: true },
    synonymsResult: { state: true },
  };
  declare list: GuideList | null;
  declare loadError: string;
  declare filter: string;
  declare report: ImportReport | null;
  declare importError: string;
  declare importing: boolean;
  declare editing: string | null;
  declare editText: string;
  declare editResult: Outcome | null;
  declare previewId: string | null;
  declare info: KioskInfo | null;
  declare synonymsText: string;
  declare synonymsEdited: boolean;
  declare synonymsResult: Outcome | null;

  constructor() {
    super();
    this.list = null;
    this.loadError = '';
    this.filter = '';
    this.report = null;
    this.importError = '';
    this.importing = false;
    this.editing = null;
    this.editText = '';
    this.editResult = null;
    this.previewId = null;
    this.info = null;
    this.synonymsText = '';
    this.synonymsEdited = false;
    this.synonymsResult = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    void this.#loadSynonyms();
  }

  async #load(): Promise<void> {
    try {
      this.list = await api<GuideList>('GET', '/api/v1/console/guides');
      this.loadError = '';
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  async #loadSynonyms(): Promise<void> {
    try {
      const r = await api<{ synonyms: Record<string, string[]>; edited: boolean }>('GET', '/api/v1/console/guides/synonyms');
      this.synonymsText = synonymsToText(r.synonyms);
      this.synonymsEdited = r.edited;
    } catch (err) {
      this.synonymsResult = { ok: false, text: errorText(err) };
    }
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="guides-title" data-testid="guides">
        <h2 id="guides-title">办事指南内容</h2>
        <p class="hint">随程序提供的事项是其他地区的示例数据（见“内容来源”）。请按本地区规定修改或导入，并标记为本地事项；修改立即在终端生效，并记入审计记录。</p>
        ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing} ${this.#importPanel()} ${this.#listPanel()} ${this.#editor()}
        ${this.#preview()}
      </section>
      ${this.#synonymsPanel()}`;
  }

  #importPanel(): TemplateResult {
    const r = this.report;
    const template = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${TEMPLATE_HEADERS.join(',')}\n`)}`;
    return html`<form @submit=${(e: SubmitEvent) => void this.#import(e)} data-testid="guide-import-form">
        <h3>导入事项</h3>
        <p class="hint">
          JSON（格式同 config/guides/items），或政务服务网事项清单导出的 CSV / XLSX：表头需有 事项名称、事项编码、类别、服务对象、申请材料、办理时限、办理层级、设定依据；
          可选 主项名称、实施编码、受理条件、办理方式、办理流程、是否收费、温馨提示、取号业务、关键词、本地事项。
          <a href=${template} download="办事指南导入模板.csv">下载 CSV 模板</a>
        </p>
        <div class="row">
          <label>选择文件<input type="file" name="file" accept=".json,.csv,.xlsx" required data-testid="guide-import-file" /></label>
          <label class="inline"><input type="checkbox" name="markLocal" checked data-testid="guide-import-local" />导入的事项标记为本地事项</label>
          <label class="inline"><input type="checkbox" name="dryRun" data-testid="guide-import-dry" />只检查，不导入</label>
          <button type="submit" class="primary" ?disabled=${this.importing} data-testid="guide-import">${this.importing ? '正在导入…' : '导入'}</button>
        </div>
      </form>
      ${this.importError ? html`<p class="error" role="alert" data-testid="guide-import-error">${this.importError}</p>` : nothing}
      ${
        r
          ? html`<div data-testid="guide-import-report" role="status">
            <p class=${r.problems.length ? 'warn summary' : 'ok summary'} data-testid="guide-import-summary">
              共 ${r.rows} 行：${r.dryRun ? '可导入' : '已导入'} ${r.imported.length} 项${r.problems.length ? `，${new Set(r.problems.map((p) => p.row)).size} 行有问题未导入` : ''}${r.version !== null ? `（第 ${r.version} 版）` : ''}
            </p>
            ${r.ignoredColumns.length ? html`<p class="hint">未识别的列（已忽略）：${r.ignoredColumns.join('、')}</p>` : nothing}
            ${
              r.problems.length
                ? html`<table data-testid="guide-import-problems">
                  <thead><tr><th>行号</th><th>列 / 字段</th><th>原因</th></tr></thead>
                  <tbody>
                    ${r.problems.map((p) => html`<tr data-testid="guide-import-problem" data-row=${p.row}><td>${p.row ? `第 ${p.row} 行` : '整个文件'}</td><td>${p.field}</td><td>${p.reason}</td></tr>`)}
                  </tbody>
                </table>`
                : nothing
            }
            ${
              r.imported.length
                ? html`<ul data-testid="guide-import-done">
                  ${r.imported.map((i) => html`<li data-id=${i.id}>第 ${i.row} 行：${i.name}（${i.replaces ? '更新' : '新增'}）</li>`)}
                </ul>`
                : nothing
            }
          </div>`
          : nothing
      }`;
  }

  async #import(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return;
    const ext = file.name.toLowerCase().split('.').pop();
    if (ext !== 'json' && ext !== 'csv' && ext !== 'xlsx') {
      this.importError = '只能导入 .json、.csv 或 .xlsx 文件';
      return;
    }
    this.importing = true;
    this.importError = '';
    try {
      this.report = await api<ImportReport>('POST', '/api/v1/console/guides/import', {
        format: ext,
        fileName: file.name,
        data: await base64(file),
        markLocal: (form.elements.namedItem('markLocal') as HTMLInputElement).checked,
        dryRun: (form.elements.namedItem('dryRun') as HTMLInputElement).checked,
      });
      await this.#load();
    } catch (err) {
      this.importError = errorText(err);
    } finally {
      this.importing = false;
    }
  }

  #listPanel(): TemplateResult {
    const l = this.list;
    if (!l) return html`<p class="hint">正在读取…</p>`;
    const categories = new Map(l.categories.map((c) => [c.id, c.name]));
    const f = this.filter.trim();
    const rows = f ? l.items.filter((i) => i.name.includes(f) || i.code.includes(f) || i.id.includes(f)) : l.items;
    return html`<h3>事项列表（${l.items.length} 项${l.version ? `，本地修改第 ${l.version} 版，${l.savedBy ?? ''} 保存` : ''}）</h3>
      <div class="row"><label>查找<input type="search" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} data-testid="guide-filter" /></label></div>
      <div class="list">
        <table data-testid="guide-list">
          <thead><tr><th>事项名称</th><th>事项编码</th><th>类别</th><th>本地事项</th><th>内容来源</th><th>操作</th></tr></thead>
          <tbody>
            ${rows.map(
              (i) => html`<tr data-testid="guide-row" data-id=${i.id}>
                <td>${i.name}${i.edited ? html`<br /><small>（本大厅已修改）</small>` : nothing}</td>
                <td>${i.codeIsPlaceholder ? `${i.code}（占位）` : i.code}</td>
                <td>${categories.get(i.category) ?? i.category}</td>
                <td><input type="checkbox" aria-label=${`${i.name}是本地事项`} .checked=${i.local} @change=${(e: Event) => void this.#markLocal(i.id, (e.target as HTMLInputElement).checked)} data-testid="guide-local" /></td>
                <td>${i.local ? '本地事项' : (i.region ?? '')}</td>
                <td>
                  <button type="button" @click=${() => void this.#edit(i.id)} data-testid="guide-edit">编辑</button>
                  <button type="button" @click=${() => void this.#showPreview(i.id)} data-testid="guide-preview">预览</button>
                  ${i.edited ? html`<button type="button" @click=${() => void this.#revert(i.id)} data-testid="guide-revert">撤销本地修改</button>` : nothing}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  async #markLocal(id: string, local: boolean): Promise<void> {
    try {
      await api('POST', `/api/v1/console/guides/items/${encodeURIComponent(id)}/local`, { local });
      await this.#load();
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  async #revert(id: string): Promise<void> {
    if (!window.confirm('撤销本大厅对这个事项的修改？本地新增的事项将被删除。')) return;
    try {
      await api('DELETE', `/api/v1/console/guides/items/${encodeURIComponent(id)}/local-edit`);
      await this.#load();
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  async #edit(id: string): Promise<void> {
    try {
      const r = await api<{ item: Record<string, unknown> }>('GET', `/api/v1/console/guides/items/${encodeURIComponent(id)}`);
      this.editing = id;
      this.editText = JSON.stringify(r.item, null, 2);
      this.editResult = null;
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  #editor(): TemplateResult | typeof nothing {
    if (!this.editing) return nothing;
    const r = this.editResult;
    return html`<form @submit=${(e: SubmitEvent) => void this.#save(e)} data-testid="guide-editor">
      <h3>编辑事项：${this.editing}</h3>
      <label>事项内容（JSON，字段见 config/guides/README.md）<textarea name="item" rows="18" .value=${this.editText} data-testid="guide-edit-json"></textarea></label>
      <div class="row">
        <button type="submit" class="primary" data-testid="guide-save">保存并生效</button>
        <button type="button" @click=${() => (this.editing = null)}>关闭</button>
      </div>
      ${
        r
          ? html`<div class=${r.ok ? 'ok' : 'error'} role="status" data-testid="guide-save-result">
            ${r.text}${r.problems?.length ? html`<ul>${r.problems.map((p) => html`<li>${p.field}：${p.reason}</li>`)}</ul>` : nothing}
          </div>`
          : nothing
      }
    </form>`;
  }

  async #save(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const text = ((ev.target as HTMLFormElement).elements.namedItem('item') as HTMLTextAreaElement).value;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch {
      this.editResult = { ok: false, text: '不是有效的 JSON，请检查括号、引号和逗号' };
      return;
    }
    try {
      const r = await api<{ ok: boolean; problems: Problem[]; version: number | null }>(
        'PUT',
        `/api/v1/console/guides/items/${encodeURIComponent(this.editing!)}`,
        { item },
      );
      this.editText = text;
      this.editResult = r.ok ? { ok: true, text: `已保存（第 ${r.version} 版），终端已使用新内容` } : { ok: false, text: '未保存：', problems: r.problems };
      if (r.ok) {
        await this.#load();
        if (this.previewId === this.editing) this.#refreshPreview();
      }
    } catch (err) {
      this.editResult = { ok: false, text: errorText(err) };
    }
  }

  async #showPreview(id: string): Promise<void> {
    if (!this.info) {
      try {
        this.info = await call<KioskInfo>('GET', '/info', undefined, { technical: true });
      } catch (err) {
        this.loadError = errorText(err);
        return;
      }
    }
    this.previewId = id;
  }

  #refreshPreview(): void {
    const id = this.previewId;
    this.previewId = null;
    void this.updateComplete.then(() => (this.previewId = id));
  }

  #preview(): TemplateResult | typeof nothing {
    if (!this.previewId) return nothing;
    return html`<div data-testid="guide-preview-box">
      <h3>终端版式预览（与终端“办事指南”页面相同的组件）</h3>
      <div class="preview"><kiosk-guide-item .guideId=${this.previewId} .info=${this.info} .busy=${false}></kiosk-guide-item></div>
      <button type="button" @click=${() => (this.previewId = null)}>关闭预览</button>
    </div>`;
  }

  #synonymsPanel(): TemplateResult {
    const r = this.synonymsResult;
    return html`<section aria-labelledby="synonyms-title" data-testid="guide-synonyms">
      <h2 id="synonyms-title">检索同义词</h2>
      <p class="hint">每行一个：群众会输入的词 = 事项里用的词（用顿号分隔）。例如“医保卡 = 社会保障卡、医保电子凭证”。${this.synonymsEdited ? '当前使用本大厅修改过的同义词。' : '当前使用随程序提供的同义词。'}</p>
      <form @submit=${(e: SubmitEvent) => void this.#saveSynonyms(e)}>
        <label>同义词<textarea name="synonyms" rows="12" .value=${this.synonymsText} data-testid="synonyms-text"></textarea></label>
        <div class="row">
          <button type="submit" class="primary" data-testid="synonyms-save">保存同义词</button>
          <button type="button" @click=${() => void this.#resetSynonyms()} data-testid="synonyms-reset">恢复随程序提供的同义词</button>
        </div>
      </form>
      ${r ? html`<p class=${r.ok ? 'ok' : 'error'} role="status" data-testid="synonyms-result">${r.text}</p>` : nothing}
    </section>`;
  }

  async #saveSynonyms(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const text = ((ev.target as HTMLFormElement).elements.namedItem('synonyms') as HTMLTextAreaElement).value;
    const table = textToSynonyms(text);
    if (typeof table === 'string') {
      this.synonymsResult = { ok: false, text: table };
      return;
    }
    await this.#putSynonyms(table);
  }

  async #resetSynonyms(): Promise<void> {
    await this.#putSynonyms(null);
  }

  async #putSynonyms(table: Record<string, string[]> | null): Promise<void> {
    try {
      const r = await api<{ ok: boolean; problems: { word: string; message: string }[]; version: number | null }>('PUT', '/api/v1/console/guides/synonyms', {
        synonyms: table,
      });
      this.synonymsResult = r.ok
        ? { ok: true, text: `已保存（第 ${r.version} 版），终端检索已使用新的同义词` }
        : { ok: false, text: r.problems.map((p) => p.message).join('；') };
      if (r.ok) await this.#loadSynonyms();
    } catch (err) {
      this.synonymsResult = { ok: false, text: errorText(err) };
    }
  }
}

customElements.define('console-guides', ConsoleGuides);
