import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load.ts';
import { withoutSecrets } from '../../kiosk/console/site-config.ts';

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const URL = 'postgresql://kiosk@hall-server:5432,hall-standby:5432/hall?target_session_attrs=read-write';

describe('storage.engine', () => {
  it('is sqlite unless a site chooses postgres', () => {
    const c = loadConfig();
    expect(c.storage.engine).toBe('sqlite');
    expect(c.storage.postgres).toMatchObject({ poolSize: 10, statementTimeoutMs: 5000, connectTimeoutMs: 3000 });
  });

  it('takes a multi-host URL and a password from the secrets file, and hides both from the console', () => {
    const c = loadConfig({
      overlay: { storage: { engine: 'postgres', postgres: { url: URL, password: '$env:KIOSK_PG_PASSWORD', tls: { rejectUnauthorized: true } } } },
      env: { KIOSK_PG_PASSWORD: 'hall-store-password' },
    });
    expect(c.storage.postgres).toMatchObject({ url: URL, password: 'hall-store-password', poolSize: 10 });
    const { config, hidden } = withoutSecrets(c);
    expect(hidden).toEqual(expect.arrayContaining(['storage.postgres.password', 'storage.postgres.url']));
    expect(JSON.stringify(config)).not.toContain('hall-store-password');
  });

  it('names the field at fault', () => {
    expect(problems(() => loadConfig({ overlay: { storage: { engine: 'postgres' } } }))).toEqual([
      expect.stringMatching(/^\/storage\/postgres\/url: required when storage.engine is postgres/),
    ]);
    expect(problems(() => loadConfig({ overlay: { storage: { engine: 'mysql' } } })).join('\n')).toMatch(/\/storage\/engine/);
    expect(problems(() => loadConfig({ overlay: { storage: { postgres: { poolSize: 0 } } } })).join('\n')).toMatch(/\/storage\/postgres\/poolSize/);
    expect(problems(() => loadConfig({ overlay: { storage: { postgres: { url: `${URL}&sslcert=x` } } } }))).toEqual([
      '/storage/postgres/url: unsupported parameter "sslcert" (supported: target_session_attrs, sslmode, application_name, user, password)',
    ]);
    expect(problems(() => loadConfig({ overlay: { storage: { postgres: { tls: { caFile: 'ca.pem' } } } } })).join('\n')).toMatch(/\/storage\/postgres\/tls/);
  });
});
