/**
 * Text normalisation and pinyin forms used by the guide search index.
 * Pinyin is computed once at load with pinyin-pro (context-aware for polyphones).
 */
import type { pinyin as Pinyin } from 'pinyin-pro';
import { lazyRequire } from '../../drivers/common/lazy-require.ts';

const pinyinPro = lazyRequire<{ pinyin: typeof Pinyin }>('pinyin-pro');

/** NFKC, lower-case, and keep only CJK ideographs, latin letters and digits. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Script=Han}a-z0-9]+/gu, '');
}

export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

export function isLatinQuery(normalized: string): boolean {
  return /^[a-z0-9]+$/.test(normalized);
}

export interface PinyinForms {
  /** Full pinyin without tones or separators: 异地就医 → 'yidijiuyi' (ü written as v). */
  readonly full: string;
  /** Initial letters: 异地就医 → 'ydjy'. */
  readonly initials: string;
  /** Offsets in `full` where a syllable starts (matches must start on one). */
  readonly starts: readonly number[];
}

/** Pinyin forms of already-normalised text. */
export function pinyinForms(normalized: string): PinyinForms {
  if (normalized.length === 0) return { full: '', initials: '', starts: [] };
  const syllables = pinyinPro().pinyin(normalized, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' });
  let full = '';
  let initials = '';
  const starts: number[] = [];
  for (const raw of syllables) {
    const s = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!s) continue;
    starts.push(full.length);
    full += s;
    initials += s[0];
  }
  return { full, initials, starts };
}

/** True when `query` occurs in `forms.full` starting at a syllable boundary. */
export function matchesAtSyllable(forms: PinyinForms, query: string): boolean {
  for (const start of forms.starts) {
    if (start + query.length > forms.full.length) return false;
    if (forms.full.startsWith(query, start)) return true;
  }
  return false;
}
