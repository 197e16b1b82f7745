/**
 * Accessibility and layout checks for the browser tests: axe-core run inside the page (it walks
 * open shadow roots) and a geometry check that nothing is clipped by the viewport and no
 * interactive element covers another. Both fail the test with the offending nodes listed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { IN_PAGE } from './browser.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Rules switched off everywhere, each with its reason. Keep this list short: a rule is disabled
 * only where the product deliberately does what it flags.
 */
export const DISABLED_AXE_RULES: Readonly<Record<string, string>> = {
  // None. Every rule of axe-core 4.x runs on every page. The kiosk blocks pinch zoom with CSS
  // (`touch-action: pan-x pan-y` on html) instead of `user-scalable=no`, so meta-viewport passes.
  // A rule added here needs its reason and a line in the README's accessibility section.
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the current page and returns the violations (empty = pass). */
export async function axeViolations(page: Page, disabled: readonly string[] = Object.keys(DISABLED_AXE_RULES)): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  // The daemon's CSP refuses inline <script> (addScriptTag); a CDP evaluation is not subject to it.
  if (!loaded) await page.evaluate(`${readFileSync(AXE_PATH, 'utf8')}\n;void 0`);
  const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
  return page.evaluate(`(async () => {
    const r = await window.axe.run(document, { rules: ${JSON.stringify(rules)}, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 8).map((n) => n.target.join(' >> ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')) }));
  })()`);
}

export interface LayoutProblem {
  kind: 'outside-viewport' | 'overlap' | 'clipped-text';
  what: string;
}

/**
 * Every visible element inside the viewport (horizontally always; vertically only for elements
 * not inside a scrolling container, i.e. fixed chrome such as header and footer), and no two
 * visible interactive elements (buttons, inputs, links, [role=checkbox]) overlapping. Also flags
 * buttons whose text is cut off (scrollWidth > clientWidth with overflow hidden).
 */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(`(() => { ${IN_PAGE};
    const vw = window.innerWidth, vh = window.innerHeight;
    const problems = [];
    const name = (el) => {
      const t = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
      const data = [...el.attributes].filter((a) => a.name.startsWith('data-')).map((a) => a.name + (a.value ? '=' + a.value : '')).join(' ');
      return el.tagName.toLowerCase() + (data ? '[' + data + ']' : '') + (t ? ' "' + t + '"' : '');
    };
    const visible = (el, r) => {
      if (r.width < 1 || r.height < 1) return false;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
      if (el.closest('.sr-only, [aria-hidden="true"]')) return false;
      return true;
    };
    /** Nearest ancestor (through shadow hosts) that scrolls, or null. */
    const scroller = (el) => {
      for (let n = el.parentElement ?? el.getRootNode().host; n; n = n.parentElement ?? (n.getRootNode && n.getRootNode().host)) {
        const s = getComputedStyle(n);
        if (/(auto|scroll)/.test(s.overflowY) && n.scrollHeight > n.clientHeight) return n;
        if (n === document.documentElement) break;
      }
      return null;
    };
    const all = deepAll().filter((el) => !['SCRIPT', 'STYLE', 'HTML', 'HEAD', 'BODY', 'svg', 'path', 'rect'].includes(el.tagName) && !(el instanceof SVGElement && el.tagName !== 'svg'));
    const interactive = [];
    for (const el of all) {
      const r = el.getBoundingClientRect();
      if (!visible(el, r)) continue;
      if (el.closest('input.wedge') || el.classList.contains('wedge')) continue;
      const sc = scroller(el);
      const box = sc ? sc.getBoundingClientRect() : { left: 0, top: 0, right: vw, bottom: vh };
      const tol = 1;
      if (r.left < -tol || r.right > vw + tol) problems.push({ kind: 'outside-viewport', what: name(el) + ' x ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw });
      else if (!sc && (r.top < -tol || r.bottom > vh + tol)) problems.push({ kind: 'outside-viewport', what: name(el) + ' y ' + Math.round(r.top) + '..' + Math.round(r.bottom) + ' of ' + vh });
      if (el.matches('button, input:not([type=hidden]), textarea, select, a[href], [role=checkbox], [role=button]')) {
        // A control partly scrolled out of its container counts only for its part on screen.
        const c = sc ? { left: Math.max(r.left, box.left), top: Math.max(r.top, box.top), right: Math.min(r.right, box.right), bottom: Math.min(r.bottom, box.bottom) } : r;
        if (c.right - c.left > 1 && c.bottom - c.top > 1) interactive.push({ el, r: { left: c.left, top: c.top, right: c.right, bottom: c.bottom, width: c.right - c.left, height: c.bottom - c.top }, sc });
        if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflowX !== 'visible') problems.push({ kind: 'clipped-text', what: name(el) });
      }
    }
    for (let i = 0; i < interactive.length; i++) {
      for (let j = i + 1; j < interactive.length; j++) {
        const a = interactive[i], b = interactive[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 1 && h > 1) problems.push({ kind: 'overlap', what: name(a.el) + ' × ' + name(b.el) });
      }
    }
    // Something fixed or sticky covering an interactive element (footer over 完成, sticky bars).
    for (const { el, r } of interactive) {
      const x = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
      if (r.top + r.height / 2 < 0 || r.top + r.height / 2 >= vh) continue; // scrolled out of view
      let hit = document.elementFromPoint(x, y);
      while (hit && hit.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(x, y);
        if (!inner || inner === hit) break;
        hit = inner;
      }
      if (!hit) continue;
      const inside = (n) => { for (let p = n; p; p = p.parentElement ?? (p.getRootNode && p.getRootNode().host)) if (p === el) return true; return false; };
      const overlay = (n) => { for (let p = n; p; p = p.parentElement ?? (p.getRootNode && p.getRootNode().host)) if (p.getAttribute && p.getAttribute('aria-modal') === 'true') return true; return false; };
      if (!inside(hit) && !overlay(hit) && !el.contains(hit)) problems.push({ kind: 'overlap', what: name(el) + ' covered by ' + name(hit) });
    }
    return problems;
  })()`);
}

/** Fails the test on any axe violation or layout problem on the current page. */
export async function expectAccessible(page: Page, where: string, options: { disabled?: readonly string[]; layout?: boolean } = {}): Promise<void> {
  const violations = await axeViolations(page, options.disabled);
  expect(violations, `axe-core on ${where}`).toEqual([]);
  if (options.layout !== false) expect(await layoutProblems(page), `layout on ${where}`).toEqual([]);
}
