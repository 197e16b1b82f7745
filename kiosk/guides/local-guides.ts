/**
 * The hall's own 办事指南 content: items edited or imported in the console, and the hall's search
 * synonyms, kept in one overlay file under the data directory (`<dataDir>/guides-local.json`)
 * beside the shipped data in config/guides, which stays untouched (a package upgrade replaces it
 * without losing the hall's edits). An overlay item replaces the shipped item with the same id;
 * others are added. Every save is checked by the same loader as at boot (kiosk/guides/
 * load-guides.ts), written atomically, and the version before it is kept as
 * `guides-local.json.v<N>`; the catalogue the kiosk reads is swapped at once (no restart).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { GuideItemData } from '../../config/guides/schema.ts';
import { atomicWrite } from '../console/site-file.ts';
import { GuideCatalog } from './catalog.ts';
import { defaultGuidesDir, GuideDataError, loadGuides, type GuideData, type GuideItem, type GuideProblem } from './load-guides.ts';
import { SEARCH_SYNONYMS, type SynonymTable } from './synonyms.ts';

export const LOCAL_GUIDES_FILE = 'guides-local.json';
/** Versions kept next to the file (`.v<N>`), oldest removed first. */
export const KEPT_VERSIONS = 20;

export interface LocalGuides {
  /** 0 before the first save. */
  readonly version: number;
  readonly savedAt: number | null;
  readonly user: string | null;
  readonly items: readonly GuideItemData[];
  /** The hall's synonym table; null: the shipped one (kiosk/guides/synonyms.ts). */
  readonly synonyms: SynonymTable | null;
}

/** The item as a data file holds it: the resolved template steps and the loader's own field left out. */
export function rawItem(item: GuideItem): GuideItemData {
  const { sourceFile: _file, process, ...rest } = item;
  return (item.processTemplate ? rest : { ...rest, process: [...process] }) as GuideItemData;
}

export const EMPTY_LOCAL: LocalGuides = { version: 0, savedAt: null, user: null, items: [], synonyms: null };

export function localGuidesPath(dataDir: string): string {
  return join(resolve(dataDir), LOCAL_GUIDES_FILE);
}

/**
 * The overlay of a kiosk: next to its database (the data directory: `<storage.dataDir>/kiosk.db`),
 * like the paper counter, so a kiosk opened on a temporary database never reads or writes the
 * repository's data/. null for an in-memory database (no overlay; edits cannot be saved).
 */
export function localGuidesFileFor(db: { readonly memory: boolean; readonly name: string }): string | null {
  return db.memory ? null : join(dirname(resolve(db.name)), LOCAL_GUIDES_FILE);
}

export function readLocalGuides(path: string): LocalGuides {
  if (!existsSync(path)) return EMPTY_LOCAL;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalGuides>;
  return {
    version: raw.version ?? 0,
    savedAt: raw.savedAt ?? null,
    user: raw.user ?? null,
    items: raw.items ?? [],
    synonyms: raw.synonyms ?? null,
  };
}

/** One problem of a synonym table, in Chinese. */
export interface SynonymProblem {
  readonly word: string;
  readonly message: string;
}

const MAX_SYNONYM_KEYS = 500;

/** Checks a synonym table from the console: word → non-empty list of search terms. */
export function checkSynonyms(table: unknown): SynonymProblem[] {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return [{ word: '', message: '同义词表应为“词 → 检索词列表”的对象' }];
  const entries = Object.entries(table as Record<string, unknown>);
  const problems: SynonymProblem[] = [];
  if (entries.length > MAX_SYNONYM_KEYS) problems.push({ word: '', message: `同义词最多 ${MAX_SYNONYM_KEYS} 个` });
  for (const [word, terms] of entries) {
    if (!word.trim() || word.length > 20) problems.push({ word, message: '同义词不能为空，且最多 20 个字' });
    if (!Array.isArray(terms) || terms.length === 0) problems.push({ word, message: `“${word}”至少要对应一个检索词` });
    else if (terms.some((t) => typeof t !== 'string' || !t.trim() || t.length > 50))
      problems.push({ word, message: `“${word}”的检索词不能为空，且每个最多 50 个字` });
  }
  return problems;
}

/** The shipped data with `local` laid over it, checked as at boot; throws GuideDataError. */
export function loadWithLocal(local: LocalGuides, guidesDir: string = defaultGuidesDir()): GuideData {
  return loadGuides(guidesDir, { file: LOCAL_GUIDES_FILE, items: local.items });
}

/** The catalogue the daemon starts with: shipped data, the hall's overlay and synonyms. */
export function loadCatalogData(file: string | null, guidesDir: string = defaultGuidesDir()): { data: GuideData; synonyms: SynonymTable } {
  const local = file ? readLocalGuides(file) : EMPTY_LOCAL;
  return { data: loadWithLocal(local, guidesDir), synonyms: local.synonyms ?? SEARCH_SYNONYMS };
}

export type SaveResult = { ok: true; local: LocalGuides } | { ok: false; problems: readonly GuideProblem[] };

/** Reads, checks and saves the overlay, and keeps the running catalogue in step with it. */
export class LocalGuideStore {
  readonly #catalog: GuideCatalog;
  readonly #path: string;
  readonly #guidesDir: string;

  constructor(catalog: GuideCatalog, path: string, guidesDir: string = defaultGuidesDir()) {
    this.#catalog = catalog;
    this.#path = path;
    this.#guidesDir = guidesDir;
  }

  get path(): string {
    return this.#path;
  }

  current(): LocalGuides {
    return readLocalGuides(this.#path);
  }

  /** Checks `next` with the shipped data as the boot would; nothing is written. */
  check(next: Pick<LocalGuides, 'items'>): readonly GuideProblem[] {
    try {
      loadWithLocal({ ...EMPTY_LOCAL, items: next.items }, this.#guidesDir);
      return [];
    } catch (err) {
      if (err instanceof GuideDataError) return err.problems;
      throw err;
    }
  }

  /** Saves a new version (items and/or synonyms), then swaps the kiosk's catalogue. */
  save(next: { items?: readonly GuideItemData[]; synonyms?: SynonymTable | null }, meta: { at: number; user: string }): SaveResult {
    const before = this.current();
    const candidate: LocalGuides = {
      version: before.version + 1,
      savedAt: meta.at,
      user: meta.user,
      items: next.items ?? before.items,
      synonyms: next.synonyms === undefined ? before.synonyms : next.synonyms,
    };
    let data: GuideData;
    try {
      data = loadWithLocal(candidate, this.#guidesDir);
    } catch (err) {
      if (err instanceof GuideDataError) return { ok: false, problems: err.problems };
      throw err;
    }
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o750 });
    if (existsSync(this.#path)) atomicWrite(`${this.#path}.v${before.version}`, readFileSync(this.#path, 'utf8'));
    atomicWrite(this.#path, `${JSON.stringify(candidate, null, 2)}\n`);
    this.#prune();
    this.#catalog.replace(data, candidate.synonyms ?? SEARCH_SYNONYMS);
    return { ok: true, local: candidate };
  }

  /** Saved versions before the current one, newest first. */
  versions(): number[] {
    const dir = dirname(this.#path);
    const prefix = `${basename(this.#path)}.v`;
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
      .map((f) => Number(f.slice(prefix.length)))
      .sort((a, b) => b - a);
  }

  #prune(): void {
    for (const v of this.versions().slice(KEPT_VERSIONS)) rmSync(`${this.#path}.v${v}`, { force: true });
  }
}

/** The daemon's catalogue: the shipped data with the hall's overlay `file` (if any). */
export function openGuideCatalog(file: string | null): GuideCatalog {
  const { data, synonyms } = loadCatalogData(file);
  return new GuideCatalog(data, synonyms);
}
