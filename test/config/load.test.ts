import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, developmentSecretsInUse, loadConfig, overlay } from '../../config/load.ts';

function site(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'site-')), 'site.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('validates the defaults on their own and freezes the result', () => {
    const c = loadConfig();
    expect(c.hall.timeZone).toBe('Asia/Shanghai');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.services[0]!.numberRange)).toBe(true);
    expect(developmentSecretsInUse(c)).toContain('privacy.hmacKey');
  });

  it('overlays a site file: objects merge, arrays replace', () => {
    const c = loadConfig({
      file: site({
        hall: { name: '某乡镇便民服务中心', level: '乡镇' },
        counters: [{ number: 9, name: '9号窗口', services: ['general'], token: 'site-counter-token-09' }],
      }),
    });
    expect(c.hall).toMatchObject({ name: '某乡镇便民服务中心', level: '乡镇', code: 'DEMO-HALL' });
    expect(c.counters.map((x) => x.number)).toEqual([9]);
    expect(overlay({ a: { b: 1, c: 2 } }, { a: { c: 3 } })).toEqual({ a: { b: 1, c: 3 } });
  });

  it('reads secrets from the environment and reports a missing one by path', () => {
    const file = site({ privacy: { hmacKey: '$env:KIOSK_TEST_HMAC' } });
    expect(loadConfig({ file, env: { KIOSK_TEST_HMAC: 'a-real-secret-from-env-123' } }).privacy.hmacKey).toBe('a-real-secret-from-env-123');
    expect(problems(() => loadConfig({ file, env: {} }))).toEqual(['/privacy/hmacKey: environment variable KIOSK_TEST_HMAC is not set']);
  });

  it('lists every error with its path, not just the first', () => {
    const p = problems(() =>
      loadConfig({ overlay: { hall: { level: '省', timeZone: 'Asia/Shanghai', bogus: true }, queue: { recallLimit: -1 }, api: { port: 'eighty' } } }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        '/hall: unknown key "bogus"',
        '/hall/level: must be one of 市, 县, 乡镇, 村',
        expect.stringMatching(/^\/queue\/recallLimit: /),
        expect.stringMatching(/^\/api\/port: /),
      ]),
    );
    expect(p.length).toBeGreaterThanOrEqual(4);
  });

  it('checks references and uniqueness the schema cannot express', () => {
    const p = problems(() =>
      loadConfig({
        overlay: {
          services: [
            { code: 'a', name: 'A', prefix: 'A', numberRange: { from: 1, to: 99 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: null },
            { code: 'b', name: 'B', prefix: 'A', numberRange: { from: 9, to: 1 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: null },
          ],
          counters: [{ number: 1, name: '1', services: ['zzz'], token: 'dev-hall-server-token-0001' }],
          hall: { timeZone: 'Mars/Olympus' },
          devices: { printer: { mode: 'hardware', profile: 'nope' } },
        },
      }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        '/services: prefix "A" used twice (ticket numbers would collide)',
        '/services/1/numberRange: from is greater than to',
        '/counters/0/services/0: unknown service "zzz"',
        '/counters/*/token, /api/hallServerTokens: every token must be different',
        '/hall/timeZone: unknown time zone "Mars/Olympus"',
        '/devices/printer/path: required when mode is "hardware"',
        expect.stringMatching(/^\/devices\/printer\/profile: unknown profile "nope"/),
      ]),
    );
  });

  it('names an unreadable or malformed site file', () => {
    expect(problems(() => loadConfig({ file: '/nonexistent/site.json' }))[0]).toMatch(/^\/nonexistent\/site\.json: 无法读取/);
    expect(problems(() => loadConfig({ file: site('{ not json') }))[0]).toMatch(/不是有效的 JSON/);
  });
});
