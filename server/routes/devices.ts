import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import type { DeviceKind } from '../../drivers/common/status.ts';
import type { PrinterSimulator, Receipt } from '../../drivers/printer/index.ts';
import { renderReceiptPng } from '../../drivers/printer/index.ts';
import { DEVICE_KINDS } from '../../kiosk/devices/hub.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth } from '../plugins/auth.ts';
import { enumOf, errors, replies } from '../schemas.ts';
import { DevicesSchema } from '../schemas/devices.ts';

const Kind = enumOf(DEVICE_KINDS);

/**
 * Device status for staff and the hall server, admin test actions, and — only for devices that
 * are simulated — the development API that drives the simulators (insert a card, run out of
 * paper, take the ticket) and shows what the simulated printer printed.
 */
export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  app.get(
    '/devices',
    {
      config: auth('hall-server', 'admin', 'technician'),
      schema: { tags: ['devices'], summary: '设备状态', security: [{ bearer: [] }], response: replies({ 200: DevicesSchema }) },
    },
    async () => kiosk.devices.statuses(),
  );

  const admin = auth('admin', 'technician');
  app.post(
    '/admin/devices/printer/test-print',
    {
      config: admin,
      schema: {
        tags: ['devices'],
        summary: '打印测试页',
        security: [{ console: [] }],
        response: { 200: Type.Object({ ok: Type.Boolean(), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), ...errors(401, 403) },
      },
    },
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
      config: admin,
      schema: {
        tags: ['devices'],
        summary: '测试读卡 (answers only whether a card was read and its type; no personal data)',
        security: [{ console: [] }],
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            cardType: Type.Optional(Type.String()),
            code: Type.Optional(Type.String()),
            message: Type.Optional(Type.String()),
          }),
          ...errors(401, 403),
        },
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
  const dev = auth('loopback', 'admin', 'technician');
  const sim = (kind: DeviceKind): SimulatorControl => {
    const s = kiosk.devices.simulators.get(kind);
    if (!s) throw new KioskError('REQUEST_INVALID', { kind }, `${kind} 不是模拟设备`);
    return s;
  };
  app.get('/dev/simulators', { config: dev, schema: { tags: ['dev'], summary: '模拟设备列表与状态 (only when simulated)' } }, async () =>
    [...kiosk.devices.simulators.values()].map((s) => ({ kind: s.kind, hostPath: s.hostPath, actions: s.actions, state: s.state() })),
  );
  app.post(
    '/dev/simulators/:kind/actions/:action',
    {
      config: dev,
      schema: {
        tags: ['dev'],
        summary: '操作模拟设备 (insert-card, paper-out, take-ticket, unplug ...)',
        params: Type.Object({ kind: Kind, action: Type.String({ maxLength: 40, pattern: '^[a-z][a-z0-9-]*$' }) }),
        // No body schema: an action without arguments may be posted with no body at all.
        response: { ...errors(400, 403) },
      },
    },
    async (request) => {
      const { kind, action } = request.params;
      const s = sim(kind);
      const args: unknown = request.body ?? {};
      if (!isPlainObject(args)) throw new KioskError('REQUEST_INVALID', { field: 'body' }, '操作参数必须是 JSON 对象');
      try {
        await s.act(action, args);
      } catch (err) {
        throw new KioskError('REQUEST_INVALID', { kind, action }, (err as Error).message);
      }
      return { state: s.state() };
    },
  );
  app.get('/dev/simulators/printer/receipts/last', { config: dev, schema: { tags: ['dev'], summary: '模拟打印机最后一张小票 (text)' } }, async () => {
    const receipt = (sim('printer') as PrinterSimulator).lastReceipt();
    if (!receipt) throw new KioskError('REQUEST_INVALID', {}, '模拟打印机还没有打印过');
    return { receipt, text: receiptText(receipt) };
  });
  // The simulator ports' devices (console 设备设置 → 新建模拟串口) with what a printer among them last printed.
  app.get('/dev/simulator-ports', { config: dev, schema: { tags: ['dev'], summary: '模拟串口（pty）列表、状态与打印机最后一张小票 (text)' } }, async () =>
    kiosk.devices.simulatorPorts.list().map((p) => {
      const receipt = kiosk.devices.simulatorPorts.lastReceipt(p.id);
      return { ...p, lastReceiptText: receipt ? receiptText(receipt) : null };
    }),
  );
  app.get(
    '/dev/simulators/printer/receipts/last.png',
    { config: dev, schema: { tags: ['dev'], summary: '模拟打印机最后一张小票 (PNG)' } },
    async (_request, reply) => {
      const receipt = (sim('printer') as PrinterSimulator).lastReceipt();
      if (!receipt) throw new KioskError('REQUEST_INVALID', {}, '模拟打印机还没有打印过');
      return reply.type('image/png').send(renderReceiptPng(receipt));
    },
  );
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function receiptText(receipt: Receipt): string {
  return receipt.lines.map((l) => l.text).join('\n');
}
