import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kiosk, KioskEvents } from '../../kiosk/compose.ts';
import { ASSISTANCE_SCREEN_CODES } from '../../kiosk/alerts/screens.ts';
import { hallOpenNow } from '../../kiosk/hall/opening-hours.ts';
import { classifyScan } from '../../kiosk/scan/index.ts';
import { auth } from '../plugins/auth.ts';
import { enumOf, errors, replies, Text } from '../schemas.ts';
import { openSse } from '../sse.ts';
import { DevicesSchema } from '../schemas/devices.ts';

/**
 * The citizen UI's view of the terminal: hall and services, queue summary and device banners, the
 * identity of whoever inserted their card (masked), the live event stream, assistance requests,
 * read-aloud and keyboard-wedge scans.
 */
export const kioskSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const citizen = auth('loopback');
  const { config } = kiosk;

  app.get(
    '/kiosk/info',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '大厅与业务信息',
        response: {
          200: Type.Object({
            hall: Type.Object({
              name: Type.String(),
              level: Type.String(),
              timeZone: Type.String({ description: 'IANA time zone the hall reads its clocks in' }),
              address: Type.String(),
              phones: Type.Object({ consult: Type.String(), complaint: Type.String() }),
              openingHours: Type.Array(Type.Object({ weekdays: Type.Array(Type.Integer()), open: Type.String(), close: Type.String() })),
            }),
            services: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                prefix: Type.String(),
                group: Type.Union([Type.String(), Type.Null()]),
                priorityReasons: Type.Array(Type.String()),
                declarableReasons: Type.Array(Type.String(), { description: '绿色通道 reasons a citizen may declare without a card (待窗口核验)' }),
              }),
            ),
            ui: Type.Object({ idleTimeoutSeconds: Type.Integer() }),
            features: Type.Object({ guides: Type.Boolean(), evaluation: Type.Boolean(), certificate: Type.Boolean() }),
          }),
        },
      },
    },
    async () => ({
      hall: config.hall,
      services: config.services.map((s) => ({
        code: s.code,
        name: s.name,
        prefix: s.prefix,
        group: s.group ?? null,
        priorityReasons: s.priorityReasons,
        declarableReasons: kiosk.priority.declarable(s),
      })),
      ui: { idleTimeoutSeconds: config.ui.idleTimeoutSeconds },
      features: { guides: true, evaluation: app.hasRoute({ method: 'POST', url: '/api/v1/kiosk/evaluations' }), certificate: kiosk.certificates !== null },
    }),
  );

  app.get(
    '/kiosk/status',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '等候人数与设备状态',
        response: replies({
          200: Type.Object({
            version: Type.Integer(),
            services: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                waiting: Type.Integer(),
                estimatedWaitMinutes: Type.Integer(),
                openCounters: Type.Integer(),
              }),
            ),
            devices: DevicesSchema,
            hall: Type.Object({
              open: Type.Boolean({ description: 'inside hall.openingHours now' }),
              nextOpen: Type.Union([Type.Object({ date: Type.String(), time: Type.String(), today: Type.Boolean() }), Type.Null()]),
              closesAt: Type.Union([Type.String(), Type.Null()]),
              servedThisBusinessDay: Type.Boolean({ description: 'a number taken now can still be called before the daily reset' }),
            }),
          }),
          ...errors(503),
        }),
      },
    },
    async () => {
      const status = await kiosk.queue.status();
      return { version: status.version, services: status.services, devices: kiosk.devices.statuses(), hall: hallOpenNow(kiosk) };
    },
  );

  const SessionSchema = Type.Object({
    identity: Type.Union([
      Type.Object({
        maskedName: Type.String(),
        maskedId: Type.String(),
        age: Type.Integer(),
        cardType: Type.String(),
        elderly: Type.Boolean(),
        expired: Type.Boolean(),
      }),
      Type.Null(),
    ]),
    reader: Type.Union([
      Type.Object(
        { code: Type.Union([Type.Literal('IDCARD_READ_FAILED'), Type.Literal('IDCARD_REPLACE')]), message: Type.String() },
        { description: 'shown instead of 请将身份证放到读卡区: the last read failed (driver message), or the card on the reader must be placed again' },
      ),
      Type.Null(),
    ]),
  });
  const sessionView = () => ({ identity: kiosk.session.public(), reader: kiosk.session.notice() });
  // The identity belongs to one task (kiosk/session/citizen-session.ts): it ends with the ticket,
  // check-in or printed certificate, at home (DELETE), and by the daemon's idle timer, which the
  // UI's activity pings (POST …/activity) keep from firing while the citizen is busy.
  app.get(
    '/kiosk/session',
    { config: citizen, schema: { tags: ['kiosk'], summary: '当前读卡身份（已脱敏）与读卡提示', response: { 200: SessionSchema } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return sessionView();
    },
  );
  app.delete(
    '/kiosk/session',
    { config: citizen, schema: { tags: ['kiosk'], summary: '结束当前身份（返回首页）', response: { 200: SessionSchema } } },
    async () => {
      kiosk.session.clear();
      return sessionView();
    },
  );
  app.post(
    '/kiosk/session/activity',
    {
      config: citizen,
      schema: { tags: ['kiosk'], summary: '市民仍在操作（重置终端的空闲计时 ui.idleTimeoutSeconds）', response: { 200: SessionSchema } },
    },
    async () => {
      kiosk.session.touch();
      return sessionView();
    },
  );

  app.post(
    '/kiosk/assistance',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '呼叫工作人员',
        // A screen code from a fixed list (kiosk/alerts/screens.ts): logged and stored, never free text.
        body: Type.Object({ screen: enumOf(ASSISTANCE_SCREEN_CODES) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            message: Type.String(),
            joined: Type.Boolean({ description: 'true: asked again within kioskLimits.assistanceCoalesceSeconds, the open request stands (no new alert)' }),
          }),
          ...errors(400, 503),
        },
      },
    },
    async (request) => {
      const { screen } = request.body;
      // Asking again within the coalescing window joins the request already raised (abuse-limits.ts).
      const joined = kiosk.limits.assistance() === 'joined';
      if (!joined && kiosk.engine) await kiosk.engine.recordEvent('assistance.requested', { terminal: config.hall.code, screen });
      if (!joined) request.log.warn({ screen }, 'assistance requested at the kiosk');
      return { ok: true, message: '已通知工作人员，请稍候', joined };
    },
  );

  app.post(
    '/kiosk/speech',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '语音播报 (espeak-ng Mandarin WAV) for browsers without a Chinese voice',
        body: Type.Object({ text: Text(200, { minLength: 1 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const wav = await kiosk.speech.synthesize(request.body.text);
      return reply.type('audio/wav').send(wav);
    },
  );

  app.post(
    '/kiosk/scan',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '键盘模式扫码枪输入的分类',
        body: Type.Object({ text: Text(2048, { minLength: 1 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            ticket: Type.Optional(Type.Ref('Ticket')),
            message: Type.Optional(Type.String()),
            appointmentCode: Type.Optional(Type.String()),
            ticketCode: Type.Optional(Type.String({ description: "the ticket's signed code: the proof for 评价 (kiosk/evaluations/kiosk-proof.ts)" })),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const { ticketId, ...rest } = classify(kiosk, request.body.text);
      if (ticketId === undefined) return rest;
      try {
        return { ...rest, ticket: await kiosk.queue.ticket(ticketId) };
      } catch {
        return { kind: 'invalid-code', message: '这张号票已不在今日队列中' };
      }
    },
  );

  app.get(
    '/kiosk/events',
    {
      config: { ...citizen, rateLimit: false },
      schema: { tags: ['kiosk'], summary: '终端实时事件 (SSE): session, scan, device, queue, ticket-taken, assistance' },
    },
    async (request, reply) => {
      const stream = openSse(request, reply);
      const listeners: Partial<{ [K in keyof KioskEvents]: (...args: KioskEvents[K]) => void }> = {
        // The reader's notice (a failed read, a used card to place again) travels with the identity.
        session: (identity) => stream.send('session', { identity, reader: kiosk.session.notice() }),
        'session-rejected': (message) => stream.send('session-rejected', { message }),
        device: (kind, status) => stream.send('device', { kind, status }),
        queue: (version) => stream.send('queue', { version }),
        'ticket-taken': () => stream.send('ticket-taken', {}),
        assistance: (a) => stream.send('assistance', a),
        scan: (scan) => {
          const { ticketId, ...rest } = classify(kiosk, scan.text);
          if (ticketId === undefined) return stream.send('scan', rest);
          kiosk.queue.ticket(ticketId).then(
            (ticket) => stream.send('scan', { ...rest, ticket }),
            () => stream.send('scan', { kind: 'invalid-code', message: '这张号票已不在今日队列中' }),
          );
        },
      };
      for (const [name, fn] of Object.entries(listeners)) kiosk.events.on(name as keyof KioskEvents, fn as never);
      stream.onClose(() => {
        for (const [name, fn] of Object.entries(listeners)) kiosk.events.off(name as keyof KioskEvents, fn as never);
      });
    },
  );
};

/** What a scanned text is, for the screen. The e-voucher payload itself never leaves this function. */
function classify(kiosk: Kiosk, text: string): { kind: string; message?: string; appointmentCode?: string; ticketCode?: string; ticketId?: number } {
  const c = classifyScan(text, kiosk.config.privacy.hmacKey, { hallCode: kiosk.config.hall.code });
  switch (c.kind) {
    case 'ticket':
      // The verified code goes back to the screen: it is what proves the ticket for 评价.
      return { kind: 'ticket', ticketId: Number(c.ticketId), ticketCode: text.trim() };
    case 'appointment':
      return { kind: 'appointment', appointmentCode: text.trim() };
    case 'invalid-code':
      return { kind: 'invalid-code', message: c.message };
    case 'insurance-voucher':
      // Kept (opaque) for the certificate screen, which exchanges it at the decode service.
      if (kiosk.certificates && kiosk.insurance?.health().eVoucher) {
        kiosk.certificates.offerVoucher(c.payload);
        return { kind: 'insurance-voucher', message: '已识别医保电子凭证' };
      }
      return { kind: 'insurance-voucher', message: '如您扫描的是医保电子凭证：本机暂未接入医保电子凭证核验，请放置身份证或到窗口办理' };
    default:
      return { kind: 'other', message: '无法识别此二维码，请扫描号票或预约二维码' };
  }
}
