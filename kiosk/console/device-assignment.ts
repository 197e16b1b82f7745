import { developmentSecretsInUse, liveReasons, loadConfig, overlay } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { resolvePrinterTarget } from '../../drivers/a4printer/driver.ts';
import type { DeviceKind } from '../../drivers/common/status.ts';
import { encodeDocument, PRINTER_PROFILES, resolvePrinterProfile, testPageDocument, type Receipt } from '../../drivers/printer/index.ts';
import { PrinterModel } from '../../drivers/printer/printer-model.ts';
import { DEVICE_KINDS } from '../devices/hub.ts';
import { checkPatch, type ConfigProblem } from './site-config.ts';

/**
 * Device assignment from the technician console (no HTTP): which port or IPP queue each role
 * uses, its baud rate, the scanner's transport and the receipt printer's profile. A change is
 * turned into a patch of the site configuration (`devices.*`, `certificate.printer.mode/target`)
 * and checked by the boot's schema and cross-checks (site-config.ts `checkPatch`), after a few
 * checks of its own that only make sense here (two roles on one port); every problem names its
 * field in Chinese.
 */

export type SerialMode = 'simulator' | 'hardware' | 'off';

export interface SerialRole {
  readonly mode: SerialMode;
  /** The port for `hardware` (a discovered path, e.g. /dev/hall-kiosk/printer); kept as it was when left out. */
  readonly path?: string | undefined;
  readonly baudRate: number;
}

export interface ScannerRole extends SerialRole {
  readonly transport: 'serial' | 'hid-pos';
  /** The HID POS scanner's USB ids (discovered), for `transport: "hid-pos"`. */
  readonly vendorId?: number | undefined;
  readonly productId?: number | undefined;
}

export interface PrinterRole extends SerialRole {
  /** A profile of drivers/printer/profiles.ts. */
  readonly profile: string;
}

export interface A4Role {
  readonly mode: 'off' | 'simulator' | 'ipp';
  /** The IPP queue (ipp://host:631/printers/name) or a CUPS queue name, for `ipp`. */
  readonly target?: string | null | undefined;
}

/** Any subset of the roles; a role given is given whole. */
export interface DeviceAssignment {
  readonly idcard?: SerialRole;
  readonly scanner?: ScannerRole;
  readonly printer?: PrinterRole;
  readonly dispenser?: SerialRole;
  readonly a4printer?: A4Role;
}

/** The running assignment, as the console's form shows it. */
export function currentAssignment(config: KioskConfig): Required<DeviceAssignment> {
  const d = config.devices;
  const serial = (s: { mode: SerialMode; path?: string | undefined; baudRate: number }): SerialRole => ({
    mode: s.mode,
    ...(s.path ? { path: s.path } : {}),
    baudRate: s.baudRate,
  });
  return {
    idcard: serial(d.idcard),
    scanner: {
      ...serial(d.scanner),
      transport: d.scanner.transport,
      ...(d.scanner.vendorId === undefined ? {} : { vendorId: d.scanner.vendorId }),
      ...(d.scanner.productId === undefined ? {} : { productId: d.scanner.productId }),
    },
    printer: { ...serial(d.printer), profile: d.printer.profile },
    dispenser: serial(d.dispenser),
    a4printer: { mode: config.certificate.printer.mode, target: config.certificate.printer.target },
  };
}

/** The site-configuration patch of an assignment (only the fields it sets). */
export function assignmentPatch(a: DeviceAssignment): Record<string, unknown> {
  const devices: Record<string, unknown> = {};
  const serial = (r: SerialRole): Record<string, unknown> => ({
    mode: r.mode,
    ...(r.path !== undefined && r.path.trim() !== '' ? { path: r.path.trim() } : {}),
    baudRate: r.baudRate,
  });
  if (a.idcard) devices.idcard = serial(a.idcard);
  if (a.scanner) {
    devices.scanner = {
      ...serial(a.scanner),
      transport: a.scanner.transport,
      ...(a.scanner.vendorId === undefined ? {} : { vendorId: a.scanner.vendorId }),
      ...(a.scanner.productId === undefined ? {} : { productId: a.scanner.productId }),
    };
  }
  if (a.printer) devices.printer = { ...serial(a.printer), profile: a.printer.profile };
  if (a.dispenser) devices.dispenser = serial(a.dispenser);
  const patch: Record<string, unknown> = {};
  if (Object.keys(devices).length) patch.devices = devices;
  if (a.a4printer) {
    const target = typeof a.a4printer.target === 'string' && a.a4printer.target.trim() ? a.a4printer.target.trim() : null;
    patch.certificate = { printer: { mode: a.a4printer.mode, ...(a.a4printer.mode === 'ipp' || target ? { target } : {}) } };
  }
  return patch;
}

const ROLE_NAMES: Record<DeviceKind, string> = {
  idcard: '身份证阅读器',
  scanner: '扫码器',
  printer: '小票打印机',
  dispenser: '出票器',
  a4printer: 'A4 打印机',
};

/**
 * The problems of an assignment laid over the running configuration: this console's own checks
 * first (Chinese, naming the field), then the boot's schema and cross-checks for the rest.
 */
export function checkAssignment(running: KioskConfig, a: DeviceAssignment): ConfigProblem[] {
  const own: ConfigProblem[] = [];
  const say = (field: string, what: string) => own.push({ field, message: `配置项 ${field} ${what}` });
  const next = overlay(structuredClone(running), assignmentPatch(a)) as KioskConfig;
  const serialKinds = ['idcard', 'scanner', 'printer', 'dispenser'] as const;
  const usedBy = new Map<string, string>();
  for (const kind of serialKinds) {
    const d = next.devices[kind];
    if (d.mode !== 'hardware') continue;
    if (kind === 'scanner' && next.devices.scanner.transport === 'hid-pos') {
      const s = next.devices.scanner;
      if (s.vendorId === undefined) say('devices.scanner.vendorId', '不能为空：HID POS 扫码器请在发现的 HID 设备中选择');
      if (s.productId === undefined) say('devices.scanner.productId', '不能为空：HID POS 扫码器请在发现的 HID 设备中选择');
      continue;
    }
    const path = d.path?.trim() ?? '';
    if (!path) {
      say(`devices.${kind}.path`, `不能为空：${ROLE_NAMES[kind]}使用硬件时请选择串口`);
      continue;
    }
    if (!path.startsWith('/')) say(`devices.${kind}.path`, `的格式不正确：串口应为 /dev/ 下的设备路径（如 /dev/ttyUSB0）`);
    const other = usedBy.get(path);
    if (other) say(`devices.${kind}.path`, `与 devices.${other}.path 是同一个串口 ${path}：一个串口只能接一台设备`);
    else usedBy.set(path, kind);
  }
  if (a.printer && !(a.printer.profile in PRINTER_PROFILES)) {
    say('devices.printer.profile', `只能取 ${Object.keys(PRINTER_PROFILES).join('、')}`);
  }
  const p = next.certificate.printer;
  if (p.mode === 'ipp') {
    if (!p.target) say('certificate.printer.target', '不能为空：A4 打印机使用 IPP 时请填写打印队列地址（如 ipp://打印服务器:631/printers/A4）');
    else {
      try {
        resolvePrinterTarget(p.target);
      } catch {
        say('certificate.printer.target', '的格式不正确：应为 CUPS 队列名，或以 ipp://、ipps://、http://、https:// 开头的打印机地址');
      }
    }
  }
  const covered = new Set(own.map((o) => o.field));
  const boot = checkPatch(running, assignmentPatch(a)).filter((b) => !covered.has(b.field) && ![...covered].some((f) => b.field === f.replace(/\.[^.]+$/, '')));
  return [...own, ...boot];
}

export interface ApplyPlan {
  /** The whole configuration the devices will run with. */
  readonly next: KioskConfig;
  /** The devices whose settings change. */
  readonly changed: readonly DeviceKind[];
  /** Reopen the changed devices in the running daemon, or write the site file and restart. */
  readonly how: 'live' | 'restart';
  /** Why a restart is needed (Chinese), when it is. */
  readonly restartReason: string | null;
  /** Consequences the technician should know (Chinese). */
  readonly warnings: readonly string[];
}

const modeOf = (c: KioskConfig, k: DeviceKind): string => (k === 'a4printer' ? c.certificate.printer.mode : c.devices[k].mode);
const section = (c: KioskConfig, k: DeviceKind): unknown => (k === 'a4printer' ? c.certificate.printer : c.devices[k]);

/**
 * How an assignment that passed `checkAssignment` takes effect. Every driver can be reopened
 * with new settings (kiosk/devices/hub.ts `reconfigure`), so a change is applied live — except
 * one that adds a simulator to a daemon that started without any: the development API of the
 * simulators is mounted at start-up only, so that change goes through a graceful restart.
 */
export function planAssignment(boot: KioskConfig, running: KioskConfig, a: DeviceAssignment): ApplyPlan {
  const merged = overlay(structuredClone(running), assignmentPatch(a));
  const next = loadConfig({ overlay: merged, env: {} });
  const changed = DEVICE_KINDS.filter((k) => JSON.stringify(section(running, k)) !== JSON.stringify(section(next, k)));
  const bootSimulated = DEVICE_KINDS.some((k) => modeOf(boot, k) === 'simulator');
  const addsSimulator = changed.some((k) => modeOf(next, k) === 'simulator');
  const restart = !bootSimulated && addsSimulator;
  const warnings: string[] = [];
  if (developmentSecretsInUse(running).length && !liveReasons(boot, {}).length && liveReasons(next, {}).length) {
    warnings.push(
      '本机仍在使用开发用密钥：设备改为硬件后，终端服务下次启动时将拒绝启动（正式环境不得使用开发用密钥）。请在重启前运行 hall-kiosk secrets 生成站点密钥。',
    );
  }
  return {
    next,
    changed,
    how: restart ? 'restart' : 'live',
    restartReason: restart ? '本机启动时没有模拟设备，模拟设备的调试接口需要重启终端服务后才可用' : null,
    warnings,
  };
}

/**
 * The test receipt (drivers/printer/samples.ts `testPageDocument`) of a profile as the printer
 * would print it: the ESC/POS bytes the driver sends, decoded by the simulated printer's model at
 * the profile's paper width. The console shows it as a PNG before and after 打印测试页.
 */
export function testReceiptPreview(profileName: string): Receipt | null {
  if (!(profileName in PRINTER_PROFILES)) return null;
  const profile = resolvePrinterProfile(profileName);
  const encoded = encodeDocument(testPageDocument(profile), profile);
  if (!encoded.ok) return null;
  let out: Receipt | null = null;
  const model = new PrinterModel({ paperDots: profile.dotsPerLine, onReply: () => undefined, onReceipt: (r) => (out ??= r) });
  model.push(encoded.bytes);
  if (!out) model.interrupt(); // a profile without a cutter: the receipt ends where the paper is torn off
  return out;
}
