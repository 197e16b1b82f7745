import { clockToMinutes, localParts } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { get, run, type Tx } from '../store/sql.ts';
import type { HallDay } from '../store/unit-of-work.ts';
import { markMissedAppointments, recordMiss } from './appointment-misses.ts';
import { type Actor, HALL_ACTOR, requireAppointmentInScope } from './counter-scope.ts';
import type { QueueEngine } from './engine.ts';
import type { Appointment, IssueResult } from './types.ts';

/**
 * 预约: a booking is a service, a day and a time window. Check-in is allowed from `earlyMinutes`
 * before the window until `lateMinutes` after its end; it turns the booking into a ticket that
 * sorts at the window's start, ahead of walk-ins who arrived after the window began. A booking
 * nobody checked in for by then is missed; after `missesBeforeSuspension` misses the person may
 * no longer book (seed 004: 三次放弃预约的，不再为该申请人提供预约服务) until staff lift it.
 */
interface AppointmentRow {
  id: number;
  day: string;
  service_code: string;
  window_start: string;
  window_end: string;
  identity_hash: string;
  status: Appointment['status'];
  ticket_id: number | null;
  /** The counter that booked it; null when the hall server or the admin did (counter-scope.ts). */
  booked_counter: number | null;
}

export interface BookRequest {
  readonly identityHash: string;
  readonly serviceCode: string;
  readonly day: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Who books: a counter (its number is recorded) or the hall server / admin (the default). */
  readonly by?: Actor;
}

export class Appointments {
  #engine: QueueEngine;
  #unit: HallDay;

  /** Writes go through the hall's unit of work (the engine's by default); tickets come from the engine. */
  constructor(engine: QueueEngine, unit: HallDay = engine.unit) {
    this.#engine = engine;
    this.#unit = unit;
  }

  book(request: BookRequest): Promise<Appointment> {
    const by = request.by ?? HALL_ACTOR;
    if (!this.#engine.config.services.some((s) => s.code === request.serviceCode)) {
      return Promise.reject(new KioskError('QUEUE_UNKNOWN_SERVICE', { serviceCode: request.serviceCode }));
    }
    if (clockToMinutes(request.windowEnd) <= clockToMinutes(request.windowStart)) {
      return Promise.reject(new KioskError('REQUEST_INVALID', { field: 'windowEnd' }, '预约结束时间必须晚于开始时间'));
    }
    return this.#unit.transact(function* (now, day) {
      if (request.day < day) throw new KioskError('REQUEST_INVALID', { field: 'day' }, '不能预约已经过去的日期');
      if (yield* suspendedTx(request.identityHash)) throw new KioskError('APPOINTMENT_SUSPENDED');
      const inserted = yield* get<{ id: number }>(
        `INSERT INTO appointments (day, service_code, window_start, window_end, identity_hash, status, created_at, booked_counter)
         VALUES (?, ?, ?, ?, ?, 'booked', ?, ?) RETURNING id`,
        request.day,
        request.serviceCode,
        request.windowStart,
        request.windowEnd,
        request.identityHash,
        now,
        by.kind === 'counter' ? by.counterNo : null,
      );
      return toView(yield* rowTx(Number(inserted?.id)));
    });
  }

  /** Check in by appointment id (scanned from its signed code) or by identity (ID card). */
  async checkIn(ref: { appointmentId?: number; identityHash?: string }): Promise<IssueResult & { appointment: Appointment }> {
    const { earlyMinutes, lateMinutes } = this.#engine.config.queue.appointments;
    const tz = this.#engine.config.hall.timeZone;
    const engine = this.#engine;
    const outcome = await this.#unit.transact(function* (now, day) {
      const row = ref.appointmentId !== undefined ? yield* rowTx(ref.appointmentId) : yield* todayForTx(ref.identityHash ?? '', day);
      if (row.status === 'checked-in' && row.ticket_id !== null) {
        return { kind: 'ok' as const, ticket: yield* engine.reader.ticketTx(row.ticket_id), existing: true, appointment: toView(row) };
      }
      if (row.status !== 'booked') throw new KioskError('APPOINTMENT_STATE', { status: row.status });
      if (row.day !== day) throw new KioskError('APPOINTMENT_NOT_TODAY', { day: row.day });
      const minute = localParts(now, tz).minutes;
      const start = clockToMinutes(row.window_start);
      const end = clockToMinutes(row.window_end);
      if (minute < start - earlyMinutes) {
        throw new KioskError('APPOINTMENT_TOO_EARLY', { windowStart: row.window_start, earliest: start - earlyMinutes });
      }
      // Too late: the miss must be committed, so it is recorded in its own transaction below
      // rather than thrown from this one (which would roll it back).
      if (minute > end + lateMinutes) return { kind: 'late' as const, row };
      const sortAt = now + (start - minute) * 60_000;
      const ticket = yield* engine.insertAppointmentTicket(row.service_code, row.identity_hash, row.id, sortAt, now, day);
      yield* run("UPDATE appointments SET status = 'checked-in', ticket_id = ? WHERE id = ?", ticket.id, row.id);
      return { kind: 'ok' as const, ticket: yield* engine.reader.viewTx(ticket), existing: false, appointment: toView(yield* rowTx(row.id)) };
    });
    if (outcome.kind === 'late') {
      const limit = this.#engine.config.queue.appointments.missesBeforeSuspension;
      await this.#unit.transact(function* (now) {
        yield* run("UPDATE appointments SET status = 'missed' WHERE id = ?", outcome.row.id);
        yield* recordMiss(outcome.row.identity_hash, now, limit);
      });
      throw new KioskError('APPOINTMENT_TOO_LATE', { windowEnd: outcome.row.window_end });
    }
    return { ticket: outcome.ticket, existing: outcome.existing, appointment: outcome.appointment };
  }

  /** Cancel a booking; `actor` must have it in scope (counter-scope.ts). */
  cancel(appointmentId: number, actor: Actor = HALL_ACTOR): Promise<Appointment> {
    const engine = this.#engine;
    return this.#unit.transact(function* () {
      const row = yield* rowTx(appointmentId);
      requireAppointmentInScope(actor, row, (n) => engine.reader.counterConfig(n).services);
      if (row.status !== 'booked') throw new KioskError('APPOINTMENT_STATE', { status: row.status });
      yield* run("UPDATE appointments SET status = 'cancelled' WHERE id = ?", appointmentId);
      return toView(yield* rowTx(appointmentId));
    });
  }

  /** Mark today's bookings whose check-in window has closed as missed. Call it periodically. */
  sweep(): Promise<number> {
    const { lateMinutes } = this.#engine.config.queue.appointments;
    const tz = this.#engine.config.hall.timeZone;
    const limit = this.#engine.config.queue.appointments.missesBeforeSuspension;
    return this.#unit.transact((now, day) => markMissedAppointments(day, localParts(now, tz).minutes - lateMinutes, now, limit));
  }

  isSuspended(identityHash: string): Promise<boolean> {
    return this.#unit.read(() => suspendedTx(identityHash));
  }

  /** Staff lift a booking suspension (the missed count starts again from zero). */
  async liftSuspension(identityHash: string): Promise<void> {
    await this.#unit.transact(() => run('UPDATE booking_records SET missed = 0, suspended_at = NULL WHERE identity_hash = ?', identityHash));
  }

  async get(appointmentId: number): Promise<Appointment> {
    return toView(await this.#unit.read(() => rowTx(appointmentId)));
  }
}

function* suspendedTx(identityHash: string): Tx<boolean> {
  const r = yield* get<{ suspended_at: number | null }>('SELECT suspended_at FROM booking_records WHERE identity_hash = ?', identityHash);
  return r?.suspended_at != null;
}

function* todayForTx(identityHash: string, day: string): Tx<AppointmentRow> {
  const row = yield* get<AppointmentRow>(
    "SELECT * FROM appointments WHERE identity_hash = ? AND day = ? AND status IN ('booked','checked-in') ORDER BY window_start LIMIT 1",
    identityHash,
    day,
  );
  if (!row) throw new KioskError('APPOINTMENT_UNKNOWN');
  return row;
}

function* rowTx(id: number): Tx<AppointmentRow> {
  const row = yield* get<AppointmentRow>('SELECT * FROM appointments WHERE id = ?', id);
  if (!row) throw new KioskError('APPOINTMENT_UNKNOWN', { appointmentId: id });
  return row;
}

function toView(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    day: row.day,
    serviceCode: row.service_code,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    status: row.status,
    ticketId: row.ticket_id,
  };
}
