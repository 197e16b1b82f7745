/**
 * `hall-kiosk doctor` (`npm run doctor`) — a technician's device check. Lists serial and HID
 * devices, opens the configured devices exactly as the daemon does (hardware or simulator), prints
 * their status, runs a test read and a test print, and exits non-zero if anything failed, so
 * scripts can use it. Options: --config <site.json>, --secrets <secrets.env>, --no-print, --json.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.ts';
import { DeviceHub, DEVICE_KINDS, type DeviceStatusView } from './devices/hub.ts';
import { calendarCheck } from './calendar/doctor-check.ts';

export const DOCTOR_HELP = `用法 (usage): hall-kiosk doctor [--config site.json] [--secrets secrets.env] [--no-print] [--json]
  检查读卡器、扫码器、打印机、出票机：列出串口和 HID 设备，按配置打开设备，试读一次、打印测试页。
  (checks the devices: lists serial/HID devices, opens the configured ones, test read and test print)
  --no-print   不打印测试页 (skip the test print)
  --json       以 JSON 输出结果 (report as JSON)
  退出码 (exit): 0 全部正常 (all ok), 1 有设备异常 (a check failed), 64 参数错误, 78 配置错误
`;

/** Runs the checks; returns the exit code (0: every check passed, 1: something failed). */
export async function runDoctor(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      secrets: { type: 'string' },
      'no-print': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(DOCTOR_HELP);
    return 0;
  }
  const config = loadConfig({ file: values.config ?? process.env.KIOSK_CONFIG, secretsFile: values.secrets ?? process.env.KIOSK_SECRETS_FILE });
  // Loaded on demand: the native serial binding is not needed for --help or a config error.
  const { SerialPort } = await import('serialport');
  const report: { check: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    report.push({ check: name, ok, detail });
    if (!values.json) process.stdout.write(`${ok ? '✔' : '✘'} ${name.padEnd(22)} ${detail}\n`);
  };

  const cal = calendarCheck(config);
  check('working-day calendar', cal.ok, cal.detail);

  const ports = await SerialPort.list().catch(() => []);
  check('serial ports', true, ports.map((p) => `${p.path}${p.vendorId ? ` (${p.vendorId}:${p.productId})` : ''}`).join(', ') || '（无）');
  try {
    const hid = await import('node-hid');
    const devices = await hid.devicesAsync();
    check('HID devices', true, devices.map((d) => `${d.vendorId.toString(16)}:${d.productId.toString(16)} ${d.product ?? ''}`.trim()).join(', ') || '（无）');
  } catch (err) {
    const needed = config.devices.scanner.mode === 'hardware' && config.devices.scanner.transport === 'hid-pos';
    check('HID devices', !needed, `node-hid 无法加载（需要 libusb-1.0-0）：${(err as Error).message}`);
  }

  const hub = new DeviceHub(config, () => ({ debug() {}, info() {}, warn() {}, error() {} }));
  await hub.start();
  const settled = (s: DeviceStatusView) => s.state === 'ready' || s.state === 'off' || s.state === 'fault';
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && !DEVICE_KINDS.every((k) => settled(hub.status(k)))) await new Promise((r) => setTimeout(r, 100));
  for (const kind of DEVICE_KINDS) {
    const s = hub.status(kind);
    const mode = config.devices[kind].mode;
    const detail = s.state === 'fault' ? `${s.code} ${s.message}` : s.state === 'disconnected' ? s.reason : s.state;
    check(`${kind} (${mode})`, s.state === 'ready' || s.state === 'off', detail);
  }
  if (hub.idcard) {
    const r = await hub.idcard.readOnce();
    // A reader that answers "no card" is working; only link failures count against it.
    const linkFailure = !r.ok && ['timeout', 'disconnected', 'stopped', 'bad-frame'].includes(r.code);
    check('idcard test read', !linkFailure, r.ok ? `读到 ${r.card.type} 证件` : `${r.code} ${r.message}`);
  }
  if (hub.printer && !values['no-print']) {
    const r = await hub.printer.printTestPage();
    check('printer test print', r.ok, r.ok ? `已打印测试页（${r.bytes} 字节）` : `${r.code} ${r.message}`);
  }
  await hub.stop();
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.every((r) => r.ok) ? 0 : 1;
}

// Run directly (`tsx kiosk/doctor.ts`): the same checks, errors as one line instead of a stack.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { runVerb } = await import('./cli/main.ts');
  process.exit(await runVerb('doctor', process.argv.slice(2)));
}
