import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS_PATH, overlay } from '../../config/load.ts';
import { compileConfigValidator } from '../../config/validator.ts';

/**
 * The compiled daemon validates its configuration with a validator generated at build time
 * (kiosk/cli/build/build.mjs, ajv standalone code) instead of compiling the schema at every start.
 * It must accept and reject exactly what ajv compiled at run time does, with the same errors.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Next to the bundles, so the generated module resolves ajv's runtime helpers the way they do.
const dir = join(ROOT, 'dist/server', `.validator-test-${process.pid}`);
let generated: ValidateFunction;
const runtime = compileConfigValidator();

beforeAll(async () => {
  const contents = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', "const m = await import('./kiosk/cli/build/build.mjs'); process.stdout.write((await m.configValidatorModule()).contents);"],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const file = join(dir, 'validator.js');
  writeFileSync(file, contents);
  const mod = (await import(pathToFileURL(file).href)) as { compileConfigValidator(): ValidateFunction };
  generated = mod.compileConfigValidator();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const defaults = JSON.parse(readFileSync(DEFAULTS_PATH, 'utf8')) as Record<string, unknown>;
const cases: [string, unknown][] = [
  ['the defaults', defaults],
  ['not an object', 'site'],
  ['an unknown key, a wrong enum value and a bad pattern', overlay(defaults, { hall: { bogus: 1, level: '省', regionCode: '12345' } })],
  ['a missing required section', { ...defaults, queue: undefined }],
  ['wrong types in several places', overlay(defaults, { api: { port: 'eighty', trustProxy: 'yes' }, queue: { recallLimit: -1 } })],
  ['a too short secret and an empty list', overlay(defaults, { privacy: { hmacKey: 'short' }, services: [] })],
  ['an anyOf that matches neither branch', overlay(defaults, { ui: { ticketUrlPrefix: 'ftp://x' }, api: { tls: { certFile: '' } } })],
  ['a string counted in code points (maxLength 1)', overlay(defaults, { privacy: { mask: { maskChar: '𠀋' } } })],
  ['a string one code point too long', overlay(defaults, { privacy: { mask: { maskChar: '**' } } })],
];

describe('the build-time config validator', () => {
  it.each(cases)('judges %s exactly as the run-time compiled one', (_name, config) => {
    const data = JSON.parse(JSON.stringify(config ?? null)) as unknown;
    const expected = runtime(data);
    const expectedErrors = structuredClone(runtime.errors ?? null);
    expect(generated(data)).toBe(expected);
    expect(generated.errors ?? null).toEqual(expectedErrors);
  });

  it('covers both verdicts', () => {
    const verdicts = cases.map(([, c]) => runtime(JSON.parse(JSON.stringify(c ?? null))));
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});
