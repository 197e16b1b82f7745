import { css } from 'lit';

/**
 * Large, plain and high-contrast: used standing at the kiosk's touch screen or from a laptop over
 * SSH port forwarding. Every control is a native button or input, so Tab reaches all of them.
 */
export const styles = css`
  :host { display: block; box-sizing: border-box; min-height: 100vh; color: #1a1a1a; font-size: 20px; line-height: 1.45; }
  *, *::before, *::after { box-sizing: border-box; }
  h1, h2, h3, p { margin: 0; }
  header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; background: #0b4f9c; color: #fff; }
  header h1 { flex: 1; font-size: 28px; }
  header .updated { font-size: 16px; }
  main { padding: 20px 24px 40px; display: flex; flex-direction: column; gap: 24px; }
  section > h2 { font-size: 24px; margin-bottom: 12px; }
  button {
    font: inherit; font-size: 20px; min-height: 52px; min-width: 52px; padding: 8px 20px; border-radius: 8px;
    border: 2px solid #0b4f9c; background: #fff; color: #0b4f9c; cursor: pointer;
  }
  button.primary { background: #0b4f9c; color: #fff; }
  header button { border-color: #fff; background: transparent; color: #fff; }
  button:disabled { border-color: #767676; color: #595959; background: #e4e4e4; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 4px solid #f2a900; outline-offset: 2px; }
  input, select { font: inherit; font-size: 20px; min-height: 52px; padding: 6px 10px; border: 2px solid #8796a8; border-radius: 8px; background: #fff; color: #1a1a1a; }
  label { display: flex; flex-direction: column; gap: 6px; font-weight: bold; }
  .login { max-width: 520px; margin: 10vh auto 0; background: #fff; border: 1px solid #b8c4d2; border-radius: 12px; padding: 32px; display: flex; flex-direction: column; gap: 18px; }
  .login h1 { font-size: 30px; }
  .hint { color: #444; font-size: 18px; }
  .ops { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; font-size: 18px; }
  .ops dt { font-weight: bold; }
  .ops dd { margin: 0; }
  .error { background: #fde8e8; color: #a61b1b; border: 2px solid #a61b1b; border-radius: 8px; padding: 10px 14px; font-weight: bold; }
  .ok { background: #e5f4ea; color: #1d6b34; border: 2px solid #1d6b34; border-radius: 8px; padding: 10px 14px; font-weight: bold; }
  .warn { background: #fff3cd; color: #5a3a00; border: 2px solid #c99700; border-radius: 8px; padding: 10px 14px; }
  .devices { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
  .device, .sim, .receipt { background: #fff; border: 1px solid #b8c4d2; border-radius: 12px; padding: 18px; display: flex; flex-direction: column; gap: 12px; }
  .device h3, .sim h3 { font-size: 24px; }
  .state { display: inline-block; font-size: 26px; font-weight: bold; padding: 2px 16px; border-radius: 8px; color: #fff; align-self: flex-start; }
  .state.ready { background: #1d6b34; }
  .state.busy { background: #0b4f9c; }
  .state.fault { background: #a61b1b; }
  .state.disconnected { background: #5a3a00; }
  .state.off, .state.unknown { background: #595959; }
  .detail { font-size: 20px; min-height: 1.45em; }
  .sims { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
  .sim .facts { color: #444; font-size: 18px; }
  .actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
  .param { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; padding: 10px; border: 1px dashed #b8c4d2; border-radius: 8px; }
  .param label { font-size: 18px; }
  .receipt { flex-direction: row; flex-wrap: wrap; align-items: flex-start; gap: 24px; }
  .receipt figure { margin: 0; background: #f7f7f7; border: 1px solid #b8c4d2; padding: 8px; }
  .receipt img { display: block; max-width: 100%; width: 420px; height: auto; image-rendering: pixelated; }
  .receipt pre { margin: 0; flex: 1; min-width: 320px; font-size: 16px; line-height: 1.35; white-space: pre; overflow-x: auto; background: #f7f7f7; border: 1px solid #b8c4d2; padding: 12px; font-family: "WenQuanYi Micro Hei Mono", "Noto Sans Mono CJK SC", monospace; }
`;
