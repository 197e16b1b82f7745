import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupDatabase, defaultBackupDir, listBackups, restoreDatabase } from '../store/backup.ts';
import { MIGRATIONS } from '../store/migrations.ts';
import { CONFIG_OPTIONS, databasePath, parse, rawConfig, siteFile } from './common.ts';
import { CliError, EX } from './errors.ts';
import { runningDaemon } from './pidfile.ts';

export const BACKUP_HELP = `用法 (usage): hall-kiosk backup [--config site.json] [--db kiosk.db] [--dir DIR] [--keep-days N] [--json]
  在线备份数据库（服务可继续运行），用 PRAGMA integrity_check 校验，删除超过 N 天的旧备份（默认 14 天，最新一份总保留）。
  (online SQLite backup while the daemon runs, integrity-checked; prunes backups older than N days)
  --dir      默认 <数据目录>/backups (default <dataDir>/backups)
  退出码 (exit): 0 完成 (done), 64 参数错误, 65 备份校验失败 (backup failed its check), 74 读写失败, 78 配置错误
`;

export const RESTORE_HELP = `用法 (usage): hall-kiosk restore (<备份文件 backup-file> | --latest | --list) [--config site.json] [--db kiosk.db] [--dir DIR]
  从备份恢复数据库。须先停止服务：sudo systemctl stop hall-kiosk。先校验备份完整性；
  当前数据库另存为 kiosk.db.before-restore-<时间>，恢复错了也能找回。
  (restores a backup over the database; the daemon must be stopped; the backup is checked first
   and the current database is kept as kiosk.db.before-restore-<time>)
  退出码 (exit): 0 完成, 64 参数错误, 65 备份损坏或不存在, 75 服务仍在运行 (daemon running), 78 备份版本比程序新
`;

function dataDirOf(values: { config?: string | undefined }): string {
  const storage = rawConfig(siteFile(values)).storage as { dataDir?: unknown } | undefined;
  return resolve(typeof storage?.dataDir === 'string' ? storage.dataDir : 'data');
}

export async function runBackup(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...CONFIG_OPTIONS,
    db: { type: 'string' },
    dir: { type: 'string' },
    'keep-days': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(BACKUP_HELP);
    return EX.OK;
  }
  const keepDays = values['keep-days'] === undefined ? 14 : Number(values['keep-days']);
  if (!Number.isInteger(keepDays) || keepDays < 0 || keepDays > 3650) {
    throw new CliError(EX.USAGE, `--keep-days 须为 0–3650 的整数 (must be an integer 0–3650): ${values['keep-days']}`);
  }
  const db = databasePath(values);
  if (!existsSync(db)) throw new CliError(EX.IOERR, `数据库文件不存在 (no database at ${db})`);
  const r = await backupDatabase(db, { dir: values.dir ? resolve(values.dir) : defaultBackupDir(db), keepDays });
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    process.stdout.write(
      `备份完成，校验通过 (backup written, integrity ok): ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, schema ${r.userVersion})` +
        `${r.pruned.length ? `; 删除旧备份 ${r.pruned.length} 份 (pruned)` : ''}\n`,
    );
  }
  return EX.OK;
}

export async function runRestore(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...CONFIG_OPTIONS, db: { type: 'string' }, dir: { type: 'string' }, latest: { type: 'boolean' }, list: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    process.stdout.write(RESTORE_HELP);
    return EX.OK;
  }
  const db = databasePath(values);
  const dir = values.dir ? resolve(values.dir) : defaultBackupDir(db);
  if (values.list) {
    const all = listBackups(dir);
    if (!all.length) process.stdout.write(`没有备份 (no backups in ${dir})\n`);
    for (const b of all) process.stdout.write(`${b.takenAt.toISOString()}  ${(b.bytes / 1024).toFixed(0).padStart(8)} KiB  ${b.file}\n`);
    return EX.OK;
  }
  if ((positionals.length === 1) === Boolean(values.latest) || positionals.length > 1) {
    throw new CliError(EX.USAGE, '请给出一个备份文件或 --latest (give one backup file, or --latest); 运行 hall-kiosk restore --help 查看用法');
  }
  const file = values.latest ? listBackups(dir)[0]?.file : resolve(positionals[0]!);
  if (!file) throw new CliError(EX.DATAERR, `没有可恢复的备份 (no backups in ${dir})`);
  const pid = runningDaemon(dataDirOf(values));
  if (pid !== null) {
    throw new CliError(EX.TEMPFAIL, `服务正在运行 (PID ${pid})，请先停止：sudo systemctl stop hall-kiosk (the daemon is running: stop it first)`);
  }
  const r = restoreDatabase(file, db, { knownVersion: MIGRATIONS.length });
  process.stdout.write(
    `已恢复 (restored) ${file} → ${r.restored} (schema ${r.userVersion})` +
      `${r.previous ? `；原数据库另存为 (previous database kept as) ${r.previous}` : ''}\n`,
  );
  return EX.OK;
}
