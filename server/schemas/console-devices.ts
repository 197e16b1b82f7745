import { Type, type Static } from '@sinclair/typebox';
import { enumOf, Int, Nullable, Text } from '../schemas.ts';
import { DevicesSchema } from './devices.ts';

/** kiosk/devices/hub.ts DEVICE_KINDS and simulator-ports.ts SIMULATOR_PORT_KINDS (this file is also read by the UI's type check). */
const DEVICE_KINDS = ['idcard', 'scanner', 'printer', 'dispenser', 'a4printer'] as const;
const SIMULATOR_PORT_KINDS = ['idcard', 'scanner', 'printer', 'dispenser'] as const;

/**
 * Request and reply shapes of 设备设置 (server/routes/console-devices.ts), shared with
 * ui/console/devices-page.ts through `import type` + `Static`.
 */
const Path = Text(200, { description: 'a serial port, e.g. /dev/hall-kiosk/printer or /dev/ttyUSB0' });
/** Wide bounds: the configuration schema's own limits give the Chinese error that names the field. */
const Baud = Int(0, 100_000_000);
const UsbId = Int(0, 1_000_000);
const SerialMode = enumOf(['simulator', 'hardware', 'off']);
const serialRole = {
  mode: SerialMode,
  path: Type.Optional(Path),
  baudRate: Baud,
};
export const AssignmentSchema = Type.Object(
  {
    idcard: Type.Optional(Type.Object(serialRole, { additionalProperties: false })),
    scanner: Type.Optional(
      Type.Object(
        { ...serialRole, transport: enumOf(['serial', 'hid-pos']), vendorId: Type.Optional(UsbId), productId: Type.Optional(UsbId) },
        { additionalProperties: false },
      ),
    ),
    printer: Type.Optional(Type.Object({ ...serialRole, profile: Text(40) }, { additionalProperties: false })),
    dispenser: Type.Optional(Type.Object(serialRole, { additionalProperties: false })),
    a4printer: Type.Optional(
      Type.Object(
        { mode: enumOf(['off', 'simulator', 'ipp']), target: Type.Optional(Nullable(Text(300, { description: 'IPP queue URL or CUPS queue name' }))) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AssignmentBody = Static<typeof AssignmentSchema>;

export const Problem = Type.Object({ field: Type.String(), message: Type.String() });
export const FaultSchema = Type.Object({
  at: Type.Integer(),
  state: Type.String(),
  code: Nullable(Type.String()),
  message: Type.String(),
});
export const Kind = enumOf(DEVICE_KINDS);
export const SimPortKind = enumOf(SIMULATOR_PORT_KINDS);
export const SimulatorPortSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  path: Type.String(),
  state: Type.Record(Type.String(), Type.Unknown()),
});

export const DevicesPageSchema = Type.Object({
  assignment: Type.Record(Type.String(), Type.Unknown(), { description: 'the running assignment per role (the shape of the apply body)' }),
  status: DevicesSchema,
  faults: Type.Record(Type.String(), Type.Array(FaultSchema), { description: 'the last faults per device, newest first (no personal data)' }),
  profiles: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), paperWidthMm: Type.Integer(), charsPerLine: Type.Integer() })),
  baudRates: Type.Array(Type.Integer()),
  siteFile: Type.Boolean({ description: 'whether changes are saved to a site file (else they last until the next restart)' }),
  simulatorPortsAllowed: Type.Boolean({ description: 'simulator ports can be made (a development or training terminal, not a live one)' }),
});
export type DevicesPageReply = Static<typeof DevicesPageSchema>;

const DiscoveredPort = Type.Object({
  path: Type.String(),
  node: Type.String(),
  aliases: Type.Array(Type.String()),
  vendorId: Nullable(Type.String()),
  productId: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  manufacturer: Nullable(Type.String()),
  source: Type.String(),
  simulates: Nullable(Type.String()),
});
const DiscoveredHid = Type.Object({
  vendorId: Type.String(),
  productId: Type.String(),
  vendorIdNumber: Type.Integer(),
  productIdNumber: Type.Integer(),
  serialNumber: Nullable(Type.String()),
  manufacturer: Nullable(Type.String()),
  product: Nullable(Type.String()),
  usagePage: Nullable(Type.Integer()),
  posScanner: Type.Boolean(),
});
export const DiscoverySchema = Type.Object({
  serialPorts: Type.Array(DiscoveredPort),
  hidDevices: Type.Array(DiscoveredHid),
  simulators: Type.Array(Type.Object({ kind: Type.String(), hostPath: Type.String() })),
  simulatorPorts: Type.Array(SimulatorPortSchema),
  problems: Type.Array(Type.String()),
});
export type DiscoveryReply = Static<typeof DiscoverySchema>;

export const ApplyReply = Type.Object({
  ok: Type.Boolean(),
  problems: Type.Array(Problem),
  how: Type.Optional(enumOf(['live', 'restart', 'unchanged'])),
  changed: Type.Optional(Type.Array(Type.String())),
  saved: Type.Optional(Type.Boolean({ description: 'written to the site file' })),
  version: Type.Optional(Nullable(Type.Integer())),
  restarting: Type.Optional(Type.Boolean()),
  warnings: Type.Optional(Type.Array(Type.String())),
  status: Type.Optional(DevicesSchema),
});
export type DevicesApplyReply = Static<typeof ApplyReply>;
