import { resolve } from 'node:path';
import { developmentSecretsInUse, liveReasons, loadConfig } from '../../config/load.ts';
import { startProblems } from '../../server/tls.ts';
import { CONFIG_OPTIONS, parse, secretsFile, siteFile } from './common.ts';
import { CliError, EX } from './errors.ts';

export const CONFIG_HELP = `用法 (usage): hall-kiosk config check [--config site.json] [--secrets secrets.env] [--json]
  校验站点配置（默认值 + 站点文件 + 密钥文件），列出每一处错误；正式环境仍使用开发密钥时报错。
  (validates defaults + site file + secrets, lists every problem; fails when a live kiosk would
   still use a published development secret — the daemon would refuse to start)
  退出码 (exit): 0 有效 (valid), 64 参数错误 (usage), 78 配置错误 (invalid)
`;

export async function runConfig(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...CONFIG_OPTIONS, json: { type: 'boolean' } }, true);
  if (values.help || positionals.length === 0) {
    process.stdout.write(CONFIG_HELP);
    return values.help ? EX.OK : EX.USAGE;
  }
  if (positionals[0] !== 'check' || positionals.length > 1) {
    throw new CliError(EX.USAGE, `未知子命令 “${positionals.join(' ')}” (unknown: config ${positionals.join(' ')}); 用法: hall-kiosk config check`);
  }
  const file = siteFile(values);
  const config = loadConfig({ file, secretsFile: secretsFile(values) });
  const dev = developmentSecretsInUse(config);
  const live = liveReasons(config);
  const summary = {
    file: file ?? null,
    hall: config.hall.name,
    services: config.services.length,
    counters: config.counters.length,
    devices: Object.fromEntries(Object.entries(config.devices).map(([k, d]) => [k, d.mode])),
    api: `${config.api.host}:${config.api.port}`,
    dataDir: resolve(config.storage.dataDir),
    live,
    developmentSecrets: dev,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(
      `配置有效 (configuration valid): ${summary.hall}; ${summary.services} 项业务, ${summary.counters} 个窗口; ` +
        `API ${summary.api}; 数据目录 ${summary.dataDir}\n` +
        `设备 (devices): ${Object.entries(summary.devices)
          .map(([k, m]) => `${k}=${m}`)
          .join(', ')}\n`,
    );
  }
  if (dev.length && live.length) {
    throw new CliError(
      EX.CONFIG,
      `正式环境仍在使用开发用密钥 ${dev.join(', ')}，服务将拒绝启动；请运行 hall-kiosk secrets ` +
        `(development secrets in use while live [${live.join(', ')}]: the daemon would refuse to start)`,
    );
  }
  const transport = startProblems(config, { insecureDev: false });
  if (transport.length) throw new CliError(EX.CONFIG, `服务将拒绝启动 (the daemon would refuse to start): ${transport.join('; ')}`);
  if (dev.length && !values.json) process.stdout.write(`注意 (note): 开发用密钥 (development secrets): ${dev.join(', ')} — 上线前请运行 hall-kiosk secrets\n`);
  return EX.OK;
}
