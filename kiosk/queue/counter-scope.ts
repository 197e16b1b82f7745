import { KioskError } from '../errors.ts';

/**
 * THE rule of which tickets and appointments a counter's token may act on (issue 10 item 5). The
 * queue engine and the appointment book apply it inside their transactions, on the row they are
 * about to change; the HTTP layer only says who is acting.
 *
 * - The hall server and the admin act on every ticket and appointment (`HALL_ACTOR`).
 * - A counter acts on a ticket that is held for it (挂起 at it, or 转移 to it: `assigned_counter`)
 *   and on no other counter's held ticket, even of a service it serves.
 * - Otherwise a counter acts on a ticket it called (`counter_no`, e.g. its 过号) or whose service
 *   it serves.
 * - An appointment booked by the hall server (or the admin) is cancelled by the hall server or the
 *   admin only: the booking system that made it keeps it. One booked at a counter is cancelled by
 *   that counter or by a counter serving its service.
 *
 * Counter operations on the counter's current ticket (call-next, recall, start, complete, no-show,
 * suspend, transfer) are scoped already: the path names the counter, the auth plugin checks the
 * token against it, and the ticket is the one that counter called.
 */
export type Actor = { readonly kind: 'hall' } | { readonly kind: 'counter'; readonly counterNo: number };

export const HALL_ACTOR: Actor = Object.freeze({ kind: 'hall' });

/** The actor of a request: a counter token is that counter; hall-server and admin are the hall. */
export function actorOf(counterNo: number | null): Actor {
  return counterNo === null ? HALL_ACTOR : { kind: 'counter', counterNo };
}

/** What the rule needs of a ticket row. */
export interface ScopedTicket {
  readonly id: number;
  readonly service_code: string;
  readonly assigned_counter: number | null;
  readonly counter_no: number | null;
}

/** What the rule needs of an appointment row; `booked_counter` is null when the hall server or the admin booked it. */
export interface ScopedAppointment {
  readonly id: number;
  readonly service_code: string;
  readonly booked_counter: number | null;
}

/** The services a counter serves (configuration). */
export type ServicesOf = (counterNo: number) => readonly string[];

export function ticketInScope(actor: Actor, row: ScopedTicket, servicesOf: ServicesOf): boolean {
  if (actor.kind === 'hall') return true;
  const n = actor.counterNo;
  if (row.assigned_counter !== null) return row.assigned_counter === n;
  return row.counter_no === n || servicesOf(n).includes(row.service_code);
}

export function requireTicketInScope(actor: Actor, row: ScopedTicket, servicesOf: ServicesOf): void {
  if (ticketInScope(actor, row, servicesOf)) return;
  throw new KioskError('QUEUE_NOT_THIS_COUNTER', { ticketId: row.id, counterNo: actor.kind === 'counter' ? actor.counterNo : null });
}

export function appointmentInScope(actor: Actor, row: ScopedAppointment, servicesOf: ServicesOf): boolean {
  if (actor.kind === 'hall') return true;
  if (row.booked_counter === null) return false;
  return row.booked_counter === actor.counterNo || servicesOf(actor.counterNo).includes(row.service_code);
}

export function requireAppointmentInScope(actor: Actor, row: ScopedAppointment, servicesOf: ServicesOf): void {
  if (appointmentInScope(actor, row, servicesOf)) return;
  throw new KioskError('QUEUE_NOT_THIS_COUNTER', {
    appointmentId: row.id,
    counterNo: actor.kind === 'counter' ? actor.counterNo : null,
    bookedBy: row.booked_counter === null ? 'hall-server' : 'counter',
  });
}
