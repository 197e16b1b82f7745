/**
 * The `hall-kiosk` command: what a technician types on the kiosk.
 *
 *   hall-kiosk doctor | config check | secrets | passwd | backup | restore | version   (each with --help)
 *
 * Never prints a stack trace: every failure is one line in Chinese and English and an exit code
 * from sysexits(3): 0 ok, 1 a check failed, 64 usage, 65 bad backup data, 70 internal error,
 * 73 cannot create a file, 74 I/O error, 75 try again later (daemon running), 78 configuration.
 * Set KIOSK_DEBUG=1 to see the stack of an unexpected error.
 */
import { ConfigError } from '../../config/load.ts';
import { BackupError, DatabaseTooNewError } from '../store/backup.ts';
import { CliError, EX } from './errors.ts';

export const MAIN_HELP = `hall-kiosk — 医保大厅自助终端管理命令 (hall-kiosk administration)

用法 (usage): hall-kiosk <命令> [选项]     hall-kiosk <命令> --help 查看详细说明

  doctor         检查读卡器、扫码器、打印机、出票机 (check the devices)
  config check   检查站点配置和密钥 (validate the site configuration and secrets)
  secrets        生成站点密钥文件 (generate the site secrets file)
  passwd         生成维护台账户的密码散列 (hash a console account password for site.json)
  backup         在线备份数据库并校验 (online database backup, integrity-checked)
  restore        从备份恢复数据库（需先停止服务）(restore a backup; daemon stopped)
  version        显示版本 (show versions)

环境变量 (environment): KIOSK_CONFIG 站点配置文件, KIOSK_SECRETS_FILE 密钥文件, KIOSK_DEBUG=1 显示错误堆栈
`;

type Verb = (args: string[]) => Promise<number>;

const VERBS: Record<string, () => Promise<Verb>> = {
  doctor: async () => (await import('../doctor.ts')).runDoctor,
  config: async () => (await import('./config-check.ts')).runConfig,
  secrets: async () => (await import('./secrets.ts')).runSecrets,
  passwd: async () => (await import('./passwd.ts')).runPasswd,
  backup: async () => (await import('./backup.ts')).runBackup,
  restore: async () => (await import('./backup.ts')).runRestore,
  version: async () => (await import('./version.ts')).runVersion,
};

/** Runs one verb and turns every error into a one-line message and an exit code. */
export async function runVerb(verb: string | undefined, args: string[], self?: Verb): Promise<number> {
  try {
    // A verb module run directly (`tsx kiosk/doctor.ts`) passes itself: importing it again while its
    // top-level await is pending would wait on itself.
    if (self) return await self(args);
    if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
      process.stdout.write(MAIN_HELP);
      return verb === undefined ? EX.USAGE : EX.OK;
    }
    if (verb === '--version' || verb === '-V') verb = 'version';
    const load = VERBS[verb];
    if (!load) throw new CliError(EX.USAGE, `未知命令 “${verb}” (unknown command "${verb}"); 运行 hall-kiosk --help 查看命令列表`);
    return await (
      await load()
    )(args);
  } catch (err) {
    return report(err, verb);
  }
}

function report(err: unknown, verb: string | undefined): number {
  const e = err as Error & { code?: string };
  let code: number;
  let message: string;
  if (err instanceof CliError) {
    code = err.exitCode;
    message = err.message;
  } else if (err instanceof ConfigError) {
    code = EX.CONFIG;
    message = err.message;
  } else if (err instanceof DatabaseTooNewError) {
    code = EX.CONFIG;
    message = err.message;
  } else if (err instanceof BackupError) {
    code = EX.DATAERR;
    message = err.message;
  } else if (typeof e?.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
    code = EX.USAGE;
    message = `参数错误 (bad arguments): ${e.message}; 运行 hall-kiosk ${verb ?? ''} --help 查看用法`.replace(/ {2}/g, ' ');
  } else if (typeof e?.code === 'string' && ['EACCES', 'EPERM'].includes(e.code)) {
    code = EX.NOPERM;
    message = `没有权限，请用 sudo 或 kiosk 用户运行 (permission denied): ${e.message}`;
  } else if (typeof e?.code === 'string' && ['ENOENT', 'EIO', 'ENOSPC', 'EROFS'].includes(e.code)) {
    code = EX.IOERR;
    message = `文件读写失败 (I/O error): ${e.message}`;
  } else {
    code = EX.SOFTWARE;
    message = `内部错误 (internal error): ${e?.message ?? String(err)}`;
  }
  process.stderr.write(`hall-kiosk: ${message}\n`);
  if (process.env.KIOSK_DEBUG === '1' && e?.stack) process.stderr.write(`${e.stack}\n`);
  return code;
}

/** Entry of the command (kiosk/cli/bin.ts; compiled: dist/server/cli.js). */
export async function cliMain(argv: string[]): Promise<never> {
  const [verb, ...rest] = argv;
  const code = await runVerb(verb, rest);
  // Flush stdout before exiting (a pipe to `head` or a file).
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  process.exit(code);
}
