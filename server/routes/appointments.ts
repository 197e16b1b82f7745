import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { identityHash } from '../../kiosk/identity/privacy.ts';
import { actorOf } from '../../kiosk/queue/counter-scope.ts';
import { auth } from '../plugins/auth.ts';
import type { FastifyRequest } from 'fastify';
import { ClockSchema, DaySchema, errors, IdSchema, Text } from '../schemas.ts';

/**
 * 预约 records, booked by staff (on the phone or at a window) with the citizen's ID number, which
 * is hashed at once and never stored.
 */
export const appointmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const appointments = kiosk.appointments;
  if (!appointments) return;
  const staff = auth('hall-server', 'counter', 'admin');
  /** Who acts: a counter token is that counter; hall-server and admin are the hall (counter-scope.ts). */
  const actor = (request: FastifyRequest) => actorOf(request.caller.kind === 'counter' ? request.caller.counterNo : null);
  const IdNumber = Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', maxLength: 18, description: '18-digit ID number; hashed on arrival, never stored' });

  app.post(
    '/appointments',
    {
      config: staff,
      schema: {
        tags: ['appointments'],
        summary: '登记预约',
        security: [{ bearer: [] }],
        body: Type.Object(
          { idNumber: IdNumber, serviceCode: Text(32, { minLength: 1 }), day: DaySchema, windowStart: ClockSchema, windowEnd: ClockSchema },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const b = request.body;
      const appointment = await appointments.book({
        identityHash: identityHash(b.idNumber, kiosk.config.privacy.hmacKey),
        serviceCode: b.serviceCode,
        day: b.day,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
        by: actor(request),
      });
      return { appointment };
    },
  );
  app.get(
    '/appointments/:appointmentId',
    {
      config: staff,
      schema: {
        tags: ['appointments'],
        summary: '查询预约',
        security: [{ bearer: [] }],
        params: Type.Object({ appointmentId: IdSchema }),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ appointment: await appointments.get(request.params.appointmentId) }),
  );
  app.post(
    '/appointments/:appointmentId/cancel',
    {
      config: staff,
      schema: {
        tags: ['appointments'],
        summary: '取消预约',
        security: [{ bearer: [] }],
        params: Type.Object({ appointmentId: IdSchema }),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => ({ appointment: await appointments.cancel(request.params.appointmentId, actor(request)) }),
  );
};
