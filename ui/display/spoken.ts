/**
 * What the display shows and says for a call. Spoken digit by digit ("A 零 一 二"), the counter as
 * a number ("十二 号窗口"), so a voice never reads "A012" as "A twelve" and never drops the counter.
 */

const DIGITS = '零一二三四五六七八九';

/** "A012" → "A 零 一 二". */
export function spokenTicket(displayNo: string): string {
  return [...displayNo].map((ch) => (ch >= '0' && ch <= '9' ? DIGITS[Number(ch)] : ch.toUpperCase())).join(' ');
}

/** 3 → "三", 10 → "十", 12 → "十二", 25 → "二十五"; beyond 99 digit by digit. */
export function spokenCounter(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n < 10) return DIGITS[n]!;
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
  }
  return [...String(n)].map((d) => DIGITS[Number(d)]).join('');
}

/** The announcement: "请 A 零 一 二 号 到 三 号窗口办理". */
export function spokenCall(displayNo: string, counterNo: number): string {
  return `请 ${spokenTicket(displayNo)} 号 到 ${spokenCounter(counterNo)} 号窗口办理`;
}

/** The line on screen: "请 A012 号 到 3号窗口（综合）办理". */
export function shownCall(displayNo: string, counterName: string): string {
  return `请 ${displayNo} 号 到 ${counterName} 办理`;
}
