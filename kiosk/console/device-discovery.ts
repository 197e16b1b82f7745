import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import type { DeviceKind } from '../../drivers/common/status.ts';
import type { SimulatorPortView } from '../devices/simulator-ports.ts';

/**
 * Device discovery for the technician console (no HTTP): the serial ports the system knows
 * (serialport's `SerialPort.list()`, with the USB vendor/product id, serial number and
 * manufacturer), the stable names udev gives them (`/dev/serial/by-id/*`, and the
 * `/dev/hall-kiosk/*` names of the package's rules template), the HID devices (node-hid's
 * `devices()`; usage page 0x8C is a HID POS scanner) and this daemon's simulated devices: the
 * ptys of the console's simulator ports and the in-memory simulators.
 *
 * Both native listings are loaded on demand, as `hall-kiosk doctor` does, and a listing that fails
 * (node-hid without libusb) is reported in `problems`, never thrown.
 */

/** What `SerialPort.list()` returns per port (@serialport/bindings-interface PortInfo). */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  productId?: string | undefined;
  vendorId?: string | undefined;
}

/** What node-hid's `devices()` returns per device (the fields used here). */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

export interface DiscoveredSerialPort {
  /** What to put in `devices.<kind>.path`: the stable name when there is one, else the node. */
  readonly path: string;
  /** The device node (/dev/ttyUSB0, /dev/ttyACM0, /dev/pts/3). */
  readonly node: string;
  /** Other names of the same node (udev links). */
  readonly aliases: readonly string[];
  /** 4 hex digits, lower case, or null (not a USB device). */
  readonly vendorId: string | null;
  readonly productId: string | null;
  readonly serialNumber: string | null;
  readonly manufacturer: string | null;
  /** `usb`, `platform` (a built-in UART), or `simulator` (a pty of a simulator port). */
  readonly source: 'usb' | 'platform' | 'simulator';
  /** For a simulator port: the device it simulates. */
  readonly simulates: DeviceKind | null;
}

export interface DiscoveredHidDevice {
  /** 4 hex digits, lower case (the config takes the number: `devices.scanner.vendorId`). */
  readonly vendorId: string;
  readonly productId: string;
  readonly vendorIdNumber: number;
  readonly productIdNumber: number;
  readonly serialNumber: string | null;
  readonly manufacturer: string | null;
  readonly product: string | null;
  readonly usagePage: number | null;
  /** Usage page 0x8C (bar code scanner, HID POS): what `devices.scanner.transport: "hid-pos"` opens. */
  readonly posScanner: boolean;
}

export interface DiscoveredSimulator {
  readonly kind: DeviceKind;
  /** `memory:<kind>` for the in-memory pair, the IPP URI for the A4 printer simulator. */
  readonly hostPath: string;
}

export interface Discovery {
  readonly serialPorts: readonly DiscoveredSerialPort[];
  readonly hidDevices: readonly DiscoveredHidDevice[];
  /** The daemon's in-memory simulators (`mode: "simulator"`). */
  readonly simulators: readonly DiscoveredSimulator[];
  /** A listing that failed, in Chinese (e.g. node-hid cannot load). */
  readonly problems: readonly string[];
}

export interface DiscoveryOptions {
  /** Defaults to serialport's SerialPort.list(). */
  readonly listSerial?: () => Promise<SerialPortInfo[]>;
  /** Defaults to node-hid's devicesAsync(). */
  readonly listHid?: () => Promise<HidDeviceInfo[]>;
  /** Directories of udev links to ports (defaults: /dev/serial/by-id, /dev/hall-kiosk). */
  readonly linkDirs?: readonly string[];
  readonly simulatorPorts?: readonly SimulatorPortView[];
  readonly simulators?: Iterable<SimulatorControl>;
}

export const LINK_DIRS: readonly string[] = ['/dev/hall-kiosk', '/dev/serial/by-id'];

/** USB ids as serialport reports them ("0403", "1A86", sometimes without leading zeros) → 4 lower-case hex digits. */
export function usbId(id: string | undefined): string | null {
  if (!id) return null;
  const t = id.trim().replace(/^0x/i, '');
  return /^[0-9a-f]{1,4}$/i.test(t) ? t.toLowerCase().padStart(4, '0') : null;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const clean = (s: string | undefined): string | null => (s && s.trim() ? s.trim() : null);

/**
 * `SerialPort.list()` records → discovered ports. `links` maps a device node to the udev names
 * pointing at it; the first `/dev/hall-kiosk/` name (else `/dev/serial/by-id/`) becomes the path
 * to configure, because ttyUSB numbers change with the order devices are plugged in.
 */
export function mapSerialPorts(list: readonly SerialPortInfo[], links: ReadonlyMap<string, readonly string[]> = new Map()): DiscoveredSerialPort[] {
  return list
    .filter((p) => typeof p.path === 'string' && p.path.length > 0)
    .map((p) => {
      const aliases = [...(links.get(p.path) ?? [])].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      const vendorId = usbId(p.vendorId);
      return {
        path: aliases[0] ?? p.path,
        node: p.path,
        aliases,
        vendorId,
        productId: usbId(p.productId),
        serialNumber: clean(p.serialNumber),
        manufacturer: clean(p.manufacturer),
        source: vendorId ? 'usb' : 'platform',
        simulates: null,
      } satisfies DiscoveredSerialPort;
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}

function rank(link: string): number {
  return link.startsWith('/dev/hall-kiosk/') ? 0 : 1;
}

/** node-hid records → discovered HID devices, one per vendor/product/serial (a device lists one entry per interface). */
export function mapHidDevices(list: readonly HidDeviceInfo[]): DiscoveredHidDevice[] {
  const byKey = new Map<string, DiscoveredHidDevice>();
  for (const d of list) {
    if (!Number.isInteger(d.vendorId) || !Number.isInteger(d.productId)) continue;
    const key = `${d.vendorId}:${d.productId}:${d.serialNumber ?? ''}`;
    const found = byKey.get(key);
    const posScanner = d.usagePage === 0x8c;
    // Keep the POS interface's usage page when the device also has a keyboard interface.
    if (found && (found.posScanner || !posScanner)) continue;
    byKey.set(key, {
      vendorId: hex4(d.vendorId),
      productId: hex4(d.productId),
      vendorIdNumber: d.vendorId,
      productIdNumber: d.productId,
      serialNumber: clean(d.serialNumber),
      manufacturer: clean(d.manufacturer),
      product: clean(d.product),
      usagePage: d.usagePage ?? null,
      posScanner,
    });
  }
  return [...byKey.values()].sort((a, b) => Number(b.posScanner) - Number(a.posScanner) || a.vendorId.localeCompare(b.vendorId));
}

/** The simulator ports as discovered ports (their pty is a real serial device node). */
export function mapSimulatorPorts(ports: readonly SimulatorPortView[]): DiscoveredSerialPort[] {
  return ports.map((p) => {
    let node = p.path;
    try {
      node = realpathSync(p.path);
    } catch {
      // unplugged: the link is gone until replug
    }
    return {
      path: p.path,
      node,
      aliases: [],
      vendorId: null,
      productId: null,
      serialNumber: null,
      manufacturer: null,
      source: 'simulator',
      simulates: p.kind,
    } satisfies DiscoveredSerialPort;
  });
}

/** udev links in `dirs`, by the node they resolve to. */
export function readLinks(dirs: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const link = join(dir, name);
      try {
        const node = realpathSync(link);
        out.set(node, [...(out.get(node) ?? []), link]);
      } catch {
        // a dangling link: its device is unplugged
      }
    }
  }
  return out;
}

/** /dev/ttyUSB* and /dev/ttyACM*, without their USB details. */
function usbNodes(): SerialPortInfo[] {
  try {
    return readdirSync('/dev')
      .filter((n) => /^tty(USB|ACM)\d+$/.test(n))
      .map((n) => ({ path: `/dev/${n}` }));
  } catch {
    return [];
  }
}

async function defaultListSerial(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

async function defaultListHid(): Promise<HidDeviceInfo[]> {
  const hid = await import('node-hid');
  return hid.devicesAsync();
}

export async function discoverDevices(options: DiscoveryOptions = {}): Promise<Discovery> {
  const problems: string[] = [];
  let serial: SerialPortInfo[] = [];
  try {
    serial = await (options.listSerial ?? defaultListSerial)();
  } catch (err) {
    // serialport lists through udevadm; without it (a container, a minimal system) the USB
    // details are unknown, but the device nodes are still there.
    serial = usbNodes();
    problems.push(`无法读取串口的 USB 信息（${(err as Error).message}）；下面只列出 /dev 下的 USB 串口设备`);
  }
  let hid: HidDeviceInfo[] = [];
  try {
    hid = await (options.listHid ?? defaultListHid)();
  } catch (err) {
    problems.push(`无法列出 HID 设备（node-hid 需要 libusb-1.0-0）：${(err as Error).message}`);
  }
  const simPorts = mapSimulatorPorts(options.simulatorPorts ?? []);
  const simNodes = new Set(simPorts.map((p) => p.node));
  const ports = mapSerialPorts(
    serial.filter((p) => !simNodes.has(p.path)),
    readLinks(options.linkDirs ?? LINK_DIRS),
  );
  return {
    serialPorts: [...ports, ...simPorts],
    hidDevices: mapHidDevices(hid),
    simulators: [...(options.simulators ?? [])].map((s) => ({ kind: s.kind, hostPath: s.hostPath })),
    problems,
  };
}
