import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, DEFAULTS_PATH, overlay } from '../../config/load.ts';

/** Options every verb that reads the site configuration accepts. */
export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  secrets: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false) {
  return parseArgs({ args, options, allowPositionals, strict: true });
}

export function siteFile(values: { config?: string | undefined }): string | undefined {
  return values.config ?? process.env.KIOSK_CONFIG;
}

export function secretsFile(values: { secrets?: string | undefined }): string | undefined {
  return values.secrets ?? process.env.KIOSK_SECRETS_FILE;
}

/**
 * Defaults overlaid with the site file, not validated and with `$env:` references left as they
 * are: what `secrets` and `backup` need (counter numbers, the data directory) even before the
 * secrets exist.
 */
export function rawConfig(file: string | undefined): Record<string, unknown> {
  const read = (path: string) => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (err) {
      throw new ConfigError([`${path}: 无法读取或不是有效的 JSON (${(err as Error).message})`]);
    }
  };
  let merged = read(DEFAULTS_PATH);
  if (file) merged = overlay(merged, read(file));
  return merged as Record<string, unknown>;
}

/** `<storage.dataDir>/kiosk.db` of the site configuration, or `--db`. */
export function databasePath(values: { db?: string | undefined; config?: string | undefined }): string {
  if (values.db) return resolve(values.db);
  const storage = rawConfig(siteFile(values)).storage as { dataDir?: unknown } | undefined;
  const dataDir = typeof storage?.dataDir === 'string' ? storage.dataDir : 'data';
  return join(resolve(dataDir), 'kiosk.db');
}
