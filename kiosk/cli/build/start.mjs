#!/usr/bin/env node
/**
 * `npm start [-- daemon flags]`: what a hall's systemd unit does, for a development machine.
 *
 * - builds what is stale (build.mjs's buildOrExit, as `npm run build -- --if-stale`);
 * - runs `node dist/server/main.js` with the node options of the unit's ExecStart
 *   (config/debian/hall-kiosk.service), so npm start, the bench and the package test measure the
 *   process the hall runs;
 * - without `--config` or KIOSK_CONFIG, gives the daemon a site file in its data directory
 *   (`data/site.json`, created as `{}`: the defaults unchanged), so the console's configuration,
 *   device and hall pages can save what they change, as on an installed kiosk;
 * - starts the daemon again when it exits 75 (a change from the console that needs a restart; the
 *   unit's Restart=always does this in a hall), and otherwise exits with the daemon's code.
 *
 * Plain JavaScript on purpose, like build.mjs: no TypeScript loader.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildOrExit, ROOT, unitNodeFlags } from './build.mjs';

export { unitNodeFlags };

/** The daemon's exit code for "start me again with the new site file" (kiosk/console/site-file.ts). */
const RESTART_EXIT_CODE = 75;

/** The daemon's flags this script looks at (kiosk/main.ts parses them all); the rest pass through. */
function daemonFlags(args) {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
  });
  return values;
}

/** The daemon's arguments: the given ones, plus a site file in the data directory if none is named. */
export function daemonArgs(args, env = process.env) {
  const flags = daemonFlags(args);
  if (flags.config !== undefined || env.KIOSK_CONFIG || flags.help) return { args, created: null };
  // storage.dataDir of config/defaults.json, relative to the working directory as the daemon reads it.
  const defaults = JSON.parse(readFileSync(join(ROOT, 'config/defaults.json'), 'utf8'));
  const dataDir = resolve(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : defaults.storage.dataDir);
  const site = join(dataDir, 'site.json');
  let created = null;
  if (!existsSync(site)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(site, '{}\n', { mode: 0o600, flag: 'wx' });
    created = site;
  }
  return { args: [...args, '--config', site], created };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildOrExit({ ifStale: true });
  const { args, created } = daemonArgs(process.argv.slice(2));
  if (created) process.stderr.write(`已创建站点配置文件 (created the site file) ${relative(process.cwd(), created)}: 维护台的修改保存在这里\n`);
  const flags = unitNodeFlags();
  let child;
  let stopping = null;
  const run = () => {
    // Its own process group: Ctrl-C reaches this process only, which passes one signal on.
    child = spawn(process.execPath, [...flags, join(ROOT, 'dist/server/main.js'), ...args], { stdio: 'inherit', detached: true });
    child.once('exit', (code, signal) => {
      if (code === RESTART_EXIT_CODE && !stopping) {
        process.stderr.write('终端服务按维护台的要求重启 (restarting the daemon, as the console asked)\n');
        run();
        return;
      }
      process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGHUP') stopping = signal;
      child?.kill(signal);
    });
  }
  run();
}
