import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { identityHash } from '../../kiosk/identity/privacy.ts';
import { allow } from '../auth.ts';
import { ClockSchema, DaySchema, errors } from '../schemas.ts';

/**
 * 预约 records, booked by staff (on the phone or at a window) with the citizen's ID number, which
 * is hashed at once and never stored.
 */
export async function appointmentRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const appointments = kiosk.appointments;
  if (!appointments) return;
  const staff = allow('hall-server', 'counter', 'admin');
  const IdNumber = Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', description: '18-digit ID number; hashed on arrival, never stored' });

  app.post(
    '/appointments',
    {
      preHandler: staff,
      schema: {
        tags: ['appointments'],
        summary: '登记预约',
        security: [{ bearer: [] }],
        body: Type.Object(
          { idNumber: IdNumber, serviceCode: Type.String(), day: DaySchema, windowStart: ClockSchema, windowEnd: ClockSchema },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const b = request.body as { idNumber: string; serviceCode: string; day: string; windowStart: string; windowEnd: string };
      const appointment = appointments.book({
        identityHash: identityHash(b.idNumber, kiosk.config.privacy.hmacKey),
        serviceCode: b.serviceCode,
        day: b.day,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
      });
      return { appointment };
    },
  );
  app.get(
    '/appointments/:appointmentId',
    {
      preHandler: staff,
      schema: {
        tags: ['appointments'],
        summary: '查询预约',
        security: [{ bearer: [] }],
        params: Type.Object({ appointmentId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ appointment: appointments.get((request.params as { appointmentId: number }).appointmentId) }),
  );
  app.post(
    '/appointments/:appointmentId/cancel',
    {
      preHandler: staff,
      schema: {
        tags: ['appointments'],
        summary: '取消预约',
        security: [{ bearer: [] }],
        params: Type.Object({ appointmentId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ appointment: Type.Ref('Appointment') }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => ({ appointment: appointments.cancel((request.params as { appointmentId: number }).appointmentId) }),
  );
}
