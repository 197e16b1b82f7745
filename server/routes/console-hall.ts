import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  applySiteChange,
  countersChange,
  credentials,
  findCredential,
  fingerprint,
  generateChange,
  hallChange,
  labelled,
  revokeChange,
  servicesChange,
  type CounterSettings,
  type CredentialKind,
  type HallSettings,
  type SiteChange,
} from '../../kiosk/console/hall-settings.ts';
import { credentialKindOf, PAIRING_DEVICES, PairingCodes, type PairingDevice } from '../../kiosk/console/pairing.ts';
import { claimAtHolder, holderBase, linkChange, linkView, QueueLinkError, unlinkChange } from '../../kiosk/console/queue-link.ts';
import { readSite } from '../../kiosk/console/site-file.ts';
import { remoteFetchFor } from '../clients/remote-queue.ts';
import { readCaFile } from '../tls.ts';
import type { ServiceConfig } from '../../config/schema.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth, PUBLIC } from '../plugins/auth.ts';
import { enumOf, errors, IdSchema, Int, Nullable, replies, Text } from '../schemas.ts';
import { ApplyReplySchema, ClaimReplySchema, HallViewSchema, PairingCodeSchema, QueueLinkViewSchema } from '../schemas/console-hall.ts';

/**
 * 大厅与排队 of the technician console (issue 14 item 2), hall-admin only: the hall, its services
 * and counters, credentials (made on the daemon, shown once, revocable) and pairing codes for
 * hall devices; and the one public route a device uses to pair. Every change is one call into
 * kiosk/console/hall-settings.ts and goes the console's configuration way (boot schema, Chinese
 * field errors, atomic write with a version, graceful restart, rollback if it does not start).
 *
 * Request bodies are bounded but not held to the configuration's own patterns here: a bad value
 * must reach the boot schema's check, which names the field in Chinese.
 */
const Str = Text(200);
const OpeningPeriod = Type.Object({ weekdays: Type.Array(Int(0, 99), { maxItems: 7 }), open: Text(8), close: Text(8) }, { additionalProperties: false });
const HallBody = Type.Object(
  {
    name: Str,
    code: Text(64),
    level: Text(8),
    regionCode: Text(16),
    address: Str,
    phones: Type.Object({ consult: Text(40), complaint: Text(40) }, { additionalProperties: false }),
    openingHours: Type.Array(OpeningPeriod, { maxItems: 14 }),
    timeZone: Text(64),
    dailyResetTime: Text(8),
    upperHall: Type.Optional(Type.Object({ name: Str, level: Text(8), address: Str, phone: Text(40) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
const ServiceBody = Type.Object(
  {
    code: Text(40),
    name: Str,
    prefix: Text(4),
    numberRange: Type.Object({ from: Int(0, 1_000_000), to: Int(0, 1_000_000) }, { additionalProperties: false }),
    averageServiceMinutes: Type.Number({ minimum: 0, maximum: 1_000 }),
    priorityReasons: Type.Array(Text(16), { maxItems: 8 }),
    dailyCap: Nullable(Int(0, 1_000_000)),
    group: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);
const CounterBody = Type.Object({ number: Int(0, 100_000), name: Str, services: Type.Array(Text(40), { maxItems: 50 }) }, { additionalProperties: false });
const CounterNoParams = Type.Object({ number: Int(1, 999) }, { additionalProperties: false });
const Kind = enumOf(['counter', 'hall-server', 'terminal'] as const);
const Fingerprint = Type.String({ pattern: '^[0-9a-f]{12}$', maxLength: 12 });
const Device = enumOf(PAIRING_DEVICES);
const Code = Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: 'the 6 digits the console shows' });

export const consoleHallRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const config = kiosk.config;
  const state = app.console;
  const pairing = new PairingCodes(kiosk.clock);
  const hallAdmin = auth('admin');

  const admin = (request: FastifyRequest): string => {
    const c = request.caller;
    if (c.kind !== 'admin') throw new KioskError('AUTH_FORBIDDEN');
    return c.user;
  };
  const siteFile = (): string => {
    const file = state.siteFile;
    if (!file) throw new KioskError('REQUEST_INVALID', { reason: 'no-site-file' }, '本机未使用站点配置文件（--config / KIOSK_CONFIG），无法从维护台修改配置');
    return file;
  };
  const record = (user: string, action: string, target: string, status: number, details: Record<string, unknown>) =>
    state.audit.record({ user, role: 'hall-admin', action, target, status, details });

  /** The console's configuration way for one change; the restart follows the reply. */
  const apply = (request: FastifyRequest, reply: FastifyReply, user: string, change: SiteChange) => {
    const file = siteFile();
    const outcome = applySiteChange(config, file, change, user, kiosk.clock(), state.audit);
    if (!outcome.ok) return { ok: false, problems: labelled(outcome.problems) };
    const restart = state.requestRestart;
    if (restart) reply.raw.once('finish', () => setTimeout(restart, 50));
    reply.header('cache-control', 'no-store');
    return { ok: true, problems: [], version: outcome.version, restarting: restart !== undefined, ...(change.secret ? { secret: change.secret } : {}) };
  };
  const problem = (field: string, message: string) => ({ ok: false, problems: labelled([{ field, message }]) });

  const applyReply = replies({ 200: ApplyReplySchema, ...errors(400, 401, 403, 404) });

  app.get(
    '/console/hall',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '大厅、业务、窗口、凭证（只显示指纹，不显示密钥）与未使用的配对码（大厅管理员）',
        response: replies({ 200: HallViewSchema, ...errors(401, 403) }),
      },
    },
    async () => ({
      hall: config.hall,
      services: config.services,
      counters: config.counters.map(({ number, name, services }) => ({ number, name, services })),
      credentials: credentials(config),
      pairings: pairing.list(),
      canApply: state.siteFile !== undefined,
    }),
  );

  app.post(
    '/console/hall/settings',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '修改大厅信息（名称、编码、层级、区划、地址、电话、办公时间、时区、清号时间、上级大厅）：校验后写入站点配置并平滑重启',
        body: Type.Object({ hall: HallBody }, { additionalProperties: false }),
        response: applyReply,
      },
    },
    async (request, reply) => apply(request, reply, admin(request), hallChange(request.body.hall as HallSettings)),
  );

  app.post(
    '/console/hall/services',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '修改业务列表（整份列表替换）：校验后写入站点配置并平滑重启',
        body: Type.Object({ services: Type.Array(ServiceBody, { maxItems: 50 }) }, { additionalProperties: false }),
        response: applyReply,
      },
    },
    async (request, reply) => apply(request, reply, admin(request), servicesChange(request.body.services as ServiceConfig[])),
  );

  const counters = (): CounterSettings[] => config.counters.map(({ number, name, services }) => ({ number, name, services: [...services] }));

  app.post(
    '/console/hall/counters',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '新增窗口（号码、名称、办理的业务）：生成窗口令牌（只显示一次），写入站点配置并平滑重启',
        body: CounterBody,
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      const c = request.body;
      if (config.counters.some((x) => x.number === c.number)) return problem(`counters[${config.counters.length}].number`, `${c.number} 号窗口已存在`);
      return apply(request, reply, user, countersChange(config, readSite(siteFile()), [...counters(), c]));
    },
  );

  app.put(
    '/console/hall/counters/:number',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '修改窗口的名称和办理的业务（令牌不变）',
        params: CounterNoParams,
        body: Type.Object({ name: Str, services: Type.Array(Text(40), { maxItems: 50 }) }, { additionalProperties: false }),
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      const n = request.params.number;
      if (!config.counters.some((x) => x.number === n)) throw new KioskError('QUEUE_UNKNOWN_COUNTER', { counterNo: n });
      const next = counters().map((c) => (c.number === n ? { number: n, name: request.body.name, services: request.body.services } : c));
      return apply(request, reply, user, countersChange(config, readSite(siteFile()), next));
    },
  );

  app.delete(
    '/console/hall/counters/:number',
    {
      config: hallAdmin,
      schema: { tags: ['console'], summary: '删除窗口（其令牌随之失效）', params: CounterNoParams, response: applyReply },
    },
    async (request, reply) => {
      const user = admin(request);
      const n = request.params.number;
      if (!config.counters.some((x) => x.number === n)) throw new KioskError('QUEUE_UNKNOWN_COUNTER', { counterNo: n });
      return apply(
        request,
        reply,
        user,
        countersChange(
          config,
          readSite(siteFile()),
          counters().filter((c) => c.number !== n),
        ),
      );
    },
  );

  app.post(
    '/console/hall/credentials',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '生成凭证：新的大厅服务器令牌或终端令牌，或为一个窗口更换令牌；密钥只在这次回复中显示一次',
        body: Type.Object({ kind: Kind, counterNo: Type.Optional(Int(1, 999)) }, { additionalProperties: false }),
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      const { kind, counterNo } = request.body;
      const change = generateChange(config, readSite(siteFile()), kind as CredentialKind, counterNo);
      if (!change) throw new KioskError('QUEUE_UNKNOWN_COUNTER', { counterNo: counterNo ?? null });
      const out = apply(request, reply, user, change);
      if (out.ok)
        record(user, 'credential-generated', `POST /api/v1/console/hall/credentials`, 200, {
          kind,
          counterNo: counterNo ?? null,
          fingerprint: change.secret!.fingerprint,
        });
      return out;
    },
  );

  app.delete(
    '/console/hall/credentials/:kind/:fingerprint',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '吊销凭证：大厅服务器令牌或终端令牌被删除；窗口令牌换成无人见过的新令牌（该窗口的设备需重新配对）',
        params: Type.Object({ kind: Kind, fingerprint: Fingerprint }, { additionalProperties: false }),
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      const { kind, fingerprint } = request.params;
      const change = revokeChange(config, readSite(siteFile()), kind as CredentialKind, fingerprint);
      if (!change) throw new KioskError('REQUEST_INVALID', { reason: 'unknown-credential' }, '没有这个凭证（可能已被吊销）');
      const out = apply(request, reply, user, change);
      if (out.ok) record(user, 'credential-revoked', `DELETE /api/v1/console/hall/credentials/${kind}/${fingerprint}`, 200, { kind, fingerprint });
      return out;
    },
  );

  app.post(
    '/console/hall/pairing',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '生成配对码（6 位数字，5 分钟内有效，只能使用一次）：设备页面输入后得到它的凭证',
        body: Type.Object(
          {
            device: Device,
            counterNo: Type.Optional(Int(1, 999)),
            credential: Type.Optional(Type.String({ pattern: '^[0-9a-f]{12}$', maxLength: 12, description: 'the hall-server or terminal token to hand over' })),
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: PairingCodeSchema, ...errors(400, 401, 403, 404) }),
      },
    },
    async (request, reply) => {
      const user = admin(request);
      const device = request.body.device as PairingDevice;
      const kind = credentialKindOf(device);
      let credential: string;
      let counterNo: number | null = null;
      if (device === 'kiosk' && !kiosk.engine)
        throw new KioskError(
          'REQUEST_INVALID',
          { reason: 'not-holder' },
          '本机不持有排队队列（本机连接着其他终端的排队服务），不能为其他自助终端配对；请在持有队列的终端上生成配对码',
        );
      if (kind === 'counter' || device === 'window') {
        const c = config.counters.find((x) => x.number === request.body.counterNo);
        if (!c) throw new KioskError('QUEUE_UNKNOWN_COUNTER', { counterNo: request.body.counterNo ?? null }, '请选择要配对的窗口');
        counterNo = c.number;
      }
      if (kind === 'counter') {
        credential = credentials(config).find((x) => x.kind === 'counter' && x.counterNo === counterNo)!.fingerprint;
      } else {
        const list = credentials(config).filter((x) => x.kind === kind);
        const chosen = request.body.credential ? list.find((x) => x.fingerprint === request.body.credential) : list[0];
        if (!chosen)
          throw new KioskError(
            'REQUEST_INVALID',
            { reason: 'no-credential', kind },
            kind === 'terminal' ? '还没有终端令牌，请先生成一个' : '没有这个大厅服务器令牌',
          );
        credential = chosen.fingerprint;
      }
      const issued = pairing.issue({ device, counterNo, credential }, user);
      record(user, 'pairing-code', 'POST /api/v1/console/hall/pairing', 200, { pairingId: issued.pairing.id, device, counterNo, credential });
      reply.header('cache-control', 'no-store');
      return issued;
    },
  );

  app.delete(
    '/console/hall/pairing/:id',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '作废一个未使用的配对码',
        params: Type.Object({ id: IdSchema }, { additionalProperties: false }),
        response: replies({ 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      admin(request);
      return { ok: pairing.cancel(request.params.id) };
    },
  );

  app.get(
    '/console/hall/queue-link',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '本机的排队服务：自己持有队列，或连接的排队服务终端地址（不显示令牌）',
        response: replies({ 200: QueueLinkViewSchema, ...errors(401, 403) }),
      },
    },
    async () => ({ remote: linkView(config), canApply: state.siteFile !== undefined }),
  );

  app.post(
    '/console/hall/queue-link',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '连接大厅排队服务：本机守护进程用排队服务终端维护台显示的配对码向它领取终端令牌，写入 queue.remote 并平滑重启（令牌不经过浏览器）',
        body: Type.Object(
          {
            url: Text(200, { minLength: 1, description: "the queue holder's address, e.g. https://10.0.0.5:8443" }),
            code: Code,
            caFile: Text(300, { minLength: 1, description: 'PEM file of the hall CA on this kiosk' }),
          },
          { additionalProperties: false },
        ),
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      siteFile();
      const target = 'POST /api/v1/console/hall/queue-link';
      const { code, caFile } = request.body;
      let host = '';
      try {
        const base = holderBase(request.body.url);
        host = new URL(base).host;
        try {
          readCaFile(caFile);
        } catch {
          throw new QueueLinkError('ca', `大厅 CA 证书文件 ${caFile} 无法读取或不是 PEM 证书`);
        }
        const link = await claimAtHolder(base, code, remoteFetchFor({ caFile }));
        const out = apply(request, reply, user, linkChange(link, caFile));
        record(user, 'queue-linked', target, 200, { holder: host, credential: fingerprint(link.token), ok: out.ok });
        return out;
      } catch (err) {
        if (!(err instanceof QueueLinkError)) throw err;
        record(user, 'queue-link-failed', target, 200, { holder: host, reason: err.reason });
        return problem(err.reason === 'ca' ? 'queue.remote.caFile' : err.reason === 'url' ? 'queue.remote.url' : 'queue.remote', err.message);
      }
    },
  );

  app.delete(
    '/console/hall/queue-link',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '断开大厅排队服务：删除 queue.remote，本机重新持有自己的队列（平滑重启）',
        response: applyReply,
      },
    },
    async (request, reply) => {
      const user = admin(request);
      if (!config.queue.remote) return problem('queue.remote', '本机没有连接其他终端的排队服务');
      const holder = new URL(config.queue.remote.url).host;
      const out = apply(request, reply, user, unlinkChange());
      record(user, 'queue-unlinked', 'DELETE /api/v1/console/hall/queue-link', 200, { holder, ok: out.ok });
      return out;
    },
  );

  app.post(
    '/pairing/claim',
    {
      config: PUBLIC,
      schema: {
        tags: ['console'],
        summary: '设备配对：输入维护台显示的配对码，得到本设备的凭证（一次性；错误次数受限）',
        body: Type.Object({ code: Code, device: Device }, { additionalProperties: false }),
        response: replies({ 200: ClaimReplySchema, ...errors(400, 429) }),
      },
    },
    async (request, reply) => {
      const device = request.body.device as PairingDevice;
      const result = pairing.claim(request.body.code, device, request.ip);
      const target = 'POST /api/v1/pairing/claim';
      if (!result.ok) {
        if (result.reason === 'locked') {
          const seconds = Math.ceil(result.retryAfterMs / 1000);
          reply.header('retry-after', String(seconds));
          throw new KioskError('AUTH_LOCKED', { retryAfterSeconds: seconds });
        }
        state.audit.record({ user: '', role: 'device', action: 'pairing-failed', target, status: 400, details: { device, withdrawn: result.withdrawn } });
        throw new KioskError('PAIRING_CODE_INVALID');
      }
      const p = result.pairing;
      const kind = credentialKindOf(p.device);
      const found = findCredential(config, kind, p.credential);
      if (!found) throw new KioskError('PAIRING_CODE_INVALID');
      state.audit.record({
        user: p.issuedBy,
        role: 'device',
        action: 'paired',
        target,
        status: 200,
        details: { pairingId: p.id, device: p.device, counterNo: p.counterNo, credential: p.credential },
      });
      reply.header('cache-control', 'no-store');
      return { device: p.device, counterNo: p.counterNo, kind, token: found.token };
    },
  );
};
