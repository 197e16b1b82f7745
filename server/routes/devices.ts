import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import type { DeviceKind } from '../../drivers/common/status.ts';
import type { PrinterSimulator, Receipt } from '../../drivers/printer/index.ts';
import { renderReceiptPng } from '../../drivers/printer/index.ts';
import type { Kiosk } from '../../kiosk/compose.ts';
import { DEVICE_KINDS } from '../../kiosk/devices/hub.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { allow } from '../auth.ts';
import { errors } from '../schemas.ts';
import { DevicesSchema } from './kiosk-session.ts';

const Kind = Type.Unsafe<DeviceKind>({ type: 'string', enum: [...DEVICE_KINDS] });

/**
 * Device status for staff and the hall server, admin test actions, and — only for devices that
 * are simulated — the development API that drives the simulators (insert a card, run out of
 * paper, take the ticket) and shows what the simulated printer printed.
 */
export async function deviceRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  app.get(
    '/devices',
    {
      preHandler: allow('hall-server', 'admin', 'loopback'),
      schema: { tags: ['devices'], summary: '设备状态', security: [{ bearer: [] }], response: { 200: DevicesSchema } },
    },
    async () => kiosk.devices.statuses(),
  );

  const admin = allow('admin');
  app.post(
    '/admin/devices/printer/test-print',
    { preHandler: admin, schema: { tags: ['devices'], summary: '打印测试页', security: [{ admin: [] }], response: { 200: Type.Object({ ok: Type.Boolean(), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), ...errors(401, 403) } } },
    async () => {
      const printer = kiosk.devices.printer;
      if (!printer) return { ok: false, code: 'off', message: '本机未配置打印机' };
      const r = await printer.printTestPage();
      return r.ok ? { ok: true } : { ok: false, code: r.code, message: r.message };
    },
  );
  app.post(
    '/admin/devices/idcard/test-read',
    {
      preHandler: admin,
      schema: {
        tags: ['devices'],
        summary: '测试读卡 (answers only whether a card was read and its type; no personal data)',
        security: [{ admin: [] }],
        response: { 200: Type.Object({ ok: Type.Boolean(), cardType: Type.Optional(Type.String()), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), ...errors(401, 403) },
      },
    },
    async () => {
      const reader = kiosk.devices.idcard;
      if (!reader) return { ok: false, code: 'off', message: '本机未配置读卡器' };
      const r = await reader.readOnce();
      if (r.ok) return { ok: true, cardType: r.card.type };
      // A card the poller already read cannot be read again until it is lifted (GA 467 §1.3):
      // that read was the test.
      const present = reader.presentCardType;
      if (present) return { ok: true, cardType: present, message: '证件已由读卡器读取' };
      return { ok: false, code: r.code, message: r.message };
    },
  );

  if (!DEVICE_KINDS.some((k) => kiosk.devices.simulated(k))) return;
  const dev = allow('loopback', 'admin');
  const sim = (kind: DeviceKind): SimulatorControl => {
    const s = kiosk.devices.simulators.get(kind);
    if (!s) throw new KioskError('REQUEST_INVALID', { kind }, `${kind} 不是模拟设备`);
    return s;
  };
  app.get(
    '/dev/simulators',
    { preHandler: dev, schema: { tags: ['dev'], summary: '模拟设备列表与状态 (only when simulated)' } },
    async () => [...kiosk.devices.simulators.values()].map((s) => ({ kind: s.kind, hostPath: s.hostPath, actions: s.actions, state: s.state() })),
  );
  app.post(
    '/dev/simulators/:kind/actions/:action',
    {
      preHandler: dev,
      schema: {
        tags: ['dev'],
        summary: '操作模拟设备 (insert-card, paper-out, take-ticket, unplug ...)',
        params: Type.Object({ kind: Kind, action: Type.String({ maxLength: 40 }) }),
        // No body schema: an action without arguments may be posted with no body at all.
        response: { ...errors(400, 403) },
      },
    },
    async (request) => {
      const { kind, action } = request.params as { kind: DeviceKind; action: string };
      const s = sim(kind);
      const args = request.body ?? {};
      if (typeof args !== 'object' || Array.isArray(args)) throw new KioskError('REQUEST_INVALID', { field: 'body' }, '操作参数必须是 JSON 对象');
      try {
        await s.act(action, args as Record<string, unknown>);
      } catch (err) {
        throw new KioskError('REQUEST_INVALID', { kind, action }, (err as Error).message);
      }
      return { state: s.state() };
    },
  );
  app.get(
    '/dev/simulators/printer/receipts/last',
    { preHandler: dev, schema: { tags: ['dev'], summary: '模拟打印机最后一张小票 (text)' } },
    async () => {
      const receipt = (sim('printer') as PrinterSimulator).lastReceipt();
      if (!receipt) throw new KioskError('REQUEST_INVALID', {}, '模拟打印机还没有打印过');
      return { receipt, text: receiptText(receipt) };
    },
  );
  app.get(
    '/dev/simulators/printer/receipts/last.png',
    { preHandler: dev, schema: { tags: ['dev'], summary: '模拟打印机最后一张小票 (PNG)' } },
    async (_request, reply) => {
      const receipt = (sim('printer') as PrinterSimulator).lastReceipt();
      if (!receipt) throw new KioskError('REQUEST_INVALID', {}, '模拟打印机还没有打印过');
      return reply.type('image/png').send(renderReceiptPng(receipt));
    },
  );
}

export function receiptText(receipt: Receipt): string {
  return receipt.lines.map((l) => l.text).join('\n');
}
