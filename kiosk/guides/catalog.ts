/** The guide catalogue the kiosk works with: browse, look up, search, availability. */
import type { Audience, Category, HallLevel } from '../../config/guides/schema.ts';
import { availability } from './availability.ts';
import type { Availability } from './availability.ts';
import { defaultGuidesDir, loadGuides } from './load-guides.ts';
import type { GuideData, GuideItem } from './load-guides.ts';
import { GuideSearchIndex, byPopularity } from './search-index.ts';
import { SEARCH_SYNONYMS, type SynonymTable } from './synonyms.ts';
import type { SearchResult } from './search-index.ts';

export interface CategorySummary extends Category {
  readonly count: number;
}

export interface BrowseFilter {
  readonly category?: string;
  readonly audience?: Audience;
  /** Only items this hall level can handle itself. */
  readonly hallLevel?: HallLevel;
}

export interface CatalogSearchOptions extends BrowseFilter {
  readonly limit?: number;
}

export class GuideCatalog {
  #items: readonly GuideItem[] = [];
  #categories: readonly Category[] = [];
  #byId: ReadonlyMap<string, GuideItem> = new Map();
  #byCode: ReadonlyMap<string, GuideItem> = new Map();
  #labels: ReadonlyMap<string, string> = new Map();
  #synonyms: SynonymTable = SEARCH_SYNONYMS;
  #templates: readonly string[] = [];
  /** Built on the first search: the pinyin forms of every item take a while and most of a day's
   *  citizens never search, so start-up does not pay for them. */
  #index: GuideSearchIndex | undefined;

  constructor(data: GuideData, synonyms: SynonymTable = SEARCH_SYNONYMS) {
    this.replace(data, synonyms);
  }

  /** Loads and validates the data in `dir` (default config/guides) and builds the index. */
  static fromDir(dir: string = defaultGuidesDir()): GuideCatalog {
    return new GuideCatalog(loadGuides(dir));
  }

  /**
   * Swaps in new data (the console's edits, kiosk/guides/local-guides.ts): every reader holds this
   * one catalogue, so the kiosk's next request sees the change without a restart. The search
   * index is rebuilt on the next search.
   */
  replace(data: GuideData, synonyms: SynonymTable = this.#synonyms): void {
    this.#items = data.items;
    this.#categories = data.categories;
    this.#byId = new Map(data.items.map((i) => [i.id, i]));
    this.#byCode = new Map(data.items.map((i) => [i.code, i]));
    this.#labels = new Map(data.categories.map((c) => [c.id, c.name]));
    this.#synonyms = synonyms;
    this.#templates = data.processTemplates ?? [];
    this.#index = undefined;
  }

  /** The synonym table the search uses (shipped, or the hall's edited one). */
  get synonyms(): SynonymTable {
    return this.#synonyms;
  }

  get categoryList(): readonly Category[] {
    return this.#categories;
  }

  get processTemplates(): readonly string[] {
    return this.#templates;
  }

  get items(): readonly GuideItem[] {
    return this.#items;
  }

  /** Categories in display order, with item counts. */
  categories(filter: Omit<BrowseFilter, 'category'> = {}): CategorySummary[] {
    const items = this.browse(filter);
    return this.#categories.map((c) => ({ ...c, count: items.filter((i) => i.category === c.id).length }));
  }

  get(id: string): GuideItem | undefined {
    return this.#byId.get(id);
  }

  byCode(code: string): GuideItem | undefined {
    return this.#byCode.get(code);
  }

  byCategory(categoryId: string): GuideItem[] {
    return this.browse({ category: categoryId });
  }

  byAudience(audience: Audience): GuideItem[] {
    return this.browse({ audience });
  }

  /** Items matching every given filter, most popular first. */
  browse(filter: BrowseFilter = {}): GuideItem[] {
    return this.#items.filter((i) => matches(i, filter)).sort(byPopularity);
  }

  popular(n = 6, filter: BrowseFilter = {}): GuideItem[] {
    return this.browse(filter).slice(0, n);
  }

  search(query: string, options: CatalogSearchOptions = {}): SearchResult {
    const { limit, ...filter } = options;
    const hasFilter = filter.category !== undefined || filter.audience !== undefined || filter.hallLevel !== undefined;
    this.#index ??= new GuideSearchIndex(this.#items, this.#labels, this.#synonyms);
    return this.#index.search(query, {
      ...(limit !== undefined ? { limit } : {}),
      ...(hasFilter ? { filter: (i: GuideItem) => matches(i, filter) } : {}),
    });
  }

  availability(item: GuideItem, hallLevel: HallLevel): Availability {
    return availability(item, hallLevel);
  }
}

function matches(item: GuideItem, filter: BrowseFilter): boolean {
  if (filter.category !== undefined && item.category !== filter.category) return false;
  if (filter.audience !== undefined && !item.audience.includes(filter.audience)) return false;
  if (filter.hallLevel !== undefined && !item.hallLevels.some((h) => h.level === filter.hallLevel)) return false;
  return true;
}
