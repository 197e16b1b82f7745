/**
 * `npm run doctor` — a technician's device check. Lists serial and HID devices, opens the
 * configured devices exactly as the daemon does (hardware or simulator), prints their status,
 * runs a test read and a test print, and exits non-zero if anything failed, so scripts can use it.
 * Options: --config <site.json>, --no-print (skip the test print), --json.
 */
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { loadConfig } from '../config/load.ts';
import { DeviceHub, DEVICE_KINDS, type DeviceStatusView } from './devices/hub.ts';
import { calendarCheck } from './calendar/doctor-check.ts';

const { values } = parseArgs({
  options: { config: { type: 'string' }, 'no-print': { type: 'boolean' }, json: { type: 'boolean' } },
});
const config = loadConfig({ file: values.config ?? process.env.KIOSK_CONFIG });
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
process.exit(report.every((r) => r.ok) ? 0 : 1);
