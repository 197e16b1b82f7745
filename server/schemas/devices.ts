import { Type } from '@sinclair/typebox';

/** One device's status as the API shows it (kiosk/devices/hub.ts DeviceStatusView). */
const DeviceStatusSchema = Type.Object({
  state: Type.String(),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  task: Type.Optional(Type.String()),
  warnings: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }))),
});

/** Every device's status: GET /devices, the kiosk's session stream, the console's 设备设置. */
export const DevicesSchema = Type.Object({
  idcard: DeviceStatusSchema,
  scanner: DeviceStatusSchema,
  printer: DeviceStatusSchema,
  dispenser: DeviceStatusSchema,
  a4printer: Type.Optional(DeviceStatusSchema),
});
