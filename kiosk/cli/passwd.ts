import { hashPassword, MIN_PASSWORD_LENGTH } from '../console/passwords.ts';
import { parse } from './common.ts';
import { CliError, EX } from './errors.ts';

export const PASSWD_HELP = `用法 (usage): hall-kiosk passwd <账户名> [--role technician|hall-admin]
  为维护台账户生成密码散列（scrypt），输出一行 JSON，放入站点配置 api.accounts 数组。
  密码从终端输入两次（不回显），或从标准输入读一行（管道）。至少 ${MIN_PASSWORD_LENGTH} 个字符，不能以 dev- 开头。
  (prints the api.accounts entry for site.json: {"user","role","passwordHash"}; the password is read
   twice from the terminal without echo, or one line from stdin)
  --role     technician（设备与诊断，默认）或 hall-admin（全部功能）
  退出码 (exit): 0 已输出, 64 参数错误, 65 密码不合要求或两次不一致
`;

/** Reads one line from stdin; on a terminal without echo. */
async function readSecretLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) {
      data += String(chunk);
      if (data.includes('\n')) break;
    }
    return data.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let line = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(line);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliError(EX.USAGE, '已取消 (cancelled)'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export function checkNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new CliError(EX.DATAERR, `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 (password too short)`);
  if (password.startsWith('dev-')) throw new CliError(EX.DATAERR, '密码不能以 dev- 开头（开发用密码） (a dev- password is refused)');
  if (/[\u0000-\u001f\u007f]/.test(password)) throw new CliError(EX.DATAERR, '密码不能含控制字符 (control characters refused)');
}

export async function runPasswd(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(PASSWD_HELP);
    return EX.OK;
  }
  const [user, ...extra] = positionals;
  if (!user || extra.length) throw new CliError(EX.USAGE, '请给出一个账户名 (give one account name): hall-kiosk passwd <账户名>');
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(user))
    throw new CliError(EX.USAGE, '账户名只能用字母、数字和 . _ -，最多 32 个字符 (account name: letters, digits, . _ -)');
  const role = values.role ?? 'technician';
  if (role !== 'technician' && role !== 'hall-admin') throw new CliError(EX.USAGE, `--role 只能是 technician 或 hall-admin (unknown role "${role}")`);
  const password = await readSecretLine(`${user} 的新密码 (new password): `);
  checkNewPassword(password);
  if (process.stdin.isTTY) {
    const again = await readSecretLine('再输入一次 (again): ');
    if (again !== password) throw new CliError(EX.DATAERR, '两次输入的密码不一致 (passwords differ)');
  }
  process.stdout.write(`${JSON.stringify({ user, role, passwordHash: hashPassword(password) })}\n`);
  return EX.OK;
}
