import { css } from 'lit';

/**
 * A hall screen read from ten metres and more: white and yellow on near-black, sizes in vmin so
 * the same page fills a 1920×1080 landscape screen and a 1080×1920 portrait one.
 */
export const styles = css`
  :host {
    display: grid;
    box-sizing: border-box;
    width: 100vw;
    height: 100vh;
    overflow: hidden;
    padding: 1.6vmin 2vmin;
    gap: 1.6vmin;
    background: #05080f;
    color: #ffffff;
    font-size: 3.4vmin;
    line-height: 1.25;
    font-variant-numeric: tabular-nums;
    grid-template-columns: 1.45fr 1fr;
    grid-template-rows: auto auto minmax(0, 1.25fr) minmax(0, 1fr);
    grid-template-areas: 'header header' 'banner banner' 'call side' 'recent side';
  }
  @media (orientation: portrait) {
    :host {
      grid-template-columns: 1fr;
      grid-template-rows: auto auto minmax(0, 1.3fr) minmax(0, 1fr) auto;
      grid-template-areas: 'header' 'banner' 'call' 'recent' 'side';
    }
  }
  header { grid-area: header; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5vmin 2vmin; border-bottom: 0.3vmin solid #2c3a52; padding-bottom: 1vmin; }
  .hall { font-size: 4.4vmin; font-weight: 700; letter-spacing: 0.1em; }
  .clock { font-size: 4vmin; white-space: nowrap; margin-left: auto; }
  .clock .time { font-weight: 700; margin-left: 1.5vmin; color: #ffd500; }
  .banner { grid-area: banner; min-height: 0; }
  .banner p { margin: 0; padding: 1vmin 2vmin; border-radius: 1vmin; font-size: 4vmin; font-weight: 700; text-align: center; }
  .offline { background: #b00020; color: #ffffff; }
  .notice { background: #3b2f00; color: #ffe680; font-size: 3vmin !important; }
  section { min-height: 0; border: 0.3vmin solid #2c3a52; border-radius: 1.4vmin; background: #0c1424; padding: 1.4vmin 2vmin; overflow: hidden; }
  h2 { margin: 0 0 1vmin; font-size: 3.4vmin; color: #9fb3d1; font-weight: 600; letter-spacing: 0.2em; }
  .dim { opacity: 0.45; }

  .call { grid-area: call; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; gap: 1vmin; }
  .call > div { box-sizing: border-box; width: 100%; height: 100%; display: flex; flex-direction: column; justify-content: center; align-items: center; gap: 1vmin; border-radius: 1vmin; border: 0.4vmin solid transparent; }
  .call .line1 { font-size: 7vmin; font-weight: 700; }
  .call .no { font-size: 17vmin; line-height: 1; color: #ffd500; margin: 0 2vmin; letter-spacing: 0.04em; }
  .call .line2 { font-size: 7vmin; font-weight: 700; }
  .call .counter { color: #5cf08a; }
  .call .welcome { font-size: 8vmin; font-weight: 700; color: #ffd500; }
  .call .hint { font-size: 4.4vmin; color: #d6e2f5; }
  .badge { display: inline-block; font-size: 3.6vmin; padding: 0.3vmin 2vmin; border-radius: 1vmin; background: #ffd500; color: #05080f; font-weight: 700; }
  .flash { animation: flash 0.9s ease-in-out 4; }
  @keyframes flash {
    0%, 100% { background: #0c1424; border-color: transparent; }
    50% { background: #6b1200; border-color: #ffd500; }
  }

  .recent { grid-area: recent; }
  .recent ol { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: repeat(4, minmax(0, 1fr)); grid-auto-flow: column; gap: 0.4vmin 3vmin; height: calc(100% - 5.5vmin); }
  .recent li { display: flex; align-items: center; gap: 2vmin; font-size: 4.6vmin; font-weight: 600; white-space: nowrap; overflow: hidden; border-bottom: 0.2vmin solid #1e2a3f; }
  .recent li .rno { color: #ffd500; font-weight: 700; min-width: 4.2em; }
  .recent li:first-child { color: #5cf08a; }
  .recent .empty, .side .empty { color: #9fb3d1; font-size: 3.4vmin; }

  .side { grid-area: side; display: flex; flex-direction: column; gap: 1.6vmin; padding: 0; border: none; background: none; }
  .side > div { flex: 1 1 auto; min-height: 0; border: 0.3vmin solid #2c3a52; border-radius: 1.4vmin; background: #0c1424; padding: 1.4vmin 2vmin; overflow: hidden; }
  table { width: 100%; border-collapse: collapse; }
  td { padding: 0.5vmin 0; border-bottom: 0.2vmin solid #1e2a3f; font-size: 3.6vmin; white-space: nowrap; }
  td.n { text-align: right; font-weight: 700; color: #ffd500; font-size: 4.2vmin; }
  td.unit { width: 1.5em; padding-left: 0.6vmin; color: #9fb3d1; font-size: 3vmin; }
  .prefix { display: inline-block; min-width: 1.6em; color: #9fb3d1; }
  .counters { display: grid; grid-template-columns: 1fr; gap: 0.6vmin 3vmin; }
  .counters.many { grid-template-columns: 1fr 1fr; }
  .counters.many .row { font-size: 2.8vmin; }
  .counters .row { display: flex; justify-content: space-between; align-items: center; gap: 1vmin; font-size: 3.3vmin; border-bottom: 0.2vmin solid #1e2a3f; padding: 0.3vmin 0; white-space: nowrap; }
  .state { font-size: 2.9vmin; padding: 0.1vmin 1.2vmin; border-radius: 0.8vmin; font-weight: 700; }
  .state.open { background: #0f5132; color: #d1fadf; }
  .state.paused { background: #7a4d00; color: #fff3c4; }
  .state.closed { background: #2c3a52; color: #c5d0e0; }
  .cur { color: #ffd500; font-weight: 700; min-width: 4.5em; text-align: right; }

  .setup { grid-column: 1 / -1; grid-row: 3 / -1; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; gap: 3vmin; }
  .setup p { margin: 0; font-size: 4.4vmin; max-width: 80vw; }
  .setup code { color: #ffd500; }
`;
