import { css } from 'lit';

/**
 * The product font, Noto Sans SC, served by the daemon (server/ui.ts, drivers/common/fonts.ts),
 * so every screen renders the same with or without system fonts. Chromium ignores @font-face
 * inside shadow roots, so the rules are adopted by the document once, when this module loads.
 */
export const productFont = css`
  @font-face { font-family: 'Noto Sans SC'; font-weight: 400; font-display: block; src: url('/fonts/noto-sans-sc-400.ttf') format('truetype'); }
  @font-face { font-family: 'Noto Sans SC'; font-weight: 700; font-display: block; src: url('/fonts/noto-sans-sc-700.ttf') format('truetype'); }
  html, body { font-family: 'Noto Sans SC', sans-serif; }
`;
if (typeof document !== 'undefined' && productFont.styleSheet) {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, productFont.styleSheet];
}

/**
 * Shared look. Every size is in rem so 长辈模式 (html.elder: 36px instead of 24px) scales text and
 * touch targets together by 1.5×. Colours keep ≥ 4.5:1 contrast against their backgrounds.
 */
export const shared = css`
  :host {
    box-sizing: border-box;
    --blue: #0b4f9c; /* 8.3:1 with white */
    --blue-light: #e6effa;
    --green: #1d6b34; /* 6.6:1 with white */
    --green-light: #e5f4ea;
    --red: #a61b1b; /* 7.4:1 with white */
    --amber-bg: #fff3cd;
    --amber-fg: #5a3a00; /* 9.9:1 on amber-bg */
    --text: #1a1a1a;
    --muted: #444; /* 9.7:1 on white */
    --line: #b8c4d2;
    --card: #fff;
  }
  *, *::before, *::after { box-sizing: inherit; }
  h1, h2, h3, p { margin: 0; }
  h2 { font-size: 1.4rem; }
  button {
    font: inherit;
    min-height: 2.75rem;
    min-width: 2.75rem;
    padding: 0.35rem 0.9rem;
    border-radius: 0.4rem;
    border: 2px solid var(--blue);
    background: var(--card);
    color: var(--blue);
    cursor: pointer;
    touch-action: manipulation;
  }
  button.primary { background: var(--blue); color: #fff; }
  button.green { background: var(--green); border-color: var(--green); color: #fff; }
  button[aria-pressed='true'] { background: var(--blue); color: #fff; }
  button:disabled { border-color: #767676; color: #595959; background: #eee; cursor: not-allowed; }
  button:focus-visible, input:focus-visible { outline: 0.2rem solid #f2a900; outline-offset: 0.1rem; }
  button:active:not(:disabled) { transform: translateY(1px); filter: brightness(0.92); }
  input[type='search'], input[type='text'] {
    font: inherit;
    min-height: 2.75rem;
    padding: 0.3rem 0.6rem;
    border: 2px solid var(--line);
    border-radius: 0.4rem;
    background: #fff;
    color: var(--text);
    width: 100%;
  }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.8rem 1rem; }
  .prompt { font-size: 1.3rem; font-weight: bold; }
  .muted { color: var(--muted); }
  .error { background: #fde8e8; color: var(--red); border: 2px solid var(--red); border-radius: 0.4rem; padding: 0.5rem 0.8rem; font-weight: bold; }
  .warn { background: var(--amber-bg); color: var(--amber-fg); border: 2px solid #c99700; border-radius: 0.4rem; padding: 0.5rem 0.8rem; }
  .ok { background: var(--green-light); color: var(--green); border: 2px solid var(--green); border-radius: 0.4rem; padding: 0.5rem 0.8rem; }
  .badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 0.3rem; font-size: 0.8rem; font-weight: bold; }
  .badge.green { background: var(--green); color: #fff; }
  .badge.blue { background: var(--blue); color: #fff; }
  .badge.grey { background: #595959; color: #fff; }
  .row { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
  .stack { display: flex; flex-direction: column; gap: 0.8rem; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
