import { createHash, randomBytes } from 'node:crypto';
import type { CounterConfig, KioskConfig, ServiceConfig } from '../../config/schema.ts';
import type { ConsoleAudit } from './audit.ts';
import { checkPatch, type ConfigProblem } from './site-config.ts';
import { versionDiff, readSite, writeSitePatch } from './site-file.ts';

/**
 * The hall, its services, counters and credentials as the console edits them. Every change is a
 * patch of the site configuration that goes the one way of the console's configuration changes
 * (kiosk/console/site-config.ts, site-file.ts): checked by the boot's schema with Chinese field
 * errors, written atomically to the site file with a version and its diff, then applied by the
 * daemon's graceful restart (rolled back if it does not start).
 *
 * Two patches per change: `check`, with the running (resolved) secrets, is what the schema sees;
 * `site`, written to the file, keeps the file's own `$env:NAME` references for secrets it does not
 * change. A new credential is written into the site file itself (a Secret string, as the
 * configuration requires): /etc/hall-kiosk/secrets.env belongs to root and the daemon cannot write
 * it. The site file is written 0640 and the secret is never shown again or put in a diff.
 */

export type HallSettings = KioskConfig['hall'];
export type CounterSettings = Pick<CounterConfig, 'number' | 'name' | 'services'>;
export type CredentialKind = 'counter' | 'hall-server' | 'terminal';

export const CREDENTIAL_LABELS: Record<CredentialKind, string> = { counter: '窗口令牌', 'hall-server': '大厅服务器令牌', terminal: '终端令牌' };

/** A new token: 256 random bits, base64url, with a prefix naming its kind (never `dev-`). */
export function generateToken(kind: CredentialKind): string {
  const prefix = kind === 'counter' ? 'hkc' : kind === 'hall-server' ? 'hkh' : 'hkt';
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** What a credential is called on screen and in the audit trail: 12 hex digits of its SHA-256, not the secret. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 12);
}

export interface CredentialView {
  readonly kind: CredentialKind;
  readonly fingerprint: string;
  /** The counter of a counter token. */
  readonly counterNo: number | null;
  readonly label: string;
  /** Still a published development value (defaults.json or `dev-…`). */
  readonly development: boolean;
}

export function credentials(config: KioskConfig): CredentialView[] {
  const dev = (t: string) => t.startsWith('dev-');
  return [
    ...config.counters.map((c) => ({
      kind: 'counter' as const,
      fingerprint: fingerprint(c.token),
      counterNo: c.number,
      label: `${c.name}`,
      development: dev(c.token),
    })),
    ...config.api.hallServerTokens.map((t, i) => ({
      kind: 'hall-server' as const,
      fingerprint: fingerprint(t),
      counterNo: null,
      label: `大厅服务器 / 叫号屏令牌 ${i + 1}`,
      development: dev(t),
    })),
    ...config.api.terminalTokens.map((t, i) => ({
      kind: 'terminal' as const,
      fingerprint: fingerprint(t),
      counterNo: null,
      label: `终端令牌 ${i + 1}`,
      development: dev(t),
    })),
  ];
}

/** The running secret with this fingerprint and kind, or undefined. */
export function findCredential(config: KioskConfig, kind: CredentialKind, print: string): { token: string; counterNo: number | null } | undefined {
  if (kind === 'counter') {
    const c = config.counters.find((x) => fingerprint(x.token) === print);
    return c ? { token: c.token, counterNo: c.number } : undefined;
  }
  const list = kind === 'hall-server' ? config.api.hallServerTokens : config.api.terminalTokens;
  const t = list.find((x) => fingerprint(x) === print);
  return t === undefined ? undefined : { token: t, counterNo: null };
}

export interface SiteChange {
  /** Laid over the running configuration for the check. */
  readonly check: Record<string, unknown>;
  /** Laid over the site file. */
  readonly site: Record<string, unknown>;
  /** A credential made by this change, to be shown once. */
  readonly secret?: { readonly kind: CredentialKind; readonly token: string; readonly fingerprint: string; readonly counterNo: number | null };
}

type Site = Record<string, unknown>;
const siteArray = (site: Site, section: string, key?: string): unknown[] | undefined => {
  const s = key ? (site[section] as Record<string, unknown> | undefined)?.[key] : site[section];
  return Array.isArray(s) ? s : undefined;
};

export function hallChange(hall: HallSettings): SiteChange {
  return { check: { hall }, site: { hall } };
}

export function servicesChange(services: readonly ServiceConfig[]): SiteChange {
  return { check: { services }, site: { services } };
}

/**
 * The counters as `next` lists them. A counter keeps its token (in the site file as written there,
 * e.g. `$env:KIOSK_COUNTER_3_TOKEN`); a new number gets a new token, shown once.
 */
export function countersChange(running: KioskConfig, site: Site, next: readonly CounterSettings[]): SiteChange {
  const rawCounters = (siteArray(site, 'counters') ?? running.counters) as { number?: unknown; token?: unknown }[];
  let secret: SiteChange['secret'];
  const check: CounterConfig[] = [];
  const written: Record<string, unknown>[] = [];
  for (const c of next) {
    const existing = running.counters.find((r) => r.number === c.number);
    let token = existing?.token;
    let raw: unknown = rawCounters.find((r) => r.number === c.number)?.token ?? token;
    if (token === undefined) {
      token = generateToken('counter');
      raw = token;
      secret = { kind: 'counter', token, fingerprint: fingerprint(token), counterNo: c.number };
    }
    check.push({ number: c.number, name: c.name, services: [...c.services], token });
    written.push({ number: c.number, name: c.name, services: [...c.services], token: raw });
  }
  return { check: { counters: check }, site: { counters: written }, ...(secret ? { secret } : {}) };
}

/** A new hall-server or terminal token beside the others, or a counter's token replaced by a new one. */
export function generateChange(running: KioskConfig, site: Site, kind: CredentialKind, counterNo?: number): SiteChange | null {
  const token = generateToken(kind);
  const secret = { kind, token, fingerprint: fingerprint(token), counterNo: counterNo ?? null };
  if (kind === 'counter') {
    if (!running.counters.some((c) => c.number === counterNo)) return null;
    return { ...replaceCounterToken(running, site, counterNo!, token), secret };
  }
  const key = kind === 'hall-server' ? 'hallServerTokens' : 'terminalTokens';
  const rawList = siteArray(site, 'api', key) ?? [...running.api[key]];
  return { check: { api: { [key]: [...running.api[key], token] } }, site: { api: { [key]: [...rawList, token] } }, secret };
}

/**
 * Revokes a credential: a hall-server or terminal token is removed; a counter's token is replaced
 * by a new one nobody has seen (the counter's devices are paired again). null: no such credential.
 */
export function revokeChange(running: KioskConfig, site: Site, kind: CredentialKind, print: string): SiteChange | null {
  const found = findCredential(running, kind, print);
  if (!found) return null;
  if (kind === 'counter') return replaceCounterToken(running, site, found.counterNo!, generateToken('counter'));
  const key = kind === 'hall-server' ? 'hallServerTokens' : 'terminalTokens';
  const index = running.api[key].findIndex((t) => fingerprint(t) === print);
  const rawList = siteArray(site, 'api', key) ?? [...running.api[key]];
  return {
    check: { api: { [key]: running.api[key].filter((_, i) => i !== index) } },
    site: { api: { [key]: rawList.filter((_, i) => i !== index) } },
  };
}

function replaceCounterToken(running: KioskConfig, site: Site, counterNo: number, token: string): SiteChange {
  const rawCounters = (siteArray(site, 'counters') ?? running.counters) as Record<string, unknown>[];
  return {
    check: { counters: running.counters.map((c) => (c.number === counterNo ? { ...c, token } : c)) },
    site: {
      counters: running.counters.map((c) => {
        const raw = rawCounters.find((r) => r.number === c.number) ?? c;
        return c.number === counterNo ? { ...raw, token } : { ...raw };
      }),
    },
  };
}

export type ApplyOutcome = { readonly ok: false; readonly problems: ConfigProblem[] } | { readonly ok: true; readonly problems: []; readonly version: number };

/**
 * Checks `change` with the boot's schema; when it passes, writes it to the site file (atomically,
 * the previous version kept, a pending marker until the next start) and records the version. The
 * caller restarts the daemon.
 */
export function applySiteChange(running: KioskConfig, siteFile: string, change: SiteChange, user: string, at: number, audit: ConsoleAudit): ApplyOutcome {
  const problems = checkPatch(running, change.check);
  if (problems.length) return { ok: false, problems };
  const before = readSite(siteFile);
  const written = writeSitePatch(siteFile, change.site, { at, user });
  const diff = versionDiff(before, JSON.parse(written.after) as unknown);
  return { ok: true, problems: [], version: audit.recordConfigVersion(user, diff) };
}

const FIELD_LABELS: readonly [RegExp, string][] = [
  [/^hall\.name$/, '大厅名称'],
  [/^hall\.code$/, '大厅编码'],
  [/^hall\.level$/, '大厅层级'],
  [/^hall\.regionCode$/, '行政区划代码'],
  [/^hall\.address$/, '地址'],
  [/^hall\.phones\.consult$/, '咨询电话'],
  [/^hall\.phones\.complaint$/, '投诉电话'],
  [/^hall\.openingHours/, '办公时间'],
  [/^hall\.timeZone$/, '时区'],
  [/^hall\.dailyResetTime$/, '每日清号时间'],
  [/^hall\.upperHall\.name$/, '上级大厅名称'],
  [/^hall\.upperHall\.level$/, '上级大厅层级'],
  [/^hall\.upperHall\.address$/, '上级大厅地址'],
  [/^hall\.upperHall\.phone$/, '上级大厅电话'],
  [/^services\[\d+\]\.code$/, '业务编码'],
  [/^services\[\d+\]\.name$/, '业务名称'],
  [/^services\[\d+\]\.prefix$/, '号票字母'],
  [/^services/, '业务'],
  [/^counters\[\d+\]\.number$/, '窗口号'],
  [/^counters\[\d+\]\.name$/, '窗口名称'],
  [/^counters\[\d+\]\.services/, '办理业务'],
  [/^counters/, '窗口'],
  [/^api\.hallServerTokens/, '大厅服务器令牌'],
  [/^api\.terminalTokens/, '终端令牌'],
  [/^queue\.remote\.url$/, '排队服务终端地址'],
  [/^queue\.remote\.caFile$/, '大厅 CA 证书文件'],
  [/^queue\.remote/, '大厅排队服务'],
];

/** The Chinese name of a configuration field, for the console's form (`hall.regionCode` → 行政区划代码). */
export function fieldLabel(field: string): string {
  return FIELD_LABELS.find(([re]) => re.test(field))?.[1] ?? field;
}

/** Each problem with its field's Chinese name in front: `行政区划代码：配置项 hall.regionCode 的格式不正确`. */
export function labelled(problems: readonly ConfigProblem[]): { field: string; label: string; message: string }[] {
  return problems.map((p) => {
    const label = fieldLabel(p.field);
    return { field: p.field, label, message: label === p.field ? p.message : `${label}：${p.message}` };
  });
}
