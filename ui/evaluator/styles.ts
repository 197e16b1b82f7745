import { css } from 'lit';

/**
 * All five levels share one size, one colour and one weight (GB/T 39734: no level more prominent,
 * none preselected); the chosen one is filled.
 */
export const styles = css`
  :host { display: block; height: 100vh; box-sizing: border-box; padding: 24px; color: #1f2933; font-size: 20px; }
  .bar { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #d0d7de; padding-bottom: 12px; }
  .bar .counter { font-size: 28px; font-weight: 600; }
  .bar .staff { font-size: 22px; }
  .bar.setup { justify-content: flex-end; border-bottom: none; }
  /* 朗读: a 48 px target like every other control here. */
  .read { font-size: 20px; min-height: 48px; min-width: 96px; padding: 8px 20px; border: 2px solid #1f4e79; border-radius: 10px; background: #ffffff; color: #1f4e79; cursor: pointer; align-self: center; }
  .offline { color: #9a6700; font-size: 16px; }
  .center { display: flex; flex-direction: column; align-items: center; justify-content: center; height: 70vh; gap: 16px; text-align: center; }
  h1 { font-size: 32px; margin: 16px 0 8px; font-weight: 600; }
  .ticket { font-size: 20px; color: #52606d; }
  /* The shared rating element (ui/kiosk-rating.ts) in the evaluator's own look. */
  kiosk-rating { margin: 20px 0; gap: 12px; }
  kiosk-rating::part(level) { font-size: 24px; font-weight: normal; padding: 28px 8px; min-height: 0; line-height: normal; border: 3px solid #c5ced6; border-radius: 12px; background: #ffffff; color: #1f2933; }
  /* The chosen level is filled (not only a darker border); the others stay alike. */
  kiosk-rating::part(level-selected) { border-color: #1f4e79; background: #1f4e79; color: #ffffff; font-weight: 600; }
  kiosk-rating::part(reasons-label) { font-size: 18px; font-weight: normal; color: #52606d; }
  /* Reason toggles: at least 48 px high (WCAG 2.5.5 / 适老化 touch targets), filled when chosen. */
  kiosk-rating::part(reason) { font-size: 20px; min-height: 56px; padding: 8px 16px; }
  kiosk-rating::part(reason-checked) { background: #1d6b34; border-color: #1d6b34; color: #ffffff; }
  kiosk-keypad, kiosk-phrases { margin: 8px 0; font-size: 20px; }
  fieldset { border: 1px solid #d0d7de; border-radius: 8px; margin: 12px 0; padding: 8px 16px; }
  legend { font-size: 18px; color: #52606d; }
  textarea, input[type='tel'], input[type='password'] { font-size: 20px; padding: 8px; width: 100%; box-sizing: border-box; border: 1px solid #c5ced6; border-radius: 8px; }
  .actions { display: flex; justify-content: space-between; align-items: center; margin-top: 16px; }
  .primary { font-size: 24px; padding: 14px 48px; border-radius: 10px; border: none; background: #1f4e79; color: #fff; cursor: pointer; }
  .primary[disabled] { background: #9aa5b1; cursor: default; }
  .error { color: #b42318; font-size: 20px; min-height: 28px; }
  .countdown { color: #52606d; font-size: 18px; }
  .hint { color: #52606d; font-size: 18px; }
`;
