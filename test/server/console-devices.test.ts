import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mapHidDevices, mapSerialPorts, type HidDeviceInfo, type SerialPortInfo } from '../../kiosk/console/device-discovery.ts';
import { PENDING } from '../../kiosk/console/site-file.ts';
import { until } from '../helpers/devices.ts';
import { ADMIN, makeServer, TECHNICIAN, type TestServer } from '../helpers/server.ts';

// 设备设置 on the console: discovery (the simulator ports are real ptys), assignment checked by the
// boot's schema with Chinese errors naming the field, and an assignment applied by reopening the
// driver: after the printer moves to another port, a test print reaches the new one.

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function rig(overlay: unknown = {}, restart?: () => void): Promise<{ s: TestServer; site: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'console-devices-'));
  const site = join(dir, 'site.json');
  writeFileSync(site, `${JSON.stringify({ hall: { name: '示例县医疗保障服务大厅' } }, null, 2)}\n`);
  const s = await makeServer(overlay, { siteFile: site, ...(restart ? { requestRestart: restart } : {}) });
  server = s;
  await s.kiosk.startDevices();
  return { s, site };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  s: TestServer,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
  headers = TECHNICIAN,
): Promise<{ status: number; body: Json }> {
  const res = await s.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    status: res.statusCode,
    body: res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as Json) : { raw: res.rawPayload },
  };
}

async function simulatorPort(s: TestServer, kind: string): Promise<{ id: number; path: string }> {
  const r = await call(s, 'POST', '/console/devices/simulator-ports', { kind });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.port as { id: number; path: string };
}

const printerOn = (path: string) => ({ printer: { mode: 'hardware', path, baudRate: 115200, profile: 'generic-80' } });

describe('discovery', () => {
  it('lists the simulator ports as serial ports (real ptys) and the in-memory simulators', async () => {
    const { s } = await rig();
    const port = await simulatorPort(s, 'printer');
    // The path is a link to a real pseudo-terminal slave, as /dev/hall-kiosk/printer links to /dev/ttyUSB0.
    expect(lstatSync(port.path).isSymbolicLink()).toBe(true);
    expect(realpathSync(port.path)).toMatch(/^\/dev\/pts\/\d+$/);
    const r = await call(s, 'GET', '/console/devices/discovery');
    expect(r.status).toBe(200);
    const listed = (r.body.serialPorts as Json[]).find((p) => p.path === port.path);
    expect(listed).toMatchObject({ source: 'simulator', simulates: 'printer', node: realpathSync(port.path), vendorId: null });
    expect((r.body.simulators as Json[]).map((x) => x.kind).sort()).toEqual(['a4printer', 'dispenser', 'idcard', 'printer', 'scanner']);
    expect(r.body.simulators.find((x: Json) => x.kind === 'printer').hostPath).toBe('memory:printer');
    expect(r.body.simulatorPorts).toEqual([expect.objectContaining({ id: port.id, kind: 'printer', path: port.path })]);
    // Removed: no longer discovered.
    expect((await call(s, 'DELETE', `/console/devices/simulator-ports/${port.id}`)).body).toEqual({ ok: true });
    expect(((await call(s, 'GET', '/console/devices/discovery')).body.serialPorts as Json[]).some((p) => p.path === port.path)).toBe(false);
  });

  it('maps SerialPort.list() records of USB serial adapters (udev properties as serialport reports them)', () => {
    // What @serialport/bindings-cpp's linux-list makes of `udevadm info -e` for a CH340 (the
    // usual reader/printer adapter), an FTDI cable and a built-in UART.
    const list: SerialPortInfo[] = [
      {
        path: '/dev/ttyUSB1',
        manufacturer: 'FTDI',
        serialNumber: 'A10KZP3N',
        pnpId: 'usb-FTDI_FT232R_USB_UART_A10KZP3N-if00-port0',
        locationId: undefined,
        vendorId: '0403',
        productId: '6001',
      },
      {
        path: '/dev/ttyUSB0',
        manufacturer: '1a86',
        serialNumber: undefined,
        pnpId: 'usb-1a86_USB_Serial-if00-port0',
        locationId: undefined,
        vendorId: '1a86',
        productId: '7523',
      },
      {
        path: '/dev/ttyS0',
        manufacturer: undefined,
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        vendorId: undefined,
        productId: undefined,
      },
      {
        path: '/dev/ttyACM0',
        manufacturer: 'Honeywell',
        serialNumber: '21180B4F3E',
        pnpId: undefined,
        locationId: undefined,
        vendorId: 'C2E',
        productId: '0B61',
      },
    ];
    const links = new Map([
      ['/dev/ttyUSB0', ['/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', '/dev/hall-kiosk/printer']],
      ['/dev/ttyUSB1', ['/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KZP3N-if00-port0']],
    ]);
    const ports = mapSerialPorts(list, links);
    expect(ports.map((p) => p.node)).toEqual(['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0', '/dev/ttyUSB1']);
    const ch340 = ports.find((p) => p.node === '/dev/ttyUSB0')!;
    // The hall-kiosk udev name is what to configure: ttyUSB numbers follow the plug-in order.
    expect(ch340).toEqual({
      path: '/dev/hall-kiosk/printer',
      node: '/dev/ttyUSB0',
      aliases: ['/dev/hall-kiosk/printer', '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0'],
      vendorId: '1a86',
      productId: '7523',
      serialNumber: null,
      manufacturer: '1a86',
      source: 'usb',
      simulates: null,
    });
    expect(ports.find((p) => p.node === '/dev/ttyUSB1')).toMatchObject({
      path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KZP3N-if00-port0',
      serialNumber: 'A10KZP3N',
    });
    expect(ports.find((p) => p.node === '/dev/ttyACM0')).toMatchObject({
      vendorId: '0c2e',
      productId: '0b61',
      serialNumber: '21180B4F3E',
      path: '/dev/ttyACM0',
    });
    expect(ports.find((p) => p.node === '/dev/ttyS0')).toMatchObject({ source: 'platform', vendorId: null, manufacturer: null });
  });

  it('maps node-hid devices(): one entry per device, the HID POS interface (usage page 0x8C) marked', () => {
    // A Honeywell scanner in HID POS mode shows a POS interface and a keyboard interface.
    const list: HidDeviceInfo[] = [
      {
        vendorId: 3118,
        productId: 2913,
        path: '/dev/hidraw1',
        serialNumber: '21180B4F3E',
        manufacturer: 'Honeywell Imaging & Mobility',
        product: '1950g',
        usagePage: 1,
        usage: 6,
        interface: 1,
      },
      {
        vendorId: 3118,
        productId: 2913,
        path: '/dev/hidraw0',
        serialNumber: '21180B4F3E',
        manufacturer: 'Honeywell Imaging & Mobility',
        product: '1950g',
        usagePage: 140,
        usage: 2,
        interface: 0,
      },
      {
        vendorId: 0x046d,
        productId: 0xc31c,
        path: '/dev/hidraw2',
        serialNumber: '',
        manufacturer: 'Logitech',
        product: 'USB Keyboard',
        usagePage: 1,
        usage: 6,
        interface: 0,
      },
    ];
    expect(mapHidDevices(list)).toEqual([
      {
        vendorId: '0c2e',
        productId: '0b61',
        vendorIdNumber: 3118,
        productIdNumber: 2913,
        serialNumber: '21180B4F3E',
        manufacturer: 'Honeywell Imaging & Mobility',
        product: '1950g',
        usagePage: 0x8c,
        posScanner: true,
      },
      {
        vendorId: '046d',
        productId: 'c31c',
        vendorIdNumber: 0x046d,
        productIdNumber: 0xc31c,
        serialNumber: null,
        manufacturer: 'Logitech',
        product: 'USB Keyboard',
        usagePage: 1,
        posScanner: false,
      },
    ]);
  });
});

describe('assignment', () => {
  it('refuses a bad assignment with Chinese errors naming the field, and writes nothing', async () => {
    const { s, site } = await rig();
    const before = readFileSync(site, 'utf8');
    const noPort = await call(s, 'POST', '/console/devices/apply', { assignment: { printer: { mode: 'hardware', baudRate: 115200, profile: 'generic-80' } } });
    expect(noPort.status).toBe(200);
    expect(noPort.body.ok).toBe(false);
    expect(noPort.body.problems).toEqual([{ field: 'devices.printer.path', message: '配置项 devices.printer.path 不能为空：小票打印机使用硬件时请选择串口' }]);

    // The boot's schema: the baud rate's bounds, the profile's names.
    const bad = await call(s, 'POST', '/console/devices/check', {
      assignment: { printer: { mode: 'hardware', path: '/dev/ttyUSB0', baudRate: 5, profile: 'epson-99' } },
    });
    expect(bad.body.ok).toBe(false);
    const messages = (bad.body.problems as Json[]).map((p) => p.message);
    expect(messages).toContain('配置项 devices.printer.baudRate 不能小于 1200');
    expect(messages.some((m) => m.startsWith('配置项 devices.printer.profile 只能取 generic-80'))).toBe(true);

    // Two roles on one port; an IPP target that is no queue.
    const twice = await call(s, 'POST', '/console/devices/check', {
      assignment: {
        printer: { mode: 'hardware', path: '/dev/ttyUSB0', baudRate: 115200, profile: 'generic-80' },
        dispenser: { mode: 'hardware', path: '/dev/ttyUSB0', baudRate: 115200 },
        a4printer: { mode: 'ipp', target: 'not a queue' },
      },
    });
    expect((twice.body.problems as Json[]).map((p) => p.field)).toEqual(['devices.dispenser.path', 'certificate.printer.target']);
    expect(twice.body.problems[0].message).toBe('配置项 devices.dispenser.path 与 devices.printer.path 是同一个串口 /dev/ttyUSB0：一个串口只能接一台设备');

    expect(readFileSync(site, 'utf8')).toBe(before);
    expect(s.kiosk.devices.config.devices.printer.mode).toBe('simulator');
  });

  it('applies a new printer port by reopening the driver: the test print reaches the new port, no restart', async () => {
    let restarts = 0;
    const { s, site } = await rig({}, () => restarts++);
    const a = await simulatorPort(s, 'printer');
    const b = await simulatorPort(s, 'printer');
    const receipts = (id: number) => s.kiosk.devices.simulatorPorts.list().find((p) => p.id === id)!.state.receiptsPrinted as number;

    const first = await call(s, 'POST', '/console/devices/apply', { assignment: printerOn(a.path) });
    expect(first.body).toMatchObject({ ok: true, how: 'live', changed: ['printer'], saved: true });
    await until(async () => (await call(s, 'GET', '/devices')).body.printer.state === 'ready');
    expect((await call(s, 'POST', '/admin/devices/printer/test-print', {})).body).toEqual({ ok: true });
    expect(receipts(a.id)).toBe(1);
    expect(receipts(b.id)).toBe(0);

    const second = await call(s, 'POST', '/console/devices/apply', { assignment: printerOn(b.path) });
    expect(second.body).toMatchObject({ ok: true, how: 'live', changed: ['printer'] });
    await until(async () => (await call(s, 'GET', '/devices')).body.printer.state === 'ready');
    expect((await call(s, 'POST', '/admin/devices/printer/test-print', {})).body).toEqual({ ok: true });
    expect(receipts(b.id)).toBe(1);
    expect(receipts(a.id)).toBe(1);
    expect(
      s.kiosk.devices.simulatorPorts
        .lastReceipt(b.id)!
        .lines.map((l) => l.text)
        .join('\n'),
    ).toContain('打印测试页');

    // Saved to the site file (no pending marker: it is running already), a version, the audit trail; no restart.
    const file = JSON.parse(readFileSync(site, 'utf8')) as Json;
    expect(file.devices.printer).toEqual({ mode: 'hardware', path: b.path, baudRate: 115200, profile: 'generic-80' });
    expect(file.hall.name).toBe('示例县医疗保障服务大厅');
    expect(existsSync(`${site}${PENDING}`)).toBe(false);
    expect(restarts).toBe(0);
    const versions = (await call(s, 'GET', '/console/config/versions', undefined, ADMIN)).body.versions as Json[];
    expect(versions[0]!.user).toBe('tech');
    expect(versions[0]!.diff).toEqual([{ path: 'devices.printer.path', before: a.path, after: b.path }]);
    // The configuration view and export show what runs now, not what the daemon booted with.
    expect(((await call(s, 'GET', '/console/config', undefined, ADMIN)).body.config as Json).devices.printer.path).toBe(b.path);
    const audit = (await call(s, 'GET', '/console/audit', undefined, ADMIN)).body.entries as Json[];
    expect(audit.filter((e) => e.action === 'devices-apply').map((e) => e.details.changed)).toEqual([['printer'], ['printer']]);
    expect((await call(s, 'GET', '/console/devices')).body.assignment.printer).toEqual({
      mode: 'hardware',
      path: b.path,
      baudRate: 115200,
      profile: 'generic-80',
    });

    // The port pulled: the printer reports it, and the fault stays in its recent faults.
    await call(s, 'DELETE', `/console/devices/simulator-ports/${b.id}`);
    await until(async () => (await call(s, 'GET', '/devices')).body.printer.state === 'disconnected');
    const faults = (await call(s, 'GET', '/console/devices')).body.faults.printer as Json[];
    expect(faults[0]).toMatchObject({ state: 'disconnected' });
  });

  it('a change only a restart can apply goes through the site file and a graceful restart', async () => {
    let restarts = 0;
    const off = { mode: 'off' };
    const { s, site } = await rig(
      { devices: { idcard: off, scanner: off, printer: off, dispenser: off }, certificate: { printer: { mode: 'off' } } },
      () => restarts++,
    );
    const r = await call(s, 'POST', '/console/devices/apply', { assignment: { printer: { mode: 'simulator', baudRate: 115200, profile: 'generic-58' } } });
    expect(r.body).toMatchObject({ ok: true, how: 'restart', changed: ['printer'], restarting: true });
    await until(() => restarts === 1);
    expect(JSON.parse(readFileSync(site, 'utf8')).devices.printer).toMatchObject({ mode: 'simulator', profile: 'generic-58' });
    // The boot confirms it (or rolls it back): site-file.ts's pending marker.
    expect(existsSync(`${site}${PENDING}`)).toBe(true);
    expect(s.kiosk.devices.status('printer')).toEqual({ state: 'off' });
  });

  it('renders the test receipt of a profile as a PNG preview', async () => {
    const { s } = await rig();
    const png = await s.app.inject({ method: 'GET', url: '/api/v1/console/devices/printer/preview.png?profile=generic-58', headers: TECHNICIAN });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const bad = await call(s, 'GET', '/console/devices/printer/preview.png?profile=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('配置项 devices.printer.profile');
  });
});
