import type { PrintState, PriorityReason, TicketStatus } from './types.ts';

/** A tickets row as stored (snake_case, straight from SQLite). */
export interface TicketRow {
  id: number;
  day: string;
  service_code: string;
  number: number;
  display_no: string;
  status: TicketStatus;
  priority_reason: PriorityReason | null;
  identity_hash: string | null;
  appointment_id: number | null;
  request_id: string | null;
  channel: string;
  issued_at: number;
  sort_at: number;
  assigned_counter: number | null;
  counter_no: number | null;
  called_at: number | null;
  serving_at: number | null;
  done_at: number | null;
  recall_count: number;
  requeue_count: number;
  original_service: string;
  print_state: PrintState;
}

export interface CounterRow {
  number: number;
  state: 'closed' | 'open' | 'paused';
  current_ticket_id: number | null;
  priority_streak: number;
  updated_at: number;
}
