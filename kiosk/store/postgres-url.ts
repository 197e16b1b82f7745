/**
 * The libpq connection URI, multi-host form included:
 *
 *     postgresql://kiosk@hall-server:5432,hall-standby:5432/hall?target_session_attrs=read-write
 *
 * node-postgres (pg 8.23) takes one host only: its parser hands the string to WHATWG `URL`, which
 * rejects a comma-separated host list ("TypeError: Invalid URL"; brianc/node-postgres#2781, and the
 * multi-host pull request brianc/node-postgres#3643 is still open), and it has no
 * `target_session_attrs`. So the URI is parsed here into one entry per host and the runner
 * (kiosk/store/postgres.ts) does what libpq does: try the hosts in order and keep the first whose
 * session matches `target_session_attrs`.
 */

/** libpq's values that make sense for the hall's store (the standby-seeking ones do not). */
export type SessionAttrs = 'any' | 'read-write' | 'primary';
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface PostgresTarget {
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string | undefined;
  readonly targetSessionAttrs: SessionAttrs;
  readonly sslmode: SslMode | undefined;
  readonly applicationName: string | undefined;
}

const DEFAULT_PORT = 5432;
const URI = /^postgres(?:ql)?:\/\/(?:([^@/?]*)@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/;
const SESSION_ATTRS: readonly string[] = ['any', 'read-write', 'primary'];
const SSL_MODES: readonly string[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Parses a connection URI; the error never quotes the URI (it may hold a password). */
export function parsePostgresUrl(url: string): PostgresTarget {
  const m = URI.exec(url.trim());
  if (!m) throw new TypeError('storage.postgres.url: not a postgresql:// connection URI');
  const [, userinfo, hostlist = '', path, query] = m;
  const hosts = hostlist.split(',').map((h) => parseHost(h));
  let user: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined;
    password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
  }
  let targetSessionAttrs: SessionAttrs = 'any';
  let sslmode: SslMode | undefined;
  let applicationName: string | undefined;
  for (const [key, value] of new URLSearchParams(query ?? '')) {
    if (key === 'target_session_attrs') {
      if (!SESSION_ATTRS.includes(value)) throw new TypeError(`storage.postgres.url: target_session_attrs must be one of ${SESSION_ATTRS.join(', ')}`);
      targetSessionAttrs = value as SessionAttrs;
    } else if (key === 'sslmode') {
      if (!SSL_MODES.includes(value)) throw new TypeError(`storage.postgres.url: sslmode must be one of ${SSL_MODES.join(', ')}`);
      sslmode = value as SslMode;
    } else if (key === 'application_name') {
      applicationName = value;
    } else if (key === 'user') {
      user = value;
    } else if (key === 'password') {
      password = value;
    } else {
      throw new TypeError(`storage.postgres.url: unsupported parameter "${key}" (supported: target_session_attrs, sslmode, application_name, user, password)`);
    }
  }
  return { hosts, user, password, database: path ? decodeURIComponent(path) : undefined, targetSessionAttrs, sslmode, applicationName };
}

function parseHost(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new TypeError('storage.postgres.url: every host needs a name (host[:port], comma-separated)');
  const port = m[2] === undefined ? DEFAULT_PORT : Number(m[2]);
  if (!(port > 0 && port < 65_536)) throw new TypeError('storage.postgres.url: a port is out of range');
  return { host: decodeURIComponent((m[1] as string).replace(/^\[(.+)\]$/, '$1')), port };
}

/** The hosts of a target, for messages (no user, no password). */
export function describeTarget(target: PostgresTarget): string {
  const hosts = target.hosts.map((h) => (h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`)).join(',');
  return `postgresql://${hosts}/${target.database ?? ''}`;
}
