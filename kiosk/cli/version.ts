import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '../store/migrations.ts';
import { parse } from './common.ts';

export const VERSION_HELP = `用法 (usage): hall-kiosk version [--json]
  显示程序版本、数据库结构版本和 Node.js 版本 (program, database schema and Node.js versions)
`;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runVersion(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(VERSION_HELP);
    return 0;
  }
  const info = { version: packageVersion(), databaseSchema: MIGRATIONS.length, node: process.version };
  process.stdout.write(
    values.json ? `${JSON.stringify(info)}\n` : `hall-kiosk ${info.version} (数据库结构 database schema ${info.databaseSchema}, node ${info.node})\n`,
  );
  return 0;
}
