import { css } from 'lit';

/** A clerk's PC or a small touch screen at the window: large targets, high contrast, no motion. */
export const styles = css`
  :host { display: block; min-height: 100vh; box-sizing: border-box; padding: 12px 16px; color: #1f2933; font-size: 18px; background: #f4f6f8; }
  .bar { display: flex; gap: 16px; align-items: center; border-bottom: 1px solid #d0d7de; padding-bottom: 8px; flex-wrap: wrap; }
  .bar .name { font-size: 26px; font-weight: 700; margin: 0; }
  .state { padding: 2px 10px; border-radius: 6px; font-weight: 600; }
  .state.open { background: #dff3e4; color: #0b6b2f; }
  .state.paused { background: #fff1c2; color: #7a4d00; }
  .state.closed { background: #e4e7eb; color: #3e4c59; }
  .ext { background: #dbeafe; color: #1e3a8a; padding: 2px 10px; border-radius: 6px; }
  .grow { flex: 1; }
  .offline { background: #b42318; color: #fff; padding: 6px 12px; border-radius: 6px; font-weight: 700; }
  .grid { display: grid; grid-template-columns: minmax(420px, 3fr) minmax(320px, 2fr); gap: 16px; margin-top: 12px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 10px; padding: 12px 16px; margin-bottom: 12px; }
  h2 { font-size: 18px; margin: 0 0 8px; color: #52606d; font-weight: 600; }
  .no { font-size: 72px; font-weight: 800; letter-spacing: 2px; line-height: 1.1; }
  .sub { font-size: 20px; color: #3e4c59; }
  .badge { display: inline-block; margin: 4px 6px 0 0; padding: 2px 8px; border-radius: 6px; font-size: 16px; background: #e6f4ea; color: #0b6b2f; border: 1px solid #9bd3ae; }
  .badge.unverified { background: #fff4e5; color: #8a4b00; border-color: #f0b46b; }
  .badge.appointment { background: #e8efff; color: #1e3a8a; border-color: #a5b8f5; }
  .actions { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
  button { font: inherit; font-size: 18px; padding: 12px 8px; border-radius: 8px; border: 1px solid #9aa5b1; background: #fff; cursor: pointer; min-height: 56px; }
  button.primary { background: #1f4e79; border-color: #1f4e79; color: #fff; font-weight: 700; }
  button[disabled] { opacity: 0.45; cursor: default; }
  button .key { display: block; font-size: 13px; opacity: 0.8; }
  .pending { outline: 3px dashed #9a6700; }
  table { border-collapse: collapse; width: 100%; font-size: 16px; }
  td, th { padding: 4px 6px; border-bottom: 1px solid #eef1f4; text-align: left; }
  .alert { display: flex; gap: 8px; align-items: center; padding: 6px 0; border-bottom: 1px solid #eef1f4; }
  .alert .msg { flex: 1; }
  .alert.open .msg { font-weight: 700; color: #b42318; }
  .alert button { min-height: 40px; padding: 4px 12px; }
  .error { color: #b42318; min-height: 24px; }
  .ok { color: #0b6b2f; min-height: 24px; }
  .dialog { position: fixed; inset: 0; background: rgba(15, 23, 42, 0.45); display: flex; align-items: center; justify-content: center; }
  .dialog > div { background: #fff; border-radius: 12px; padding: 16px 20px; width: min(900px, 94vw); max-height: 90vh; overflow: auto; }
  .target { display: block; width: 100%; text-align: left; margin: 4px 0; min-height: 44px; }
  .target .n { display: inline-block; width: 2em; font-weight: 700; }
  input, select { font: inherit; font-size: 18px; padding: 8px; border: 1px solid #9aa5b1; border-radius: 8px; }
  .center { display: flex; flex-direction: column; gap: 12px; align-items: flex-start; max-width: 520px; margin: 40px auto; }
  .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4px 12px; font-size: 16px; }
  .figures b { font-size: 20px; display: block; }
  .muted { color: #52606d; }
`;
