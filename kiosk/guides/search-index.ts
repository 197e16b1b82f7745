/**
 * In-memory search over guide items: Chinese substrings and synonyms, full pinyin,
 * pinyin initials, and suggestions (popular items, closest pinyin by edit distance)
 * when nothing matches. Everything the query is compared with is precomputed here.
 */
import type { GuideItem } from './load-guides.ts';
import { expandSynonyms, SEARCH_SYNONYMS, type SynonymTable } from './synonyms.ts';
import { prefixEditDistance } from './edit-distance.ts';
import { isLatinQuery, matchesAtSyllable, normalizeText, pinyinForms } from './text-forms.ts';
import type { PinyinForms } from './text-forms.ts';

/** What a hit matched on; the score order follows this list (best first). */
export type MatchKind =
  | 'name-exact'
  | 'name-prefix'
  | 'name-contains'
  | 'pinyin-name'
  | 'initials-name'
  | 'keyword'
  | 'synonym'
  | 'main-item'
  | 'pinyin-keyword'
  | 'initials-keyword'
  | 'category'
  | 'tokens'
  | 'homophone'
  | 'material';

export interface SearchHit {
  readonly item: GuideItem;
  readonly score: number;
  readonly match: MatchKind;
  /** The indexed text that matched (name, keyword, material name…). */
  readonly matchedText: string;
}

export interface Suggestion {
  readonly item: GuideItem;
  /** Edit distance between the query's pinyin and the closest pinyin of the item. */
  readonly distance: number;
  readonly matchedText: string;
}

export interface SearchResult {
  readonly query: string;
  readonly hits: readonly SearchHit[];
  /** Filled only when there are no hits. */
  readonly suggestions: {
    readonly closest: readonly Suggestion[];
    readonly popular: readonly GuideItem[];
  };
}

export interface SearchOptions {
  /** Maximum hits returned (default 20). */
  readonly limit?: number;
  /** Optional filter applied before ranking. */
  readonly filter?: (item: GuideItem) => boolean;
}

interface IndexedText {
  readonly text: string;
  readonly norm: string;
  readonly py: PinyinForms;
}

interface IndexedItem {
  readonly item: GuideItem;
  readonly name: IndexedText;
  readonly mainItem: IndexedText | undefined;
  readonly keywords: readonly IndexedText[];
  readonly pinyinKeywords: readonly string[];
  readonly category: IndexedText | undefined;
  readonly materials: readonly IndexedText[];
  /** Name + main item + keywords, for multi-token queries. */
  readonly haystack: string;
}

const SCORE: Readonly<Record<MatchKind, number>> = {
  'name-exact': 1000,
  'name-prefix': 900,
  'name-contains': 800,
  'pinyin-name': 780,
  'initials-name': 760,
  keyword: 700,
  synonym: 640,
  'main-item': 620,
  'pinyin-keyword': 600,
  'initials-keyword': 580,
  category: 500,
  tokens: 450,
  homophone: 350,
  material: 300,
};

function indexText(text: string): IndexedText {
  const norm = normalizeText(text);
  return { text, norm, py: pinyinForms(norm) };
}

interface Candidate {
  score: number;
  match: MatchKind;
  matchedText: string;
}

export class GuideSearchIndex {
  readonly #entries: readonly IndexedItem[];
  readonly #popular: readonly GuideItem[];
  readonly #synonyms: SynonymTable;

  constructor(items: readonly GuideItem[], categoryNames: ReadonlyMap<string, string>, synonyms: SynonymTable = SEARCH_SYNONYMS) {
    this.#synonyms = synonyms;
    this.#entries = items.map((item) => {
      const name = indexText(item.name);
      const mainItem = item.mainItemName ? indexText(item.mainItemName) : undefined;
      const keywords = item.keywords.map(indexText);
      const categoryName = categoryNames.get(item.category);
      return {
        item,
        name,
        mainItem,
        keywords,
        pinyinKeywords: (item.pinyinKeywords ?? []).map((p) => p.toLowerCase()),
        category: categoryName ? indexText(categoryName) : undefined,
        materials: item.materials.map((m) => indexText(m.name)),
        haystack: [name.norm, mainItem?.norm ?? '', ...keywords.map((k) => k.norm)].join('|'),
      };
    });
    this.#popular = [...items].sort(byPopularity);
  }

  popular(n = 5): GuideItem[] {
    return this.#popular.slice(0, n);
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const limit = options.limit ?? 20;
    const q = normalizeText(query);
    const entries = options.filter ? this.#entries.filter((e) => options.filter?.(e.item)) : this.#entries;
    if (q.length === 0) {
      return { query, hits: [], suggestions: { closest: [], popular: this.#popularFrom(entries, [], 5) } };
    }
    const latin = isLatinQuery(q);
    const tokens = query
      .normalize('NFKC')
      .toLowerCase()
      .split(/[\s,，、;；/]+/u)
      .map(normalizeText)
      .filter((t) => t.length > 0);
    const synonyms = latin ? [] : expandSynonyms(q, this.#synonyms);
    const qPinyin = latin ? undefined : pinyinForms(q).full;

    const hits: SearchHit[] = [];
    for (const e of entries) {
      const best = latin ? matchLatin(e, q) : matchChinese(e, q, tokens, synonyms, qPinyin);
      if (best) hits.push({ item: e.item, score: best.score, match: best.match, matchedText: best.matchedText });
    }
    hits.sort((a, b) => b.score - a.score || byPopularity(a.item, b.item));
    if (hits.length > 0) {
      return { query, hits: hits.slice(0, limit), suggestions: { closest: [], popular: [] } };
    }
    const closest = closestByPinyin(entries, latin ? q : (qPinyin ?? ''));
    return {
      query,
      hits: [],
      suggestions: {
        closest,
        popular: this.#popularFrom(
          entries,
          closest.map((s) => s.item),
          5,
        ),
      },
    };
  }

  #popularFrom(entries: readonly IndexedItem[], exclude: readonly GuideItem[], n: number): GuideItem[] {
    const allowed = new Set(entries.map((e) => e.item));
    const skip = new Set(exclude);
    return this.#popular.filter((i) => allowed.has(i) && !skip.has(i)).slice(0, n);
  }
}

/** Most popular first; ties: shorter name, then id. */
export function byPopularity(a: GuideItem, b: GuideItem): number {
  return b.popularity - a.popularity || a.name.length - b.name.length || (a.id < b.id ? -1 : 1);
}

function better(current: Candidate | undefined, match: MatchKind, matchedText: string, bonus = 0): Candidate {
  const score = SCORE[match] + bonus;
  return current && current.score >= score ? current : { score, match, matchedText };
}

function matchChinese(e: IndexedItem, q: string, tokens: readonly string[], synonyms: readonly string[], qPinyin: string | undefined): Candidate | undefined {
  let best: Candidate | undefined;
  const name = e.name.norm;
  if (name === q) return better(best, 'name-exact', e.item.name);
  if (name.startsWith(q)) best = better(best, 'name-prefix', e.item.name);
  else if (name.includes(q)) best = better(best, 'name-contains', e.item.name);
  if (best) return best;

  for (const k of e.keywords) {
    if (k.norm === q) best = better(best, 'keyword', k.text, 20);
    else if (k.norm.includes(q)) best = better(best, 'keyword', k.text, 10);
    else if (q.length >= 2 && q.includes(k.norm) && k.norm.length >= 2) best = better(best, 'keyword', k.text);
  }
  for (const s of synonyms) {
    if (name.includes(s)) best = better(best, 'synonym', e.item.name, 10);
    for (const k of e.keywords) if (k.norm.includes(s)) best = better(best, 'synonym', k.text);
  }
  if (e.mainItem?.norm.includes(q)) best = better(best, 'main-item', e.mainItem.text);
  if (e.category?.norm.includes(q)) best = better(best, 'category', e.category.text);
  if (tokens.length > 1 && tokens.every((t) => e.haystack.includes(t))) best = better(best, 'tokens', e.item.name);
  if (best) return best;

  // Homophone typos (义地就医 → 异地就医): compare pinyin.
  if (qPinyin && qPinyin.length >= 4) {
    if (matchesAtSyllable(e.name.py, qPinyin)) return better(best, 'homophone', e.item.name, 20);
    for (const k of e.keywords) if (matchesAtSyllable(k.py, qPinyin)) return better(best, 'homophone', k.text);
  }
  for (const m of e.materials) {
    if (q.length >= 2 && m.norm.includes(q)) return better(best, 'material', m.text);
  }
  return best;
}

function matchLatin(e: IndexedItem, q: string): Candidate | undefined {
  let best: Candidate | undefined;
  const n = e.name.py;
  if (n.full === q) best = better(best, 'pinyin-name', e.item.name, 20);
  else if (n.full.startsWith(q) && q.length >= 2) best = better(best, 'pinyin-name', e.item.name, 10);
  else if (q.length >= 4 && matchesAtSyllable(n, q)) best = better(best, 'pinyin-name', e.item.name);
  if (best) return best;
  if (n.initials === q) best = better(best, 'initials-name', e.item.name, 20);
  else if (q.length >= 2 && n.initials.startsWith(q)) best = better(best, 'initials-name', e.item.name, 10);
  else if (q.length >= 3 && n.initials.includes(q)) best = better(best, 'initials-name', e.item.name);
  if (best) return best;

  for (const k of e.keywords) {
    if (k.py.full === q) best = better(best, 'pinyin-keyword', k.text, 20);
    else if (q.length >= 2 && k.py.full.startsWith(q)) best = better(best, 'pinyin-keyword', k.text, 10);
    else if (q.length >= 4 && matchesAtSyllable(k.py, q)) best = better(best, 'pinyin-keyword', k.text);
    if (k.py.initials === q) best = better(best, 'initials-keyword', k.text, 20);
    else if (q.length >= 2 && k.py.initials.startsWith(q)) best = better(best, 'initials-keyword', k.text, 10);
  }
  for (const p of e.pinyinKeywords) {
    if (p === q || (q.length >= 2 && p.startsWith(q))) best = better(best, 'pinyin-keyword', p, 15);
  }
  if (e.mainItem && q.length >= 3) {
    if (matchesAtSyllable(e.mainItem.py, q) || e.mainItem.py.initials.includes(q)) {
      best = better(best, 'main-item', e.mainItem.text);
    }
  }
  if (e.category && q.length >= 2) {
    if (e.category.py.full.startsWith(q) || e.category.py.initials.startsWith(q)) {
      best = better(best, 'category', e.category.text);
    }
  }
  if (best) return best;
  if (q.length >= 4) {
    for (const m of e.materials) if (matchesAtSyllable(m.py, q)) return better(best, 'material', m.text);
  }
  return best;
}

/** Items whose name or keyword pinyin is within a small edit distance of the query. */
function closestByPinyin(entries: readonly IndexedItem[], q: string, n = 5): Suggestion[] {
  if (q.length < 2) return [];
  const limit = q.length <= 3 ? 1 : q.length <= 7 ? 2 : 3;
  const found: Suggestion[] = [];
  for (const e of entries) {
    let best: { distance: number; text: string } | undefined;
    const consider = (candidate: string, text: string): void => {
      if (!candidate) return;
      const d = prefixEditDistance(q, candidate, limit);
      if (d <= limit && (!best || d < best.distance)) best = { distance: d, text };
    };
    consider(e.name.py.full, e.item.name);
    for (const k of e.keywords) consider(k.py.full, k.text);
    for (const p of e.pinyinKeywords) consider(p, p);
    if (q.length <= 6) {
      consider(e.name.py.initials, e.item.name);
      for (const k of e.keywords) consider(k.py.initials, k.text);
    }
    if (best) found.push({ item: e.item, distance: best.distance, matchedText: best.text });
  }
  found.sort((a, b) => a.distance - b.distance || byPopularity(a.item, b.item));
  return found.slice(0, n);
}
