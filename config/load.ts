import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { PRINTER_PROFILES, resolvePrinterProfile } from '../drivers/printer/profiles.ts';
import { parsePostgresUrl } from '../kiosk/store/postgres-url.ts';
import type { KioskConfig } from './schema.ts';
import { compileConfigValidator } from './validator.ts';

export const DEFAULTS_PATH = fileURLToPath(new URL('./defaults.json', import.meta.url));

/** Every problem found in a configuration, each with its JSON path; the daemon refuses to start on any. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`配置有 ${problems.length} 处错误 (invalid configuration):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  /** Site file overlaying the defaults (from `--config` or KIOSK_CONFIG). */
  file?: string | undefined;
  /** Extra overlay applied last (tests, benchmarks). */
  overlay?: unknown;
  /** Where `$env:NAME` secrets are read from. */
  env?: Record<string, string | undefined>;
  /**
   * A secrets file (`KIOSK_*=value` lines, e.g. /etc/hall-kiosk/secrets.env) read before `env`;
   * a variable set in `env` wins, as it does when systemd's EnvironmentFile= loaded the same file.
   */
  secretsFile?: string | undefined;
}

let compiled: ValidateFunction | undefined;
/**
 * The boot schema's validator, made once on first use (generated at build time in the compiled
 * daemon: config/validator.ts); the console checks changes with it too.
 */
export function configValidator(): ValidateFunction {
  return (compiled ??= compileConfigValidator());
}

export function loadConfig(options: LoadConfigOptions = {}): KioskConfig {
  const problems: string[] = [];
  let merged: unknown = readJson(DEFAULTS_PATH, problems);
  if (options.file) merged = overlay(merged, readJson(options.file, problems));
  if (options.overlay !== undefined) merged = overlay(merged, options.overlay);
  let env: Record<string, string | undefined> = options.env ?? process.env;
  if (options.secretsFile) {
    try {
      env = { ...parseEnvFile(readFileSync(options.secretsFile, 'utf8')), ...env };
    } catch (err) {
      problems.push(`${options.secretsFile}: 无法读取密钥文件 (cannot read the secrets file: ${(err as Error).message})`);
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const resolved = resolveEnv(merged, env, '', problems);
  const envMissing = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  const validate = configValidator();
  if (!validate(resolved)) {
    // A secret already reported missing would also fail its length check: report it once.
    const schemaErrors = (validate.errors ?? []).filter((e) => !envMissing.has(e.instancePath || '/'));
    problems.push(...schemaErrors.map(describeAjvError));
  } else {
    problems.push(...crossCheck(resolved as KioskConfig));
  }
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze(resolved as KioskConfig);
}

/** Objects merge key by key; arrays and scalars in the overlay replace the base. */
export function overlay(base: unknown, top: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(top)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(top)) out[key] = overlay(base[key], value);
    return out;
  }
  return top === undefined ? base : top;
}

/**
 * Every secret of a configuration, as `[name, value]`: the name is what an operator reads in a
 * refusal message (`counters[2].token`). Keys another version of the schema lacks are skipped.
 */
export function secretEntries(config: unknown): [string, string][] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks the validated config by key path
  const c = config as Record<string, any>;
  const out: [string, string][] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string' && value !== '') out.push([name, value]);
  };
  add('privacy.hmacKey', c.privacy?.hmacKey);
  (Array.isArray(c.api?.accounts) ? c.api.accounts : []).forEach((a: { passwordHash?: unknown }, i: number) =>
    add(`api.accounts[${i}].passwordHash`, a?.passwordHash),
  );
  (Array.isArray(c.api?.hallServerTokens) ? c.api.hallServerTokens : []).forEach((t: unknown, i: number) => add(`api.hallServerTokens[${i}]`, t));
  (Array.isArray(c.api?.terminalTokens) ? c.api.terminalTokens : []).forEach((t: unknown, i: number) => add(`api.terminalTokens[${i}]`, t));
  (Array.isArray(c.counters) ? c.counters : []).forEach((x: { token?: unknown }, i: number) => add(`counters[${i}].token`, x?.token));
  add('evaluation.phoneKey', c.evaluation?.phoneKey);
  add('evaluation.upload.token', c.evaluation?.upload?.token);
  add('queue.remote.token', c.queue?.remote?.token);
  add('storage.postgres.password', c.storage?.postgres?.password);
  // The URI may carry the password itself (postgresql://user:password@host/db).
  add('storage.postgres.url', c.storage?.postgres?.url);
  return out;
}

let publishedSecrets: Set<string> | undefined;
/** The secret values published in config/defaults.json (anyone can read them in the repository). */
function published(): Set<string> {
  publishedSecrets ??= new Set(secretEntries(JSON.parse(readFileSync(DEFAULTS_PATH, 'utf8'))).map(([, v]) => v));
  return publishedSecrets;
}

/**
 * Development secrets ship in defaults.json so `npm start` works; a hall must replace them.
 * Returns the name of every secret still at a published development value (or any `dev-` value).
 */
export function developmentSecretsInUse(config: KioskConfig): string[] {
  const dev = published();
  return secretEntries(config)
    .filter(([, value]) => dev.has(value) || value.startsWith('dev-'))
    .map(([name]) => name);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.trim().replace(/^\[|\]$/g, ''));
}

/**
 * Why this configuration counts as live (a real hall): `NODE_ENV=production`, any device in
 * hardware mode, or the API reachable from other machines. Empty: a development or demo run.
 */
export function liveReasons(config: KioskConfig, env: Record<string, string | undefined> = process.env): string[] {
  const reasons: string[] = [];
  if (env.NODE_ENV === 'production') reasons.push('NODE_ENV=production');
  for (const [kind, device] of Object.entries(config.devices)) {
    if (device.mode === 'hardware') reasons.push(`devices.${kind}.mode=hardware`);
  }
  if (!isLoopbackHost(config.api.host)) reasons.push(`api.host=${config.api.host}`);
  return reasons;
}

/**
 * Reads a systemd-style environment file (`KEY=value` lines, `#` comments, optional quotes), the
 * format of /etc/hall-kiosk/secrets.env that `hall-kiosk secrets` writes.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line
      .slice(0, eq)
      .trim()
      .replace(/^export\s+/, '');
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}

function readJson(path: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${path}: 无法读取 (${(err as Error).message})`);
    return {};
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    problems.push(`${path}: 不是有效的 JSON (${(err as Error).message})`);
    return {};
  }
}

function resolveEnv(value: unknown, env: Record<string, string | undefined>, path: string, problems: string[]): unknown {
  if (typeof value === 'string' && value.startsWith('$env:')) {
    const name = value.slice(5);
    const found = env[name];
    if (found === undefined || found === '') problems.push(`${path || '/'}: environment variable ${name} is not set`);
    return found ?? '';
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, env, `${path}/${i}`, problems));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveEnv(v, env, `${path}/${k}`, problems);
    return out;
  }
  return value;
}

function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (e.keyword === 'enum') {
    return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  if (e.keyword === 'required') return `${where}: missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Rules a JSON schema cannot express: uniqueness and references between sections. */
function crossCheck(config: KioskConfig): string[] {
  const problems: string[] = [];
  const duplicates = (values: readonly (string | number)[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  for (const code of duplicates(config.services.map((s) => s.code))) problems.push(`/services: duplicate code "${code}"`);
  for (const prefix of duplicates(config.services.map((s) => s.prefix))) {
    problems.push(`/services: prefix "${prefix}" used twice (ticket numbers would collide)`);
  }
  for (const user of duplicates(config.api.accounts.map((a) => a.user))) problems.push(`/api/accounts: 账户名 "${user}" 重复 (duplicate console account)`);
  const pgUrl = config.storage.postgres?.url;
  if (pgUrl) {
    try {
      parsePostgresUrl(pgUrl);
    } catch (err) {
      problems.push(`/storage/postgres/url: ${(err as Error).message.replace(/^storage\.postgres\.url: /, '')}`);
    }
  }
  if (config.storage.engine === 'postgres' && !config.storage.postgres?.url) {
    problems.push('/storage/postgres/url: required when storage.engine is postgres (postgresql://user@primary,standby/hall?target_session_attrs=read-write)');
  }
  config.services.forEach((s, i) => {
    if (s.numberRange.from > s.numberRange.to) problems.push(`/services/${i}/numberRange: from is greater than to`);
  });
  for (const n of duplicates(config.counters.map((c) => c.number))) problems.push(`/counters: duplicate number ${n}`);
  if (config.privacy.identityRetentionDays <= config.evaluation.windowDays) {
    problems.push('/privacy/identityRetentionDays: must be longer than evaluation.windowDays (real-name evaluations need the hash)');
  }
  const codes = new Set(config.services.map((s) => s.code));
  config.counters.forEach((c, i) => {
    c.services.forEach((code, j) => {
      if (!codes.has(code)) problems.push(`/counters/${i}/services/${j}: unknown service "${code}"`);
    });
  });
  const tokens = [...config.counters.map((c) => c.token), ...config.api.hallServerTokens, ...config.api.terminalTokens];
  if (duplicates(tokens).length) problems.push('/counters/*/token, /api/hallServerTokens: every token must be different');
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.hall.timeZone });
  } catch {
    problems.push(`/hall/timeZone: unknown time zone "${config.hall.timeZone}"`);
  }
  for (const [name, device] of Object.entries(config.devices)) {
    if (device.mode === 'hardware' && name !== 'scanner' && !device.path) {
      problems.push(`/devices/${name}/path: required when mode is "hardware"`);
    }
  }
  if (!(config.devices.printer.profile in PRINTER_PROFILES)) {
    problems.push(`/devices/printer/profile: unknown profile "${config.devices.printer.profile}"; use one of ${Object.keys(PRINTER_PROFILES).join(', ')}`);
  } else {
    try {
      resolvePrinterProfile(config.devices.printer.profile, config.devices.printer.profileOverrides ?? {});
    } catch (err) {
      problems.push(`/devices/printer/profileOverrides: ${(err as Error).message}`);
    }
  }
  const scanner = config.devices.scanner;
  if (scanner.mode === 'hardware') {
    if (scanner.transport === 'serial' && !scanner.path) problems.push('/devices/scanner/path: required for a serial scanner');
    if (scanner.transport === 'hid-pos' && (scanner.vendorId === undefined || scanner.productId === undefined)) {
      problems.push('/devices/scanner: vendorId and productId are required for a HID POS scanner');
    }
  }
  return problems;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
