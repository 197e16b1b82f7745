import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { liveReasons } from '../../config/load.ts';
import { PRINTER_PROFILES, renderReceiptPng } from '../../drivers/printer/index.ts';
import {
  assignmentPatch,
  checkAssignment,
  currentAssignment,
  planAssignment,
  testReceiptPreview,
  type DeviceAssignment,
} from '../../kiosk/console/device-assignment.ts';
import { discoverDevices } from '../../kiosk/console/device-discovery.ts';
import { confirmPending, versionDiff, readSite, writeSitePatch } from '../../kiosk/console/site-file.ts';
import { DEVICE_KINDS } from '../../kiosk/devices/hub.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth } from '../plugins/auth.ts';
import { errors, IdSchema, replies, Text } from '../schemas.ts';
import {
  ApplyReply,
  AssignmentSchema,
  DevicesPageSchema,
  DiscoverySchema,
  FaultSchema,
  Kind,
  Problem,
  SimPortKind,
  SimulatorPortSchema,
} from '../schemas/console-devices.ts';

/**
 * 设备设置 on the technician console (technician and hall-admin): discovery of serial ports, HID
 * devices and simulated devices, the assignment of each role to a port or IPP queue, checked by
 * the boot's schema and applied by reopening the changed drivers (or, when only a restart can
 * apply it, by the site file and a graceful restart), the test receipt's preview per printer
 * profile, live status with each device's last faults, and simulator ports (simulated devices
 * on real ptys) on a development or training terminal. Domain logic: kiosk/console/device-*.ts.
 */

const BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400];

export const consoleDeviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const hub = kiosk.devices;
  const state = app.console;
  const anyConsole = auth('admin', 'technician');
  const simulatorPortsAllowed = (): boolean => liveReasons(kiosk.config).length === 0;
  const who = (request: FastifyRequest): { user: string; role: 'hall-admin' | 'technician' } => {
    const c = request.caller;
    if (c.kind !== 'admin' && c.kind !== 'technician') throw new KioskError('AUTH_FORBIDDEN');
    return { user: c.user, role: c.kind === 'admin' ? 'hall-admin' : 'technician' };
  };

  app.get(
    '/console/devices',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '设备设置：各设备的当前分配、状态与最近故障、打印机型号、波特率（技术人员可用）',
        response: replies({ 200: DevicesPageSchema, ...errors(401, 403) }),
      },
    },
    async () => ({
      assignment: currentAssignment(hub.config) as unknown as Record<string, unknown>,
      status: hub.statuses(),
      faults: Object.fromEntries(DEVICE_KINDS.map((k) => [k, [...hub.faults(k)]])),
      profiles: Object.values(PRINTER_PROFILES).map((p) => ({ name: p.name, label: p.label, paperWidthMm: p.paperWidthMm, charsPerLine: p.charsPerLine })),
      baudRates: BAUD_RATES,
      siteFile: state.siteFile !== undefined,
      simulatorPortsAllowed: simulatorPortsAllowed(),
    }),
  );

  app.get(
    '/console/devices/discovery',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '发现设备：串口（含 USB 厂商/产品号与序列号）、HID 设备、模拟设备与模拟串口',
        response: replies({ 200: DiscoverySchema, ...errors(401, 403) }),
      },
    },
    async () => {
      const simulatorPorts = hub.simulatorPorts.list();
      const found = await discoverDevices({ simulatorPorts, simulators: hub.simulators.values() });
      return { ...found, simulatorPorts };
    },
  );

  const Body = Type.Object({ assignment: AssignmentSchema }, { additionalProperties: false });

  app.post(
    '/console/devices/check',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '检查设备分配：与启动时相同的配置校验，问题用中文指出配置项（不写入）',
        body: Body,
        response: replies({ 200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem) }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      const problems = checkAssignment(hub.config, request.body.assignment as DeviceAssignment);
      return { ok: problems.length === 0, problems };
    },
  );

  app.post(
    '/console/devices/apply',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '应用设备分配：校验后写入站点配置并重新打开改动的设备（无需重启）；只能重启生效时平滑重启',
        body: Body,
        response: replies({ 200: ApplyReply, ...errors(400, 401, 403) }),
      },
    },
    async (request, reply) => {
      const caller = who(request);
      const assignment = request.body.assignment as DeviceAssignment;
      const running = hub.config;
      const problems = checkAssignment(running, assignment);
      if (problems.length) return { ok: false, problems };
      const plan = planAssignment(kiosk.config, running, assignment);
      if (!plan.changed.length)
        return { ok: true, problems: [], how: 'unchanged' as const, changed: [], saved: false, version: null, warnings: [...plan.warnings] };
      const file = state.siteFile;
      const patch = assignmentPatch(assignment);
      const warnings = [...plan.warnings];
      if (plan.how === 'restart' && !file) {
        throw new KioskError(
          'REQUEST_INVALID',
          { reason: 'no-site-file' },
          `${plan.restartReason ?? '这项修改需要重启'}；本机未使用站点配置文件（--config / KIOSK_CONFIG），无法保存后重启`,
        );
      }
      let version: number | null = null;
      if (file) {
        const before = readSite(file);
        const written = writeSitePatch(file, patch, { at: kiosk.clock(), user: caller.user });
        // Applied live, the change is already running: nothing waits for a start to confirm it.
        if (plan.how === 'live') confirmPending(file);
        version = state.audit.recordConfigVersion(caller.user, versionDiff(before, JSON.parse(written.after) as unknown));
      } else {
        warnings.push('本机未使用站点配置文件（--config / KIOSK_CONFIG）：修改已生效，但终端服务重启后恢复原来的设置');
      }
      state.audit.record({
        user: caller.user,
        role: caller.role,
        action: 'devices-apply',
        target: `设备设置：${plan.changed.join('、')}`,
        status: 200,
        details: { changed: [...plan.changed], how: plan.how, version },
      });
      if (plan.how === 'restart') {
        const restart = state.requestRestart;
        if (restart) reply.raw.once('finish', () => setTimeout(restart, 50));
        return {
          ok: true,
          problems: [],
          how: 'restart' as const,
          changed: [...plan.changed],
          saved: true,
          version,
          restarting: restart !== undefined,
          warnings,
        };
      }
      await hub.reconfigure(plan.next);
      return { ok: true, problems: [], how: 'live' as const, changed: [...plan.changed], saved: file !== undefined, version, warnings, status: hub.statuses() };
    },
  );

  app.get(
    '/console/devices/printer/preview.png',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '测试小票预览（PNG）：按所选打印机型号排版的测试页',
        querystring: Type.Object({ profile: Type.Optional(Text(40)) }, { additionalProperties: false }),
        response: replies({ ...errors(400, 401, 403) }),
      },
    },
    async (request, reply) => {
      const name = request.query.profile ?? hub.config.devices.printer.profile;
      const receipt = testReceiptPreview(name);
      if (!receipt)
        throw new KioskError('REQUEST_INVALID', { field: 'profile' }, `配置项 devices.printer.profile 只能取 ${Object.keys(PRINTER_PROFILES).join('、')}`);
      return reply.type('image/png').header('cache-control', 'no-store').send(renderReceiptPng(receipt));
    },
  );

  app.post(
    '/console/devices/simulator-ports',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '新建模拟串口：在真实的伪终端（pty）上运行一台模拟设备，用于演练设备分配（仅开发或培训终端）',
        body: Type.Object({ kind: SimPortKind }, { additionalProperties: false }),
        response: replies({ 200: Type.Object({ port: SimulatorPortSchema }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      if (!simulatorPortsAllowed()) {
        throw new KioskError('REQUEST_INVALID', { reason: 'live' }, `正式运行的终端不能创建模拟串口（${liveReasons(kiosk.config).join('、')}）`);
      }
      try {
        return { port: await hub.simulatorPorts.open(request.body.kind) };
      } catch (err) {
        throw new KioskError('REQUEST_INVALID', { kind: request.body.kind }, `无法创建模拟串口：${(err as Error).message}`);
      }
    },
  );

  app.delete(
    '/console/devices/simulator-ports/:id',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '删除模拟串口（使用它的设备显示未连接）',
        params: Type.Object({ id: IdSchema }),
        response: replies({ 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => ({ ok: await hub.simulatorPorts.close(request.params.id) }),
  );

  app.get(
    '/console/devices/:kind/faults',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '一台设备的最近故障（最新在前，无个人信息）',
        params: Type.Object({ kind: Kind }),
        response: replies({ 200: Type.Object({ faults: Type.Array(FaultSchema) }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => ({ faults: [...hub.faults(request.params.kind)] }),
  );
};
