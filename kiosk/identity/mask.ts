import type { KioskConfig } from '../../config/schema.ts';

/**
 * Masking of names and ID numbers for screens and logs: the one implementation of the product
 * (the session's masked name and number, anything shown to a citizen or clerk). The pattern comes
 * from `privacy.mask` in the configuration.
 */
export type MaskPattern = KioskConfig['privacy']['mask'];

/** The default `privacy.mask`: keep 3 + 4 characters of a number and the surname of a name. */
export const DEFAULT_MASK: MaskPattern = { idKeepStart: 3, idKeepEnd: 4, nameKeepStart: 1, maskChar: '*' };

/** 110***********123X with the default pattern: one mask character per hidden character. */
export function maskIdNumber(idNumber: string, pattern: MaskPattern = DEFAULT_MASK): string {
  const chars = [...idNumber.trim()];
  if (chars.length <= pattern.idKeepStart + pattern.idKeepEnd) return pattern.maskChar.repeat(chars.length);
  return chars.map((c, i) => (i < pattern.idKeepStart || i >= chars.length - pattern.idKeepEnd ? c : pattern.maskChar)).join('');
}

/**
 * Two-character surnames (复姓): with them, "keep the surname" keeps two characters. The common
 * ones of the 百家姓 and of today's registers.
 */
const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '长孙',
  '慕容',
  '令狐',
  '公孙',
  '宇文',
  '司徒',
  '司空',
  '夏侯',
  '轩辕',
  '钟离',
  '闻人',
  '赫连',
  '澹台',
  '端木',
  '南宫',
  '西门',
  '独孤',
  '呼延',
  '万俟',
  '拓跋',
  '百里',
  '东郭',
  '太史',
  '申屠',
  '公冶',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '仲孙',
  '完颜',
  '乐正',
  '左丘',
  '谷梁',
  '第五',
  '巫马',
  '公西',
  '漆雕',
  '公良',
  '段干',
  '羊舌',
  '微生',
  '梁丘',
  '东门',
  '鲜于',
  '闾丘',
  '亓官',
  '司寇',
  '子车',
  '颛孙',
  '宗政',
  '公羊',
  '纳兰',
]);

/** Separators of transliterated ethnic-minority names (买买提·艾力): kept visible, never masked. */
const SEPARATORS: ReadonlySet<string> = new Set(['·', '•', '‧', '・', '.', '．']);

/**
 * 张* · 李** · 欧阳** · 欧阳* · 买**·** with the default pattern: keep `nameKeepStart` characters,
 * widened to the whole surname when the name starts with a 复姓 (a name of at least three
 * characters), mask every other character one for one, keep the separators of ethnic-minority
 * names. A one-character name, or one no longer than what would be kept, is fully masked.
 */
export function maskName(name: string, pattern: MaskPattern = DEFAULT_MASK): string {
  const chars = [...name.trim()];
  const letters = chars.filter((c) => !SEPARATORS.has(c));
  const compound = letters.length > 2 && COMPOUND_SURNAMES.has(letters.slice(0, 2).join(''));
  const keep = pattern.nameKeepStart === 0 ? 0 : Math.max(pattern.nameKeepStart, compound ? 2 : 1);
  const hideAll = letters.length <= keep;
  let seen = 0;
  return chars
    .map((c) => {
      if (SEPARATORS.has(c)) return c;
      seen++;
      return !hideAll && seen <= keep ? c : pattern.maskChar;
    })
    .join('');
}
