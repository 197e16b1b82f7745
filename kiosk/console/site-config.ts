import type { ErrorObject } from 'ajv';
import { ConfigError, configValidator, loadConfig, overlay, secretEntries } from '../../config/load.ts';
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
  const candidate = overlay(structuredClone(running), patch);
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
