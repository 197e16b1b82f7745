import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentSecretsInUse, isLoopbackHost, liveReasons, loadConfig, parseEnvFile } from '../../config/load.ts';

describe('development secrets and live mode', () => {
  it('names every secret still at its published value, including ones not starting with dev-', () => {
    const c = loadConfig();
    expect(developmentSecretsInUse(c)).toEqual([
      'privacy.hmacKey',
      'api.accounts[0].passwordHash',
      'api.accounts[1].passwordHash',
      'api.hallServerTokens[0]',
      'api.terminalTokens[0]',
      ...c.counters.map((_, i) => `counters[${i}].token`),
      'evaluation.phoneKey',
    ]);
    // A copied published value is still published even when renamed away from dev-.
    const copied = loadConfig({
      overlay: { privacy: { hmacKey: 'dev-hmac-key-change-me-in-the-hall' }, evaluation: { phoneKey: 'a-real-phone-key-0123456789' } },
    });
    expect(developmentSecretsInUse(copied)).toContain('privacy.hmacKey');
    expect(developmentSecretsInUse(copied)).not.toContain('evaluation.phoneKey');
  });

  it('is live with NODE_ENV=production, a device in hardware mode, or a non-loopback API address', () => {
    const c = loadConfig();
    expect(liveReasons(c, {})).toEqual([]);
    expect(liveReasons(c, { NODE_ENV: 'production' })).toEqual(['NODE_ENV=production']);
    const hw = loadConfig({ overlay: { devices: { printer: { mode: 'hardware', path: '/dev/ttyUSB0' } }, api: { host: '0.0.0.0' } } });
    expect(liveReasons(hw, {})).toEqual(['devices.printer.mode=hardware', 'api.host=0.0.0.0']);
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'kiosk.local']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('reads $env: secrets from a secrets file; the process environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const secrets = join(dir, 'secrets.env');
    writeFileSync(secrets, '# comment\nKIOSK_HMAC_KEY="from-the-file-0123456789"\nexport KIOSK_PHONE_KEY=phone-from-file-0123456789\n');
    const site = join(dir, 'site.json');
    writeFileSync(site, JSON.stringify({ privacy: { hmacKey: '$env:KIOSK_HMAC_KEY' }, evaluation: { phoneKey: '$env:KIOSK_PHONE_KEY' } }));
    const c = loadConfig({ file: site, secretsFile: secrets, env: { KIOSK_PHONE_KEY: 'phone-from-env-0123456789' } });
    expect(c.privacy.hmacKey).toBe('from-the-file-0123456789');
    expect(c.evaluation.phoneKey).toBe('phone-from-env-0123456789');
    expect(parseEnvFile("A=1\n\n  B = 'two' \nnot a line\n")).toEqual({ A: '1', B: 'two' });
    expect(() => loadConfig({ file: site, secretsFile: join(dir, 'missing.env'), env: {} })).toThrow(/无法读取密钥文件/);
  });
});
