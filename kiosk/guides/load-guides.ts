/**
 * Loads and validates the 办事指南 data (config/guides). Every problem in every file
 * is collected first; one GuideDataError then lists them all with file and JSON path,
 * so a technician replacing the data sees everything that is wrong in one go.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type } from '@sinclair/typebox';
import { CategoryFileSchema, GUIDE_FILES, GuideItemSchema, ProcessTemplateFileSchema } from '../../config/guides/schema.ts';
import type { Category, GuideItemData, ProcessTemplate } from '../../config/guides/schema.ts';

/** A guide item after loading: the process template is resolved into steps. */
export type GuideItem = Readonly<Omit<GuideItemData, 'process'>> & {
  readonly process: readonly string[];
  /** File the item was read from, relative to the guides directory. */
  readonly sourceFile: string;
};

export interface GuideData {
  readonly categories: readonly Category[];
  readonly items: readonly GuideItem[];
  /** The ids of process-templates.json (an item's processTemplate names one). */
  readonly processTemplates?: readonly string[];
}

export interface GuideProblem {
  /** Path relative to the guides directory, e.g. 'items/remote-care.json'. */
  readonly file: string;
  /** JSON pointer inside the file, e.g. '/3/materials/1/name'. */
  readonly path: string;
  readonly message: string;
}

export class GuideDataError extends Error {
  readonly problems: readonly GuideProblem[];
  constructor(problems: readonly GuideProblem[]) {
    const lines = problems.map((p) => `  - ${p.file}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    super(`办事指南数据有 ${problems.length} 处错误 (guide data invalid):\n${lines.join('\n')}`);
    this.name = 'GuideDataError';
    this.problems = problems;
  }
}

/** The data shipped with the project: config/guides/. */
export function defaultGuidesDir(): string {
  return fileURLToPath(new URL('../../config/guides/', import.meta.url));
}

const checkCategories = TypeCompiler.Compile(CategoryFileSchema);
const checkTemplates = TypeCompiler.Compile(ProcessTemplateFileSchema);
const checkArray = TypeCompiler.Compile(Type.Array(Type.Unknown()));
const checkItem = TypeCompiler.Compile(GuideItemSchema);

interface SchemaHint {
  readonly anyOf?: readonly { readonly const?: unknown }[];
  readonly description?: string;
}

interface Checker {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<{ path: string; message: string; schema: unknown }>;
}

/** TypeBox says only "Expected union value"; name the allowed values instead. */
function explain(message: string, schema: unknown): string {
  const hint = schema as SchemaHint;
  const options = hint.anyOf?.map((o) => o.const);
  if (options && options.length > 0 && options.every((o) => o !== undefined)) {
    return `${message}: expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  return hint.description ? `${message}: ${hint.description}` : message;
}

function readJson(dir: string, file: string, problems: GuideProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `cannot read file: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    problems.push({ file, path: '', message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

function validate<T>(value: unknown, checker: Checker, file: string, problems: GuideProblem[], pathPrefix = ''): T | undefined {
  if (value === undefined) return undefined;
  if (checker.Check(value)) return value as T;
  const seen = new Set<string>();
  for (const e of checker.Errors(value)) {
    const key = `${e.path}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, path: `${pathPrefix}${e.path}` || '/', message: explain(e.message, e.schema) });
  }
  return undefined;
}

/**
 * The hall's own items (the console's edits and imports, kiosk/guides/local-guides.ts): checked
 * like the shipped ones; an item replaces the shipped item with the same id, others are added.
 */
export interface LocalGuideItems {
  /** Named in problems, e.g. 'guides-local.json'. */
  readonly file: string;
  readonly items: readonly unknown[];
}

/** Reads categories.json, process-templates.json and items/*.json from `dir`; throws GuideDataError. */
export function loadGuides(dir: string = defaultGuidesDir(), local?: LocalGuideItems): GuideData {
  const problems: GuideProblem[] = [];
  const categories = validate<Category[]>(readJson(dir, GUIDE_FILES.categories, problems), checkCategories, GUIDE_FILES.categories, problems) ?? [];
  const templates =
    validate<ProcessTemplate[]>(readJson(dir, GUIDE_FILES.processTemplates, problems), checkTemplates, GUIDE_FILES.processTemplates, problems) ?? [];

  let itemFiles: string[] = [];
  try {
    itemFiles = readdirSync(join(dir, GUIDE_FILES.itemsDir))
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (err) {
    problems.push({ file: GUIDE_FILES.itemsDir, path: '', message: `cannot list directory: ${(err as Error).message}` });
  }
  if (itemFiles.length === 0 && problems.length === 0) {
    problems.push({ file: GUIDE_FILES.itemsDir, path: '', message: 'no item files (*.json) found' });
  }

  const raw: { file: string; index: number; item: GuideItemData }[] = [];
  for (const name of itemFiles) {
    const file = `${GUIDE_FILES.itemsDir}/${name}`;
    // Validate item by item so one broken item does not hide the others from the cross-checks.
    const list = validate<unknown[]>(readJson(dir, file, problems), checkArray, file, problems);
    list?.forEach((value, index) => {
      const item = validate<GuideItemData>(value, checkItem, file, problems, `/${index}`);
      if (item) raw.push({ file, index, item });
    });
  }

  if (local) {
    const localRaw: typeof raw = [];
    local.items.forEach((value, index) => {
      const item = validate<GuideItemData>(value, checkItem, local.file, problems, `/items/${index}`);
      if (item) localRaw.push({ file: local.file, index, item });
    });
    const replaced = new Set(localRaw.map((r) => r.item.id));
    raw.splice(0, raw.length, ...raw.filter((r) => !replaced.has(r.item.id)), ...localRaw);
  }

  const items = crossCheck(raw, categories, templates, problems);
  if (problems.length > 0) throw new GuideDataError(problems);
  return { categories: [...categories].sort((a, b) => a.order - b.order), items, processTemplates: templates.map((t) => t.id) };
}

function crossCheck(
  raw: readonly { file: string; index: number; item: GuideItemData }[],
  categories: readonly Category[],
  templates: readonly ProcessTemplate[],
  problems: GuideProblem[],
): GuideItem[] {
  const categoryIds = new Set(categories.map((c) => c.id));
  const templateById = new Map(templates.map((t) => [t.id, t]));
  const seenCategory = new Set<string>();
  for (const [i, c] of categories.entries()) {
    if (seenCategory.has(c.id)) {
      problems.push({ file: GUIDE_FILES.categories, path: `/${i}/id`, message: `duplicate category id "${c.id}"` });
    }
    seenCategory.add(c.id);
  }

  const idOwner = new Map<string, string>();
  const codeOwner = new Map<string, string>();
  const out: GuideItem[] = [];
  for (const { file, index, item } of raw) {
    const at = (p: string): string => `/${index}${p}`;
    const add = (p: string, message: string): void => {
      problems.push({ file, path: at(p), message: `${message} (item "${item.id}")` });
    };
    const where = `${file} ${at('')}`;
    const prevId = idOwner.get(item.id);
    if (prevId) add('/id', `duplicate item id, already used at ${prevId}`);
    else idOwner.set(item.id, where);
    const prevCode = codeOwner.get(item.code);
    if (prevCode) add('/code', `duplicate code "${item.code}", already used at ${prevCode}`);
    else codeOwner.set(item.code, where);

    if (!categoryIds.has(item.category)) add('/category', `unknown category "${item.category}" (not in categories.json)`);

    let steps: readonly string[] | undefined = item.process;
    if (item.process && item.processTemplate) add('/process', 'give either process or processTemplate, not both');
    if (!item.process && !item.processTemplate) add('/process', 'process steps or processTemplate is required');
    if (item.processTemplate && !item.process) {
      steps = templateById.get(item.processTemplate)?.steps;
      if (!steps) add('/processTemplate', `unknown process template "${item.processTemplate}"`);
    }

    const materialIds = new Set<string>();
    item.materials.forEach((m, mi) => {
      if (materialIds.has(m.id)) add(`/materials/${mi}/id`, `duplicate material id "${m.id}"`);
      materialIds.add(m.id);
      if (m.alternativeGroup && !m.required) {
        add(`/materials/${mi}/alternativeGroup`, 'only required materials can be alternatives of each other');
      }
      if (m.originals + m.copies === 0) add(`/materials/${mi}`, 'originals and copies are both 0');
    });

    const levels = new Set<string>();
    item.hallLevels.forEach((h, hi) => {
      if (levels.has(h.level)) add(`/hallLevels/${hi}/level`, `duplicate hall level "${h.level}"`);
      levels.add(h.level);
    });

    for (const key of ['timeLimit', 'statutoryTimeLimit'] as const) {
      const t = item[key];
      if (t && t.unit === '工作日' && t.specialCaseMax !== undefined && t.specialCaseMax < t.value) {
        add(`/${key}/specialCaseMax`, 'specialCaseMax is smaller than value');
      }
    }
    if (item.codeIsPlaceholder && !/^PH-/.test(item.code)) {
      add('/code', 'placeholder codes must start with "PH-" so they cannot be mistaken for real codes');
    }

    out.push({ ...item, process: steps ?? [], sourceFile: file });
  }
  return out;
}
