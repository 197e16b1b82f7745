import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { shared } from './styles.ts';

/** 差评 levels: they need at least one reason (the daemon refuses otherwise). */
export const BAD_LEVELS: ReadonlySet<string> = new Set(['不满意', '非常不满意']);
/** Used until the daemon's form answers; the daemon's list is authoritative. */
export const DEFAULT_LEVELS: readonly string[] = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];

export interface RatingReason {
  readonly code: string;
  readonly name: string;
  /** Choosing it makes the comment compulsory (其他). */
  readonly requiresText?: boolean;
}

export interface Rating {
  readonly level: string | null;
  /** Codes of the chosen 差评 reasons; always empty for a level that is not 差评. */
  readonly reasons: readonly string[];
}

/** The citizen changed the rating; the host stores it and passes it back as `level` / `chosen`. */
export class RatingChangeEvent extends CustomEvent<Rating> {
  static readonly type = 'rating-change';
  constructor(rating: Rating) {
    super(RatingChangeEvent.type, { detail: rating, bubbles: true });
  }
}

/** Whether the chosen reasons make the comment compulsory. */
export function needsText(reasons: readonly RatingReason[], chosen: readonly string[]): boolean {
  return chosen.some((c) => reasons.find((r) => r.code === c)?.requiresText);
}

/**
 * The rating of the three evaluation forms (评价 at the kiosk, the self-service panel, the counter
 * evaluator): the daemon's five levels, all alike and none preselected (GB/T 39734: no level
 * more prominent than another), and for a 差评 the reasons as large toggles. It holds no state:
 * the host passes `level` and `chosen` and stores what `rating-change` reports, so it can clear
 * the form. Sizes can be tuned with --rating-level-height and --rating-level-font; the evaluator
 * restyles it through the parts `level`, `level-selected`, `reason`, `reason-checked`.
 */
export class KioskRating extends LitElement {
  static override properties = {
    levels: { attribute: false },
    reasons: { attribute: false },
    level: { attribute: false },
    chosen: { attribute: false },
    marker: {},
    reasonsLabel: { attribute: 'reasons-label' },
  };
  declare levels: readonly string[];
  declare reasons: readonly RatingReason[];
  declare level: string | null;
  declare chosen: readonly string[];
  /** Names the level buttons' data attribute: `data-level` or `data-self-level`. */
  declare marker: 'level' | 'self-level';
  /** Legend over the 差评 reasons. */
  declare reasonsLabel: string;

  constructor() {
    super();
    this.levels = DEFAULT_LEVELS;
    this.reasons = [];
    this.level = null;
    this.chosen = [];
    this.marker = 'level';
    this.reasonsLabel = '请选择不满意的原因（至少一项）';
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; gap: 0.6rem; }
      .levels { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 0.6rem; }
      /* Every level looks the same until the citizen picks one: equally prominent, none preselected. */
      /* One line per level (非常不满意 never wraps): the font shrinks with a narrow screen (长辈模式 portrait). */
      .levels button { min-height: var(--rating-level-height, 4.2rem); font-size: min(var(--rating-level-font, 1.2rem), 2.9vw); font-weight: bold; padding: 0.3rem; line-height: 1.25; white-space: nowrap; }
      fieldset { border: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
      legend { font-size: 1.15rem; font-weight: bold; padding: 0; margin-bottom: 0.5rem; }
      .reasons { display: flex; flex-wrap: wrap; gap: 0.6rem; }
      .reasons button { min-height: 3rem; font-size: 1.1rem; color: var(--text); border-color: var(--line); display: inline-flex; align-items: center; gap: 0.5rem; }
      /* A chosen reason is filled, not only outlined. */
      .reasons button[aria-checked='true'] { border-color: var(--green); background: var(--green); color: #fff; }
      .reasons button[aria-checked='true'] .box { border-color: #fff; }
      .box { flex: none; width: 1.4rem; height: 1.4rem; border: 3px solid var(--blue); border-radius: 0.25rem; display: inline-flex; align-items: center; justify-content: center; font-weight: bold; color: #fff; }
      [aria-checked='true'] .box { background: var(--green); border-color: var(--green); }
    `,
  ];

  #pick(level: string): void {
    this.dispatchEvent(new RatingChangeEvent({ level, reasons: BAD_LEVELS.has(level) ? this.chosen : [] }));
  }

  #toggle(code: string): void {
    const reasons = this.chosen.includes(code) ? this.chosen.filter((c) => c !== code) : [...this.chosen, code];
    this.dispatchEvent(new RatingChangeEvent({ level: this.level, reasons }));
  }

  #levelButton(level: string): TemplateResult {
    const on = this.level === level;
    const part = on ? 'level level-selected' : 'level';
    // Two templates: lit binds attribute values, not attribute names.
    return this.marker === 'self-level'
      ? html`<button type="button" part=${part} data-self-level=${level} aria-pressed=${on ? 'true' : 'false'} @click=${() => this.#pick(level)}>${level}</button>`
      : html`<button type="button" part=${part} data-level=${level} aria-pressed=${on ? 'true' : 'false'} @click=${() => this.#pick(level)}>${level}</button>`;
  }

  protected override render(): TemplateResult {
    const bad = this.level !== null && BAD_LEVELS.has(this.level);
    return html`<div class="levels" role="group" aria-label="满意程度">${this.levels.map((l) => this.#levelButton(l))}</div>
      ${
        bad
          ? html`<fieldset>
            <legend part="reasons-label">${this.reasonsLabel}</legend>
            <div class="reasons" role="group" aria-label="不满意的原因">
              ${this.reasons.map((r) => {
                const on = this.chosen.includes(r.code);
                return html`<button type="button" role="checkbox" part=${on ? 'reason reason-checked' : 'reason'} data-reason=${r.code} aria-checked=${on ? 'true' : 'false'} @click=${() => this.#toggle(r.code)}>
                  <span class="box" aria-hidden="true">${on ? '✓' : ''}</span>${r.name}
                </button>`;
              })}
            </div>
          </fieldset>`
          : nothing
      }`;
  }
}

customElements.define('kiosk-rating', KioskRating);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-rating': KioskRating;
  }
  interface HTMLElementEventMap {
    'rating-change': RatingChangeEvent;
  }
}
