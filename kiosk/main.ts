import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, developmentSecretsInUse, loadConfig } from '../config/load.ts';
import { buildServer } from '../server/app.ts';
import { remoteQueueFactory } from '../server/clients/remote-queue.ts';
import { createKiosk } from './compose.ts';
import { startDaemon } from './daemon.ts';

/**
 * Entry point: `npm start` (or `tsx kiosk/main.ts --config /etc/hall-kiosk/site.json`).
 * Loads and validates the configuration (refusing to start on any error), composes the kiosk,
 * and serves the API and the UI.
 */
const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  allowPositionals: false,
});

const log = pino({
  level: process.env.KIOSK_LOG_LEVEL ?? 'info',
  // Belt and braces: personal fields must never be logged, even if someone tries.
  redact: { paths: ['*.idNumber', '*.name', '*.address', '*.photo', 'idNumber', 'name', 'req.headers.authorization'], censor: '[已屏蔽]' },
});

let config;
try {
  config = loadConfig({
    file: values.config ?? process.env.KIOSK_CONFIG,
    overlay: {
      ...(values.port ? { api: { port: Number(values.port) } } : {}),
      ...(values['data-dir'] ? { storage: { dataDir: values['data-dir'] } } : {}),
    },
  });
} catch (err) {
  if (err instanceof ConfigError) {
    log.fatal(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

// Business logic always uses the hall's time zone explicitly; this makes whatever else formats a
// local time (log readers, the printer's test page) agree with it.
process.env.TZ = config.hall.timeZone;

const devSecrets = developmentSecretsInUse(config);
if (devSecrets.length) log.warn({ keys: devSecrets }, '正在使用开发用密钥 (development secrets in use): replace them in the site config before going live');

const kiosk = createKiosk(config, { deviceLogger: (kind) => log.child({ device: kind }), remoteQueue: remoteQueueFactory });
await kiosk.startDevices();
const daemon = await startDaemon(kiosk, { log, buildServer });
log.info({ url: daemon.url, queue: kiosk.queue.kind }, `${config.hall.name} 自助终端已启动`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void daemon.stop().then(() => process.exit(0));
  });
}
