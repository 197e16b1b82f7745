import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { ConfigError, configValidator, DEFAULTS_PATH, loadConfig, overlay, secretEntries } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';

/**
 * The site configuration as the console sees it: the running configuration without its secrets
 * (export), and a proposed change checked by the same schema and cross-checks as at boot, each
 * problem naming its field in Chinese.
 */

export interface ConfigProblem {
  /** JSON path of the field (`hall.name`, `counters[2].services`). */
  readonly field: string;
  /** Chinese, naming the field. */
  readonly message: string;
}

/** `/counters/2/services` → `counters[2].services`. */
export function fieldName(pointer: string): string {
  return (
    pointer
      .split('/')
      .filter(Boolean)
      .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`))
      .join('') || '（整个配置）'
  );
}

function pathParts(name: string): (string | number)[] {
  return [...name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** The running configuration without any secret (tokens, keys, password hashes): safe to show and to export. */
export function withoutSecrets(config: KioskConfig): { config: Record<string, unknown>; hidden: string[] } {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const hidden: string[] = [];
  for (const [name] of secretEntries(config)) {
    const parts = pathParts(name);
    let node: unknown = copy;
    for (const p of parts.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[p];
    const last = parts.at(-1)!;
    if (node && typeof node === 'object' && last in node) {
      delete (node as Record<string | number, unknown>)[last];
      hidden.push(name);
    }
  }
  return { config: copy, hidden };
}

function chinese(e: ErrorObject): ConfigProblem {
  const field = fieldName(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const say = (what: string): ConfigProblem => ({ field, message: `配置项 ${field} ${what}` });
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        field: fieldName(`${e.instancePath}/${String(p.additionalProperty)}`),
        message: `配置项 ${fieldName(`${e.instancePath}/${String(p.additionalProperty)}`)} 不存在（未知的配置项）`,
      };
    case 'required':
      return {
        field: fieldName(`${e.instancePath}/${String(p.missingProperty)}`),
        message: `缺少配置项 ${fieldName(`${e.instancePath}/${String(p.missingProperty)}`)}`,
      };
    case 'type':
      return say(
        `的类型不对，应为${({ string: '文字', integer: '整数', number: '数字', boolean: '是/否', object: '对象', array: '列表', null: '空' } as Record<string, string>)[String(p.type)] ?? String(p.type)}`,
      );
    case 'minLength':
      return say(Number(p.limit) === 1 ? '不能为空' : `至少 ${String(p.limit)} 个字符`);
    case 'maxLength':
      return say(`最多 ${String(p.limit)} 个字符`);
    case 'minimum':
      return say(`不能小于 ${String(p.limit)}`);
    case 'maximum':
      return say(`不能大于 ${String(p.limit)}`);
    case 'minItems':
      return say(`至少要有 ${String(p.limit)} 项`);
    case 'maxItems':
      return say(`最多 ${String(p.limit)} 项`);
    case 'pattern':
      return say('的格式不正确');
    case 'enum':
    case 'const':
      return say(`只能取 ${((p.allowedValues as unknown[]) ?? [p.allowedValue]).join('、')}`);
    case 'anyOf':
    case 'oneOf':
      return say('的取值不符合任何允许的形式');
    default:
      return say(`不符合要求（${e.message ?? e.keyword}）`);
  }
}

/**
 * Problems of the running configuration with `patch` laid over it (objects merge key by key,
 * arrays replace), as the daemon's boot would find them; [] when it would start.
 */
export function checkPatch(running: KioskConfig, patch: unknown): ConfigProblem[] {
  return checkCandidate(overlay(structuredClone(running), patch));
}

/** Problems of a whole configuration (defaults already laid under it, secrets resolved). */
function checkCandidate(candidate: unknown): ConfigProblem[] {
  const validate = configValidator();
  if (!validate(candidate)) {
    // The ones about a branch of anyOf are noise next to the branch's own error.
    const errors = (validate.errors ?? []).filter(
      (e, i, all) => !(e.keyword === 'anyOf' && all.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== 'anyOf')),
    );
    const seen = new Set<string>();
    return errors.map(chinese).filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
  }
  try {
    loadConfig({ overlay: candidate, env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The boot's cross-checks (duplicates, references between sections): "/path: reason".
    return err.problems.map((line) => {
      const colon = line.indexOf(': ');
      const field = fieldName(colon > 0 ? line.slice(0, colon) : '');
      return { field, message: `配置项 ${field} 有误：${colon > 0 ? line.slice(colon + 2) : line}` };
    });
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a secret of `from` goes in `to`: the same path, except that an array entry is found by
 * what names it (a counter by its number, an account by its user), not by its position — the
 * imported file may list counters in another order. Returns undefined when `to` has no such entry.
 */
function secretTarget(name: string, from: Json, to: Json): { node: Json | unknown[]; key: string | number } | undefined {
  const parts = pathParts(name);
  let src: unknown = from;
  let dst: unknown = to;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    src = (src as Record<string | number, unknown> | undefined)?.[p];
    if (typeof p === 'number' && Array.isArray(dst)) {
      const key = isObject(src) ? (['number', 'user'] as const).find((k) => k in (src as Json)) : undefined;
      dst = key ? dst.find((e) => isObject(e) && e[key] === (src as Json)[key]) : dst[p];
    } else {
      dst = isObject(dst) ? dst[p] : undefined;
    }
    if (dst === undefined) return undefined;
  }
  if (!isObject(dst) && !Array.isArray(dst)) return undefined;
  return { node: dst, key: parts.at(-1)! };
}

function removeSecrets(config: Json): string[] {
  const removed: string[] = [];
  for (const [name] of secretEntries(config)) {
    const t = secretTarget(name, config, config);
    if (!t) continue;
    if (Array.isArray(t.node)) continue; // token lists: removed whole below
    delete t.node[t.key as string];
    removed.push(name);
  }
  for (const list of ['hallServerTokens', 'terminalTokens'] as const) {
    const api = config.api;
    if (!isObject(api) || !Array.isArray(api[list])) continue;
    // An export leaves the list's places empty (null): not a secret of the file.
    if ((api[list] as unknown[]).some((t) => typeof t === 'string' && t !== '')) removed.push(`api.${list}`);
    delete api[list];
  }
  return removed;
}

/** Copies each secret of `source` that `target` lacks into `target`; returns their names. */
function keepSecrets(target: Json, source: Json): string[] {
  const kept: string[] = [];
  for (const list of ['hallServerTokens', 'terminalTokens'] as const) {
    const from = isObject(source.api) ? source.api[list] : undefined;
    if (!Array.isArray(from)) continue;
    if (!isObject(target.api)) target.api = {};
    const api = target.api as Json;
    if (!Array.isArray(api[list]) || !(api[list] as unknown[]).some((t) => typeof t === 'string' && t !== '')) {
      api[list] = structuredClone(from);
      kept.push(`api.${list}`);
    }
  }
  for (const [name, value] of secretEntries(source)) {
    if (/^api\.(hallServerTokens|terminalTokens)\[/.test(name)) continue;
    const t = secretTarget(name, source, target);
    if (!t || Array.isArray(t.node)) continue;
    if (typeof t.node[t.key as string] === 'string' && t.node[t.key as string] !== '') continue;
    t.node[t.key as string] = value;
    kept.push(name);
  }
  return kept;
}

export interface ConfigImportPlan {
  /** What the site file becomes (the imported configuration, this kiosk's secrets kept). */
  readonly site: Json;
  readonly problems: ConfigProblem[];
  /** Secrets of this kiosk kept because the file had none (or they were not to be taken). */
  readonly kept: string[];
  /** Secrets in the file that were left out (includeSecrets false). */
  readonly dropped: string[];
}

/**
 * Importing a whole site configuration (a file from 导出站点配置, another kiosk's or this one's):
 * the file replaces the site file; its secrets are taken only when `includeSecrets` is asked for,
 * otherwise left out, and every secret it then lacks keeps this kiosk's current value (from the
 * site file, so `$env:` references stay references). Checked as the boot would, problems naming
 * their field in Chinese.
 */
export function planConfigImport(running: KioskConfig, siteRaw: Json, imported: unknown, includeSecrets: boolean): ConfigImportPlan {
  if (!isObject(imported)) {
    return { site: {}, problems: [{ field: '（整个配置）', message: '导入的文件应为站点配置的 JSON 对象' }], kept: [], dropped: [] };
  }
  const site = structuredClone(imported);
  const dropped = includeSecrets ? [] : removeSecrets(site);
  // This kiosk's secrets: from its site file (`$env:` references stay references), else the
  // defaults' (what it runs with now when the site file has none).
  const defaults = JSON.parse(readFileSync(DEFAULTS_PATH, 'utf8')) as Json;
  const kept = [...new Set([...keepSecrets(site, siteRaw), ...keepSecrets(site, defaults)])];
  // The check sees what the boot will: the defaults, the file as written, and the running
  // (resolved) value of every secret it names by `$env:`.
  const resolved = structuredClone(site);
  for (const [name, value] of secretEntries(running)) {
    const t = secretTarget(name, running as unknown as Json, resolved);
    if (t && !Array.isArray(t.node) && typeof t.node[t.key as string] === 'string' && String(t.node[t.key as string]).startsWith('$env:'))
      t.node[t.key as string] = value;
  }
  const candidate = overlay(defaults, resolved);
  return { site, problems: checkCandidate(candidate), kept, dropped };
}
