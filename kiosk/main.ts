import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, developmentSecretsInUse, liveReasons, loadConfig } from '../config/load.ts';
import { buildServer } from '../server/app.ts';
import { remoteFetchFor, remoteQueueFactory } from '../server/clients/remote-queue.ts';
import { listenScreenLoopback, readServerTls, reloadServerTls, startProblems } from '../server/tls.ts';
import { createKiosk, type Kiosk } from './compose.ts';
import { startDaemon } from './daemon.ts';
import { DatabaseTooNewError } from './store/backup.ts';
import type { Runner } from './store/sql.ts';
import type { KioskConfig } from '../config/schema.ts';
import { configValidatorCodeCache } from '../config/validator.ts';
import { KioskError } from './errors.ts';
import { removePidFile, writePidFile } from './cli/pidfile.ts';
import { systemdNotifier } from './systemd.ts';
import { confirmPending, RESTART_EXIT_CODE, rollBackIfPending } from './console/site-file.ts';
import { applyPendingRestore, recordAppliedRestore, type RestoreOutcome } from './console/backups.ts';
import { LogRing } from './console/log-ring.ts';

/** Log records the console's log tail keeps in memory. */
const LOG_RING_RECORDS = 500;

/**
 * Entry point: `npm start` (compiled: `node dist/server/main.js --config /etc/hall-kiosk/site.json`).
 * Loads and validates the configuration (refusing to start on any error), refuses development
 * secrets on a live kiosk, composes the kiosk, serves the API and the UI, and tells systemd when
 * it is ready (Type=notify, watchdog pings from the event loop).
 */
const USAGE = `用法 (usage): hall-kiosk-daemon [--config site.json] [--secrets secrets.env] [--port N] [--data-dir DIR] [--insecure-dev]
  --config      站点配置 (site config; default $KIOSK_CONFIG, else the built-in defaults)
  --secrets     密钥文件 (KIOSK_*=value lines; default $KIOSK_SECRETS_FILE)
  --insecure-dev  演示用：允许在正式环境使用开发密钥 (demo only: allow development secrets on a live kiosk)
`;
let values: { config?: string; port?: string; 'data-dir'?: string; secrets?: string; 'insecure-dev'?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      secrets: { type: 'string' },
      'insecure-dev': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }));
} catch (err) {
  process.stderr.write(`参数错误 (bad arguments): ${(err as Error).message}\n${USAGE}`);
  process.exit(64); // EX_USAGE
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

// The console's log tail (kiosk/console/log-ring.ts): the last records in memory, beside stdout.
const logRing = new LogRing(LOG_RING_RECORDS);
const logLevel = process.env.KIOSK_LOG_LEVEL ?? 'info';
const log = pino(
  {
    level: logLevel,
    // Belt and braces: personal fields must never be logged, even if someone tries.
    redact: { paths: ['*.idNumber', '*.name', '*.address', '*.photo', 'idNumber', 'name', 'req.headers.authorization'], censor: '[已屏蔽]' },
  },
  pino.multistream([
    // Synchronous, as pino's default: a fatal line written right before process.exit reaches journald.
    { level: logLevel as pino.Level, stream: pino.destination({ fd: 1, sync: true }) },
    { level: logLevel as pino.Level, stream: logRing },
  ]),
);

const siteFile = values.config ?? process.env.KIOSK_CONFIG;
/**
 * A site file changed from the console that does not start is replaced by the version before it
 * (the console shows why); exiting lets systemd start the daemon again with that version.
 */
const failStart = (code: number, reason: string): never => {
  if (rollBackIfPending(siteFile, reason))
    log.fatal({ siteFile }, '新配置无法启动，已恢复上一版本站点配置 (the new site configuration did not start; the previous one is restored)');
  process.exit(code);
};

let config;
try {
  config = loadConfig({
    file: siteFile,
    secretsFile: values.secrets ?? process.env.KIOSK_SECRETS_FILE,
    overlay: {
      ...(values.port ? { api: { port: Number(values.port) } } : {}),
      ...(values['data-dir'] ? { storage: { dataDir: values['data-dir'] } } : {}),
    },
  });
} catch (err) {
  if (err instanceof ConfigError) {
    log.fatal(err.message);
    failStart(78, err.message); // EX_CONFIG
  }
  throw err;
}

// Business logic always uses the hall's time zone explicitly; this makes whatever else formats a
// local time (log readers, the printer's test page) agree with it.
process.env.TZ = config.hall.timeZone;

// Published development secrets (config/defaults.json) must not reach a live kiosk: anyone could
// forge ticket QR codes, identity hashes and counter tokens with them.
const devSecrets = developmentSecretsInUse(config);
const live = liveReasons(config);
if (devSecrets.length && live.length && !values['insecure-dev']) {
  log.fatal(
    { keys: devSecrets, live },
    `拒绝启动：正式环境仍在使用开发用密钥 ${devSecrets.join(', ')}；请运行 hall-kiosk secrets 生成站点密钥 ` +
      `(refusing to start: development secrets in use while live [${live.join(', ')}]; run \`hall-kiosk secrets\`, or pass --insecure-dev for a demo)`,
  );
  failStart(78, `正式环境仍在使用开发用密钥 (development secrets while live): ${devSecrets.join(', ')}`); // EX_CONFIG
}
if (devSecrets.length && live.length) {
  log.warn({ keys: devSecrets, live }, '!!! 不安全的演示模式：正式环境使用开发用密钥 (INSECURE DEMO: development secrets on a live kiosk, --insecure-dev) !!!');
} else if (devSecrets.length) {
  log.warn({ keys: devSecrets }, '正在使用开发用密钥 (development secrets in use): replace them in the site config before going live');
}

// Tokens cross the LAN only inside TLS: a LAN-bound daemon needs api.tls (or --insecure-dev for a
// demo), and a terminal on a remote queue needs https with the hall CA pinned (server/tls.ts).
const transportProblems = startProblems(config, { insecureDev: values['insecure-dev'] === true });
if (transportProblems.length) {
  log.fatal({ problems: transportProblems }, `拒绝启动 (refusing to start): ${transportProblems.join('; ')}`);
  process.exit(78); // EX_CONFIG
}
if (!config.api.tls && values['insecure-dev'] && liveReasons(config).some((r) => r.startsWith('api.host='))) {
  log.warn({ host: config.api.host }, '!!! 不安全的演示模式：局域网明文 HTTP (INSECURE DEMO: plain HTTP on the LAN, --insecure-dev) !!!');
}
const serverTls = config.api.tls ? readServerTls(config.api.tls) : null;

const notifier = systemdNotifier(process.env, (message) => log.warn(message));

/**
 * The hall's PostgreSQL store (storage.engine: postgres). While no primary is reachable the daemon
 * keeps trying and says so in the log (systemd keeps it "activating": the kiosk screen waits for
 * readiness); a schema newer than this program is fatal, as on SQLite.
 */
async function openHallStore(c: KioskConfig): Promise<Runner> {
  const pgc = c.storage.postgres!;
  const options = {
    url: pgc.url ?? '', // required by the boot checks (config/load.ts) when engine is postgres
    password: pgc.password,
    poolSize: pgc.poolSize,
    statementTimeoutMs: pgc.statementTimeoutMs,
    connectTimeoutMs: pgc.connectTimeoutMs,
    tls: pgc.tls,
  };
  // Loaded only here: a terminal on SQLite never pays for the PostgreSQL client.
  const { openPostgres } = await import('./store/postgres.ts');
  for (let attempt = 1; ; attempt++) {
    try {
      const runner = await openPostgres(options);
      log.info({ store: runner.target.hosts.length > 1 ? 'postgres (multi-host)' : 'postgres' }, '大厅排队数据库已连接 (hall store on PostgreSQL)');
      return runner;
    } catch (err) {
      if (err instanceof DatabaseTooNewError || !(err instanceof KioskError)) throw err;
      log.warn({ attempt, code: err.details.postgres ?? null }, '无法连接大厅排队数据库，正在重试 (hall store unreachable; retrying)');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1_000 * attempt)));
    }
  }
}
let kiosk: Kiosk;
let restored: RestoreOutcome | null = null;
try {
  // A restore chosen in the console (kiosk/console/backups.ts) is swapped in before the store opens.
  restored = applyPendingRestore(join(resolve(config.storage.dataDir), 'kiosk.db'));
  if (restored?.ok)
    log.warn(
      { backup: restored.backup, previous: restored.previous },
      '已从维护台选择的备份恢复数据库 (database restored from a backup chosen in the console)',
    );
  else if (restored)
    log.error({ backup: restored.backup, reason: restored.reason }, '数据库恢复失败，继续使用原数据库 (restore failed; the database is unchanged)');
  const hallStore = config.storage.engine === 'postgres' && !config.queue.remote ? await openHallStore(config) : undefined;
  kiosk = createKiosk(config, {
    deviceLogger: (kind) => log.child({ device: kind }),
    remoteQueue: remoteQueueFactory,
    ...(config.queue.remote ? { remoteFetch: remoteFetchFor(config.queue.remote) } : {}),
    ...(hallStore ? { hallStore } : {}),
  });
  // Opening the day and counters is a transaction on the hall store: while the store cannot take
  // it (another daemon migrating or opening under load, a failover) wait and try again, as the
  // connection does; kiosk.open() is idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      await kiosk.open();
      break;
    } catch (err) {
      if (!(err instanceof KioskError && err.code === 'STORE_UNAVAILABLE')) throw err;
      log.warn({ attempt, code: err.details.postgres ?? null }, '大厅排队数据库暂时不可用，正在重试 (hall store unavailable while opening; retrying)');
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1_000 * attempt)));
    }
  }
} catch (err) {
  if (err instanceof DatabaseTooNewError) {
    log.fatal(err.message);
    process.exit(78);
  }
  log.fatal({ err: (err as Error).message }, `无法打开数据库 (cannot open the store): ${(err as Error).message}`);
  process.exit(74); // EX_IOERR
}
if (restored) recordAppliedRestore(kiosk.db, kiosk.clock, restored);
const pidFile = writePidFile(config.storage.dataDir);
await kiosk.startDevices();
let restarting = false;
const requestRestart = (): void => {
  if (restarting) return;
  restarting = true;
  log.info('维护台要求重启（站点配置已修改或将恢复备份），正在平滑重启 (restart requested from the console: configuration applied or a restore staged)');
  notifier?.stopping();
  void daemon.stop().then(() => {
    removePidFile(pidFile);
    process.exit(RESTART_EXIT_CODE); // systemd (Restart=always) starts the daemon with the new file
  });
};
let daemon: Awaited<ReturnType<typeof startDaemon>>;
try {
  daemon = await startDaemon(kiosk, {
    log,
    buildServer,
    serverOptions: { siteFile, requestRestart, https: serverTls, logRing },
    alsoListen: async (app) => {
      const port = config.api.screenPort;
      if (!serverTls || port === null) return null;
      const screen = await listenScreenLoopback(app, port);
      log.info({ url: screen.url }, '本机屏幕的回环 HTTP 已启动 (loopback HTTP for the kiosk screen)');
      return screen.close;
    },
  });
} catch (err) {
  log.fatal({ err: (err as Error).message }, `无法启动服务 (cannot start): ${(err as Error).message}`);
  removePidFile(pidFile);
  failStart(70, (err as Error).message);
  throw err;
}
confirmPending(siteFile);
log.info(
  { url: daemon.url, queue: kiosk.queue.kind, ...(serverTls ? { certificate: serverTls.fingerprint } : {}), configCodeCache: configValidatorCodeCache() },
  `${config.hall.name} 自助终端已启动`,
);

// SIGHUP: read api.tls again (a renewed certificate) without dropping the daemon or its
// connections. A bad file keeps the old certificate. Without api.tls it is only logged (the
// default action of SIGHUP would end the process).
process.on('SIGHUP', () => {
  const files = config.api.tls;
  if (!files) return log.info('SIGHUP: 未配置 api.tls，无需重新加载 (no api.tls to reload)');
  try {
    const next = reloadServerTls(daemon.app.server, files);
    log.info({ certificate: next.fingerprint }, 'TLS 证书已重新加载 (TLS certificate reloaded)');
  } catch (err) {
    log.error({ err: (err as Error).message }, 'TLS 证书重新加载失败，继续使用原证书 (TLS reload failed; the previous certificate stays in use)');
  }
});
// Listening and the store open: only now may systemd start the screen (After=/Requires=).
notifier?.ready(`serving ${daemon.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    notifier?.stopping();
    void daemon.stop().then(() => {
      notifier?.close();
      removePidFile(pidFile);
      process.exit(0);
    });
  });
}
