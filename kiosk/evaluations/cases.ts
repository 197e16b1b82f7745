import type { EvaluationConfig } from '../../config/evaluation-schema.ts';
import { maskFreeText } from '../identity/free-text.ts';
import { all, get, type Param, run, type Tx } from '../store/sql.ts';
import type { CalendarStore } from '../calendar/calendar-store.ts';
import { evaluationError } from './errors.ts';
import { CASE_STATUS_NAMES, FINAL_CASE_STATUSES, type CaseStatus, type CaseView } from './types.ts';

export interface CaseRow {
  id: number;
  evaluation_id: number;
  status: CaseStatus;
  real_name: number;
  opened_at: number;
  opened_day: string;
  contact_due: string | null;
  rectify_due: string | null;
  deadline_problem: string | null;
  contacted_at: number | null;
  verified_at: number | null;
  substantiated: number | null;
  rectified_at: number | null;
  feedback_at: number | null;
  closed_at: number | null;
  appeal_from: string | null;
  updated_at: number;
}

export interface CaseActionView {
  readonly at: number;
  readonly action: string;
  readonly actor: string;
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly details: Record<string, unknown>;
}

export const CASE_ACTIONS = ['visit', 'verify', 'rectify', 'feedback', 'close', 'appeal', 'appeal-decision'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface CaseActionInput {
  readonly actor: string;
  readonly note?: string | undefined;
  /** visit: how (phone, onsite, sms, other) and whether the evaluator was reached. */
  readonly method?: string | undefined;
  readonly reached?: boolean | undefined;
  /** verify: the complaint is founded (→ 整改) or not (→ 解释说明, straight to 反馈). */
  readonly substantiated?: boolean | undefined;
  /** appeal-decision: 误评 confirmed (final) or rejected (back to where it was). */
  readonly upheld?: boolean | undefined;
  /** feedback: the evaluator's satisfaction with the handling, if given. */
  readonly satisfaction?: string | undefined;
}

/**
 * 差评 follow-up: every 差评 opens a case with working-day deadlines (回访 within N working days,
 * 整改反馈 within M), computed from the calendar in the database. A deadline the calendar cannot
 * compute (its year is not covered yet) is left empty with the reason; the evaluation itself is
 * never refused for that, and the deadlines are filled in once the year is entered.
 */
export class CaseBook {
  #calendar: CalendarStore;
  #config: EvaluationConfig['followUp'];

  constructor(calendar: CalendarStore, config: EvaluationConfig['followUp']) {
    this.#calendar = calendar;
    this.#config = config;
  }

  /** Inside the submitting transaction. Anonymous cases cannot be revisited: they start at 核实. */
  *openTx(evaluationId: number, realName: boolean, now: number, day: string): Tx<CaseRow> {
    const due = this.#deadlines(day, realName);
    const row = yield* get<CaseRow>(
      `INSERT INTO evaluation_cases (evaluation_id, status, real_name, opened_at, opened_day, contact_due, rectify_due, deadline_problem, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      evaluationId,
      realName ? 'pending-contact' : 'verifying',
      realName ? 1 : 0,
      now,
      day,
      due.contact,
      due.rectify,
      due.problem,
      now,
    );
    return row as CaseRow;
  }

  /** After the calendar was extended: fill deadlines that could not be computed before. */
  *fillMissingDeadlinesTx(now: number): Tx<number> {
    const rows = yield* all<CaseRow>('SELECT * FROM evaluation_cases WHERE deadline_problem IS NOT NULL ORDER BY id');
    let filled = 0;
    for (const r of rows) {
      const due = this.#deadlines(r.opened_day, r.real_name === 1);
      if (due.problem) continue;
      yield* run(
        'UPDATE evaluation_cases SET contact_due = ?, rectify_due = ?, deadline_problem = NULL, updated_at = ? WHERE id = ?',
        due.contact,
        due.rectify,
        now,
        r.id,
      );
      filled++;
    }
    return filled;
  }

  *rowTx(id: number): Tx<CaseRow> {
    const row = yield* get<CaseRow>('SELECT * FROM evaluation_cases WHERE id = ?', id);
    if (!row) throw evaluationError('EVALUATION_CASE_UNKNOWN', { caseId: id });
    return row;
  }

  *byEvaluationTx(evaluationId: number): Tx<CaseRow | undefined> {
    return yield* get<CaseRow>('SELECT * FROM evaluation_cases WHERE evaluation_id = ?', evaluationId);
  }

  *listTx(filter: { status?: CaseStatus | undefined } = {}): Tx<CaseRow[]> {
    if (filter.status) return yield* all<CaseRow>('SELECT * FROM evaluation_cases WHERE status = ? ORDER BY id', filter.status);
    return yield* all<CaseRow>('SELECT * FROM evaluation_cases ORDER BY id');
  }

  /** Open cases past a deadline on `today` (a deadline day itself is still in time). */
  *overdueTx(today: string): Tx<CaseRow[]> {
    return (yield* this.listTx()).filter((r) => overdueParts(r, today).length > 0);
  }

  *actionsTx(caseId: number): Tx<CaseActionView[]> {
    const rows = yield* all<{ at: number; action: string; actor: string; from_status: string; to_status: string; details: string }>(
      'SELECT * FROM evaluation_case_actions WHERE case_id = ? ORDER BY id',
      caseId,
    );
    return rows.map((r) => ({
      at: r.at,
      action: r.action,
      actor: r.actor,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }

  /** An audit row of the case that changes nothing (the 回访 number was viewed). */
  *noteTx(caseId: number, action: string, actor: string, status: CaseStatus, now: number): Tx<void> {
    yield* run(
      "INSERT INTO evaluation_case_actions (case_id, at, action, actor, from_status, to_status, details) VALUES (?, ?, ?, ?, ?, ?, '{}')",
      caseId,
      now,
      action,
      actor,
      status,
      status,
    );
  }

  /** Inside the caller's transaction. */
  *actTx(caseId: number, action: CaseAction, input: CaseActionInput, now: number): Tx<CaseRow> {
    const row = yield* this.rowTx(caseId);
    const from = row.status;
    const refuse = () => {
      throw evaluationError('EVALUATION_CASE_STATE', { caseId, currentState: from, action });
    };
    const set: Partial<CaseRow> = {};
    let to: CaseStatus = from;
    switch (action) {
      case 'visit':
        if (from !== 'pending-contact' && from !== 'verifying') refuse();
        if (input.reached) {
          to = 'verifying';
          if (row.contacted_at === null) set.contacted_at = now;
        }
        break;
      case 'verify':
        if (from !== 'verifying') refuse();
        if (input.substantiated === undefined) throw evaluationError('EVALUATION_CASE_STATE', { caseId, field: 'substantiated' }, '请说明差评是否属实');
        set.verified_at = now;
        set.substantiated = input.substantiated ? 1 : 0;
        to = input.substantiated ? 'rectifying' : 'feedback-pending';
        // Nothing to fix (缺乏依据 → 解释说明): the handling is complete for the 整改率.
        if (!input.substantiated) set.rectified_at = now;
        break;
      case 'rectify':
        if (from !== 'rectifying') refuse();
        if (!input.note?.trim()) throw evaluationError('EVALUATION_CASE_STATE', { caseId, field: 'note' }, '请填写整改措施');
        set.rectified_at = now;
        to = 'feedback-pending';
        break;
      case 'feedback':
        if (from !== 'feedback-pending') refuse();
        set.feedback_at = now;
        to = 'fed-back';
        break;
      case 'close':
        if (from !== 'fed-back') refuse();
        set.closed_at = now;
        to = 'closed';
        break;
      case 'appeal':
        if (FINAL_CASE_STATUSES.has(from) || from === 'appealing') refuse();
        set.appeal_from = from;
        to = 'appealing';
        break;
      case 'appeal-decision':
        if (from !== 'appealing' || input.upheld === undefined) refuse();
        if (input.upheld) {
          to = 'misjudged';
          set.closed_at = now;
        } else {
          to = (row.appeal_from as CaseStatus | null) ?? 'pending-contact';
        }
        break;
    }
    // Column names come from the fixed set above, never from input.
    const fields = Object.entries({ ...set, status: to, updated_at: now }) as [string, Param][];
    yield* run(`UPDATE evaluation_cases SET ${fields.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`, ...fields.map(([, v]) => v), caseId);
    const details: Record<string, unknown> = {};
    for (const k of ['note', 'method', 'reached', 'substantiated', 'upheld', 'satisfaction'] as const) {
      const v = input[k];
      // Free text is stored masked (kiosk/identity/free-text.ts): a citizen's number quoted in a note stays out.
      if (v !== undefined) details[k] = typeof v === 'string' ? maskFreeText(v).text : v;
    }
    yield* run(
      'INSERT INTO evaluation_case_actions (case_id, at, action, actor, from_status, to_status, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      caseId,
      now,
      action,
      input.actor,
      from,
      to,
      JSON.stringify(details),
    );
    return yield* this.rowTx(caseId);
  }

  /** Each deadline on its own: one past the covered years stays empty, with the reason. */
  #deadlines(day: string, realName: boolean): { contact: string | null; rectify: string | null; problem: string | null } {
    let problem: string | null = null;
    const compute = (n: number): string | null => {
      try {
        return this.#calendar.addWorkingDays(day, n);
      } catch (err) {
        problem = (err as Error).message;
        return null;
      }
    };
    const contact = realName ? compute(this.#config.contactWorkingDays) : null;
    const rectify = compute(this.#config.rectifyWorkingDays);
    return { contact, rectify, problem };
  }
}

export function overdueParts(r: CaseRow, today: string): ('contact' | 'rectify')[] {
  if (FINAL_CASE_STATUSES.has(r.status) || r.status === 'appealing') return [];
  const out: ('contact' | 'rectify')[] = [];
  if (r.contact_due && r.contacted_at === null && today > r.contact_due) out.push('contact');
  if (r.rectify_due && r.feedback_at === null && today > r.rectify_due) out.push('rectify');
  return out;
}

export function caseView(r: CaseRow, today: string): CaseView {
  return {
    id: r.id,
    evaluationId: r.evaluation_id,
    status: r.status,
    statusName: CASE_STATUS_NAMES[r.status],
    realName: r.real_name === 1,
    openedAt: r.opened_at,
    openedDay: r.opened_day,
    contactDue: r.contact_due,
    rectifyDue: r.rectify_due,
    deadlineProblem: r.deadline_problem,
    contactedAt: r.contacted_at,
    verifiedAt: r.verified_at,
    substantiated: r.substantiated === null ? null : r.substantiated === 1,
    rectifiedAt: r.rectified_at,
    feedbackAt: r.feedback_at,
    closedAt: r.closed_at,
    overdue: overdueParts(r, today),
  };
}
