import { KioskError } from '../errors.ts';

/**
 * Error codes of the 好差评 module. They travel as KioskErrors (so the server's error handler
 * answers them with their own status and Chinese message); the shared catalogue in kiosk/errors.ts
 * is left to its owner, so the code and status are set on the instance.
 */
export const EVALUATION_ERRORS = {
  EVALUATION_REASON_REQUIRED: { status: 400, message: '差评请至少选择一项原因' },
  EVALUATION_REASON_UNKNOWN: { status: 400, message: '评价原因不在当前选项中' },
  EVALUATION_TEXT_REQUIRED: { status: 400, message: '选择“其他”时请填写具体内容' },
  EVALUATION_PHONE_INVALID: { status: 400, message: '手机号码格式不正确' },
  EVALUATION_NOT_DONE: { status: 409, message: '该号票尚未办结，办结后才能评价' },
  EVALUATION_WINDOW_CLOSED: { status: 409, message: '已超过评价期限' },
  EVALUATION_ALREADY: { status: 409, message: '该号票已评价，且已追加评价过一次' },
  EVALUATION_NOT_THIS_COUNTER: { status: 403, message: '这张号票不是在本窗口办理的' },
  EVALUATION_SELF: { status: 403, message: '工作人员不能评价自己办理的业务' },
  EVALUATION_RATE_LIMITED: { status: 429, message: '评价提交过于频繁，请稍后再试' },
  EVALUATION_UNAVAILABLE: { status: 503, message: '本终端不保存排队数据，无法评价号票' },
  EVALUATION_UNKNOWN: { status: 404, message: '找不到这条评价' },
  EVALUATION_CASE_UNKNOWN: { status: 404, message: '找不到这条差评处理记录' },
  EVALUATION_CASE_STATE: { status: 409, message: '差评处理记录当前状态下不能进行此操作' },
  STAFF_UNKNOWN: { status: 404, message: '没有这位工作人员，请填写姓名或联系管理员' },
  CALENDAR_NOT_COVERED: { status: 409, message: '工作日历未覆盖该年份，请管理员先录入当年的节假日安排' },
  CALENDAR_INVALID: { status: 400, message: '工作日历数据有误' },
} as const;

export type EvaluationErrorCode = keyof typeof EVALUATION_ERRORS;

export function evaluationError(code: EvaluationErrorCode, details: Record<string, unknown> = {}, message?: string): KioskError {
  const err = new KioskError('REQUEST_INVALID', details, message ?? EVALUATION_ERRORS[code].message);
  Object.defineProperty(err, 'code', { value: code, enumerable: true });
  Object.defineProperty(err, 'status', { value: EVALUATION_ERRORS[code].status, enumerable: true });
  return err;
}
