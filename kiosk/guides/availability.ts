/** 办理层级: can this hall handle an item, and if not, which level of hall can. */
import { HALL_LEVELS } from '../../config/guides/schema.ts';
import type { HallLevel } from '../../config/guides/schema.ts';
import type { GuideItem } from './load-guides.ts';

/** How each level is written on screen and paper. */
export const HALL_LEVEL_LABELS: Readonly<Record<HallLevel, string>> = {
  市: '市级',
  县: '县（市、区）级',
  乡镇: '乡镇（街道）',
  村: '村（社区）',
};

export type Availability =
  | {
      readonly handledHere: true;
      readonly hallLevel: HallLevel;
      /** Restriction at this level, e.g. 仅开放基本信息查询. */
      readonly restriction?: string;
      readonly message: string;
    }
  | {
      readonly handledHere: false;
      readonly hallLevel: HallLevel;
      /** The nearest level that handles the item (a higher one when there is one). */
      readonly goTo: HallLevel;
      readonly direction: 'up' | 'down';
      readonly restriction?: string;
      readonly message: string;
    };

/** Rank 0 = 市 (highest) … 3 = 村. */
function rank(level: HallLevel): number {
  return HALL_LEVELS.indexOf(level);
}

export function availability(item: GuideItem, hallLevel: HallLevel): Availability {
  const here = item.hallLevels.find((h) => h.level === hallLevel);
  if (here) {
    return {
      handledHere: true,
      hallLevel,
      ...(here.note ? { restriction: here.note } : {}),
      message: here.note ? `本大厅可以办理（${here.note}）` : '本大厅可以办理',
    };
  }
  const r = rank(hallLevel);
  // Nearest higher level first (a village point sends people up to the township, then the county…).
  const higher = item.hallLevels.filter((h) => rank(h.level) < r).sort((a, b) => rank(b.level) - rank(a.level));
  const lower = item.hallLevels.filter((h) => rank(h.level) > r).sort((a, b) => rank(a.level) - rank(b.level));
  const target = higher[0] ?? lower[0];
  if (!target) {
    // Unreachable with valid data (hallLevels has at least one entry); fail loudly.
    throw new Error(`guide item "${item.id}" lists no hall level`);
  }
  const label = HALL_LEVEL_LABELS[target.level];
  return {
    handledHere: false,
    hallLevel,
    goTo: target.level,
    direction: higher[0] ? 'up' : 'down',
    ...(target.note ? { restriction: target.note } : {}),
    message: `本大厅不能办理此事项，请到${label}医保经办服务机构办理${target.note ? `（${target.note}）` : ''}`,
  };
}
