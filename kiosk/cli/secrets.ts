import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseEnvFile } from '../../config/load.ts';
import { hashPassword, isPasswordHash } from '../console/passwords.ts';
import { parse, rawConfig, siteFile } from './common.ts';
import { CliError, EX } from './errors.ts';

export const SECRETS_HELP = `用法 (usage): hall-kiosk secrets [--out secrets.env] [--config site.json] [--rotate] [--print-site]
  生成站点密钥文件：每个令牌、privacy.hmacKey、回访手机号密钥都是随机值；维护台管理员 admin 的
  初始密码随机生成并只显示一次，文件中只保存其 scrypt 散列（其他账户用 hall-kiosk passwd 添加）。
  已有的变量保留不变（可重复运行），--rotate 全部重新生成（旧文件另存为 .old）。
  站点配置中以 "$env:变量名" 引用这些值；--print-site 输出引用它们的 site.json 片段。
  (writes random secrets as KIOSK_*=value lines, keeping variables already set unless --rotate;
   site.json refers to them as "$env:NAME"; --print-site prints the matching site.json overlay)
  --out      默认 $KIOSK_SECRETS_FILE，否则 ./secrets.env（软件包为 /etc/hall-kiosk/secrets.env）
  退出码 (exit): 0 已写入 (written), 64 参数错误, 73 无法写入 (cannot write), 78 配置错误
`;

export interface SecretVar {
  readonly name: string;
  /** JSON path in the site configuration that refers to it. */
  readonly path: string;
  /** A password hash: a random password is generated, its scrypt hash stored, the password shown once. */
  readonly hash?: boolean;
}

/** The variables a site needs, given its configuration (one token per counter). */
export function secretVariables(config: Record<string, unknown>): SecretVar[] {
  const counters = Array.isArray(config.counters) ? (config.counters as { number?: unknown }[]) : [];
  return [
    { name: 'KIOSK_HMAC_KEY', path: 'privacy.hmacKey' },
    { name: 'KIOSK_ADMIN_PASSWORD_HASH', path: 'api.accounts[0].passwordHash', hash: true },
    { name: 'KIOSK_HALL_SERVER_TOKEN', path: 'api.hallServerTokens[0]' },
    { name: 'KIOSK_TERMINAL_TOKEN', path: 'api.terminalTokens[0]' },
    { name: 'KIOSK_PHONE_KEY', path: 'evaluation.phoneKey' },
    ...counters.map((c, i) => ({ name: `KIOSK_COUNTER_${String(c.number ?? i + 1)}_TOKEN`, path: `counters[${i}].token` })),
  ];
}

/** The site.json overlay that reads every secret from the environment ("$env:NAME"). */
export function siteOverlay(config: Record<string, unknown>): Record<string, unknown> {
  const counters = Array.isArray(config.counters) ? (config.counters as Record<string, unknown>[]) : [];
  return {
    privacy: { hmacKey: '$env:KIOSK_HMAC_KEY' },
    api: {
      hallServerTokens: ['$env:KIOSK_HALL_SERVER_TOKEN'],
      terminalTokens: ['$env:KIOSK_TERMINAL_TOKEN'],
      // The development accounts are replaced by one hall-admin; `hall-kiosk passwd` adds technicians.
      accounts: [{ user: 'admin', role: 'hall-admin', passwordHash: '$env:KIOSK_ADMIN_PASSWORD_HASH' }],
    },
    evaluation: { phoneKey: '$env:KIOSK_PHONE_KEY' },
    counters: counters.map((c, i) => ({ ...c, token: `$env:KIOSK_COUNTER_${String(c.number ?? i + 1)}_TOKEN` })),
  };
}

/** 256 random bits, URL-safe (43 characters: longer than every minimum in the schema). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function renderSecretsFile(
  vars: readonly SecretVar[],
  keep: Record<string, string>,
  now = new Date(),
): { text: string; generated: string[]; passwords: Record<string, string> } {
  const generated: string[] = [];
  const passwords: Record<string, string> = {};
  const lines = [
    `# hall-kiosk site secrets — written by \`hall-kiosk secrets\` ${now.toISOString()}`,
    '# 站点密钥：只允许 root 读取 (0600)。site.json 以 "$env:变量名" 引用；systemd 用 EnvironmentFile= 读入。',
    '# Counter tokens go to the counter clients; KIOSK_HALL_SERVER_TOKEN to the hall server and call displays.',
  ];
  for (const v of vars) {
    let value = keep[v.name];
    if (!value || value.startsWith('dev-') || (v.hash && !isPasswordHash(value))) {
      if (v.hash) {
        const password = randomBytes(12).toString('base64url');
        passwords[v.name] = password;
        value = hashPassword(password);
      } else value = randomSecret();
      generated.push(v.name);
    }
    lines.push(`# ${v.path}`, `${v.name}=${value}`);
  }
  const known = new Set(vars.map((v) => v.name));
  const extra = Object.entries(keep).filter(([k]) => !known.has(k));
  if (extra.length) lines.push('# kept from the previous file', ...extra.map(([k, v]) => `${k}=${v}`));
  return { text: `${lines.join('\n')}\n`, generated, passwords };
}

export async function runSecrets(args: string[]): Promise<number> {
  const { values } = parse(args, {
    out: { type: 'string' },
    config: { type: 'string' },
    rotate: { type: 'boolean' },
    'print-site': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(SECRETS_HELP);
    return EX.OK;
  }
  const config = rawConfig(siteFile(values));
  const vars = secretVariables(config);
  if (values['print-site']) {
    process.stdout.write(`${JSON.stringify(siteOverlay(config), null, 2)}\n`);
    return EX.OK;
  }
  const out = resolve(values.out ?? process.env.KIOSK_SECRETS_FILE ?? 'secrets.env');
  let keep: Record<string, string> = {};
  if (existsSync(out)) {
    try {
      keep = values.rotate ? {} : parseEnvFile(readFileSync(out, 'utf8'));
    } catch (err) {
      throw new CliError(EX.NOPERM, `无法读取现有密钥文件 (cannot read ${out}): ${(err as Error).message}`);
    }
  }
  const { text, generated, passwords } = renderSecretsFile(vars, keep);
  try {
    mkdirSync(dirname(out), { recursive: true });
    if (values.rotate && existsSync(out)) renameSync(out, `${out}.old`);
    const tmp = `${out}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, out);
  } catch (err) {
    throw new CliError(EX.CANTCREAT, `无法写入密钥文件 (cannot write ${out}): ${(err as Error).message}`);
  }
  process.stdout.write(
    `已写入 (written) ${out}: 新生成 ${generated.length} 项 (generated)${generated.length ? `: ${generated.join(', ')}` : ''}; ` +
      `保留 ${vars.length - generated.length} 项 (kept)\n`,
  );
  if (passwords.KIOSK_ADMIN_PASSWORD_HASH) {
    process.stdout.write(
      `维护台管理员 admin 的初始密码（只显示这一次，请记下）(console password of "admin", shown once): ${passwords.KIOSK_ADMIN_PASSWORD_HASH}\n`,
    );
  }
  return EX.OK;
}
