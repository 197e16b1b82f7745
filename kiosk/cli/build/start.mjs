#!/usr/bin/env node
/**
 * `npm start [-- daemon flags]`: what a hall's systemd unit does, for a development machine.
 *
 * - builds what is stale (build.mjs --if-stale);
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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, buildUi, ROOT, serverStale, uiStale, unitNodeFlags } from './build.mjs';

export { unitNodeFlags };

/** The daemon's exit code for "start me again with the new site file" (kiosk/console/site-file.ts). */
const RESTART_EXIT_CODE = 75;
const DEFAULT_DATA_DIR = 'data'; // storage.dataDir in config/defaults.json, relative to the working directory

/** The value of `--name value` or `--name=value` in args. */
function flagValue(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** The daemon's arguments: the given ones, plus a site file in the data directory if none is named. */
export function daemonArgs(args, env = process.env) {
  if (flagValue(args, '--config') !== undefined || env.KIOSK_CONFIG || args.includes('--help') || args.includes('-h')) return { args, created: null };
  const dataDir = resolve(flagValue(args, '--data-dir') ?? DEFAULT_DATA_DIR);
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
  try {
    if (serverStale()) await buildServer();
    if (uiStale()) await buildUi();
  } catch (err) {
    process.stderr.write(`构建失败 (build failed): ${err?.message ?? err}\n`);
    process.exit(1);
  }
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
      process.exit(code ?? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 }[signal] ?? 0));
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
