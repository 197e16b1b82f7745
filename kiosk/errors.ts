/**
 * The daemon's error catalogue. Every error a citizen, a counter or the hall server can meet has
 * a stable code, an HTTP status for the API layer and a Chinese message fit for a screen.
 * Details carry machine-readable context (the current state of a ticket, the field at fault) and
 * never personal data.
 */
export const ERRORS = {
  QUEUE_UNKNOWN_SERVICE: { status: 404, message: '没有这项业务' },
  QUEUE_UNKNOWN_TICKET: { status: 404, message: '找不到这张号票' },
  QUEUE_UNKNOWN_COUNTER: { status: 404, message: '没有这个窗口' },
  QUEUE_ILLEGAL_TRANSITION: { status: 409, message: '当前状态下不能进行此操作' },
  QUEUE_COUNTER_BUSY: { status: 409, message: '窗口还有未办结的号，请先处理当前号' },
  QUEUE_COUNTER_NOT_OPEN: { status: 409, message: '窗口未开放或已暂停服务' },
  QUEUE_NOTHING_WAITING: { status: 404, message: '当前没有等候的号' },
  QUEUE_RECALL_LIMIT: { status: 409, message: '已达到重呼次数上限' },
  QUEUE_REQUEUE_LIMIT: { status: 409, message: '过号后重新排队的次数已用完，请咨询工作人员' },
  QUEUE_DAILY_CAP: { status: 409, message: '该业务今日号源已发完，请咨询工作人员或预约办理' },
  QUEUE_SERVICE_NOT_AT_COUNTER: { status: 409, message: '该窗口不办理这项业务' },
  QUEUE_NOT_THIS_COUNTER: { status: 403, message: '这张号票或这条预约不归本窗口办理，不能操作' },
  APPOINTMENT_UNKNOWN: { status: 404, message: '找不到这条预约' },
  APPOINTMENT_TOO_EARLY: { status: 409, message: '还未到预约签到时间，请稍后再签到' },
  APPOINTMENT_TOO_LATE: { status: 409, message: '已超过预约时间，预约已失效，请现场取号' },
  APPOINTMENT_NOT_TODAY: { status: 409, message: '这条预约不是今天的' },
  APPOINTMENT_STATE: { status: 409, message: '这条预约已签到、已取消或已失效' },
  APPOINTMENT_SUSPENDED: { status: 403, message: '累计三次未按约办理，暂停预约服务，请现场取号' },
  GUIDE_UNKNOWN_ITEM: { status: 404, message: '没有找到这个事项' },
  // 好差评 (kiosk/evaluations)
  EVALUATION_REASON_REQUIRED: { status: 400, message: '差评请至少选择一项原因' },
  EVALUATION_REASON_UNKNOWN: { status: 400, message: '评价原因不在当前选项中' },
  EVALUATION_TEXT_REQUIRED: { status: 400, message: '选择“其他”时请填写具体内容' },
  EVALUATION_PHONE_INVALID: { status: 400, message: '手机号码格式不正确' },
  EVALUATION_NOT_DONE: { status: 409, message: '该号票尚未办结，办结后才能评价' },
  EVALUATION_WINDOW_CLOSED: { status: 409, message: '已超过评价期限' },
  EVALUATION_ALREADY: { status: 409, message: '该号票已评价，且已追加评价过一次' },
  EVALUATION_NOT_THIS_COUNTER: { status: 403, message: '这张号票不是在本窗口办理的' },
  EVALUATION_PROOF_REQUIRED: { status: 403, message: '请将号票上的二维码对准扫码口，或将取号时使用的身份证放到读卡区，再进行评价' },
  EVALUATION_SELF: { status: 403, message: '工作人员不能评价自己办理的业务' },
  EVALUATION_RATE_LIMITED: { status: 429, message: '评价提交过于频繁，请稍后再试' },
  EVALUATION_UNAVAILABLE: { status: 503, message: '本终端不保存排队数据，无法评价号票' },
  EVALUATION_UNKNOWN: { status: 404, message: '找不到这条评价' },
  EVALUATION_CASE_UNKNOWN: { status: 404, message: '找不到这条差评处理记录' },
  EVALUATION_CASE_STATE: { status: 409, message: '差评处理记录当前状态下不能进行此操作' },
  STAFF_UNKNOWN: { status: 404, message: '没有这位工作人员，请填写姓名或联系管理员' },
  CALENDAR_NOT_COVERED: { status: 409, message: '工作日历未覆盖该年份，请管理员先录入当年的节假日安排' },
  CALENDAR_INVALID: { status: 400, message: '工作日历数据有误' },
  // staff alerts and the counter workstation (kiosk/alerts, server/routes/counter-workstation.ts)
  ALERT_UNKNOWN: { status: 404, message: '找不到这条提醒' },
  ALERT_ALREADY_ACKNOWLEDGED: { status: 409, message: '这条提醒已由其他工作人员确认' },
  STAFF_PIN_WRONG: { status: 403, message: '工号或密码不正确' },
  STAFF_NOT_SIGNED_IN: { status: 409, message: '请先签到' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: '请求编号已用于另一项操作' },
  // the citizen's ID card at the kiosk (kiosk/session)
  IDCARD_REPLACE: { status: 409, message: '请将读卡区上的身份证取下，再重新放好，以便重新识别身份' },
  // 参保证明 / 参保凭证 (kiosk/certificates)
  CERTIFICATE_MONTHS_INVALID: { status: 400, message: '缴费明细月数不在可选范围内' },
  CERTIFICATE_NO_PRINTER: { status: 503, message: '本机暂时无法打印证明，请到窗口办理' },
  CERTIFICATE_UNKNOWN_PRINT: { status: 404, message: '找不到这次打印记录' },
  CERTIFICATE_REPRINT_USED: { status: 409, message: '本次办理已补打过一次，如需再次打印请重新办理' },
  CERTIFICATE_REPRINT_NOT_YOURS: { status: 403, message: '只能补打本次办理打印的证明' },
  CERTIFICATE_CONTENT_CHANGED: { status: 409, message: '证明内容与首次打印不一致，无法补打' },
  CERTIFICATE_GLYPH_MISSING: { status: 422, message: '证明中有本机字库暂不支持的生僻字，为避免打印错误，请到窗口办理' },
  CERTIFICATE_NO_IDENTITY: { status: 409, message: '请先放置身份证，或扫描医保电子凭证' },
  CERTIFICATE_NO_DOCUMENT: { status: 404, message: '这份证明已失效，请重新办理' },
  CERTIFICATE_NO_VOUCHER: { status: 409, message: '请将医保电子凭证二维码对准扫码口' },
  CALENDAR_IMPORT_REJECTED: { status: 409, message: '节假日安排未能导入：请先处理未识别的内容和发现的问题' },
  CALENDAR_PREVIEW_STALE: { status: 409, message: '导入内容与预览不一致，请重新预览后再确认' },
  CALENDAR_READ_ONLY: { status: 409, message: '本终端使用排队主机的工作日历，请在主机上修改' },
  STORE_UNAVAILABLE: { status: 503, message: '系统存储暂时不可用，请联系工作人员' },
  SPEECH_UNAVAILABLE: { status: 503, message: '语音播报暂不可用' },
  QUEUE_REMOTE_UNAVAILABLE: { status: 503, message: '无法连接大厅排队服务，请联系工作人员' },
  REQUEST_INVALID: { status: 400, message: '请求内容有误' },
  // 参保信息 backend (kiosk/insurance); the thrown error names the configured counter instead of 人工窗口
  INSURANCE_UNAVAILABLE: { status: 503, message: '参保信息系统暂时无法连接，请到人工窗口办理' },
  INSURANCE_QUERY_FAILED: { status: 503, message: '参保信息查询未成功，请到人工窗口办理' },
  INSURANCE_NO_RECORD: { status: 404, message: '未查询到您的参保信息，请到人工窗口咨询' },
  INSURANCE_EVOUCHER_INVALID: { status: 400, message: '医保电子凭证无法识别或已失效，请刷新后重新扫码，或使用身份证' },
  INSURANCE_EVOUCHER_UNSUPPORTED: { status: 503, message: '本终端暂不支持医保电子凭证，请使用身份证' },
  // HTTP layer (server/): credentials, limits and what Fastify itself refuses
  AUTH_REQUIRED: { status: 401, message: '需要身份认证' },
  AUTH_INVALID: { status: 401, message: '身份凭证无效' },
  AUTH_FORBIDDEN: { status: 403, message: '无权访问' },
  AUTH_LOCKED: { status: 429, message: '身份认证失败次数过多，请稍后再试' },
  AUTH_LOGIN_FAILED: { status: 401, message: '用户名或密码错误' },
  AUTH_SESSION_EXPIRED: { status: 401, message: '登录已失效，请重新登录' },
  AUTH_CSRF: { status: 403, message: '请求来源不符，已拒绝（请在维护台页面内操作）' },
  PAIRING_CODE_INVALID: { status: 400, message: '配对码错误或已过期，请在维护台重新生成' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  // abuse limits at the kiosk (kiosk/session/abuse-limits.ts)
  KIOSK_TICKET_LIMIT: { status: 429, message: '本机出票过于频繁，请稍后再取号；如需帮助请联系工作人员' },
  KIOSK_PRIORITY_LIMIT: { status: 429, message: '本机自行声明绿色通道的次数已达上限，请取普通号，或到窗口出示相关证明' },
  REQUEST_MALFORMED: { status: 400, message: '请求格式有误' },
  NOT_FOUND: { status: 404, message: '请求的地址不存在' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  REQUEST_TIMEOUT: { status: 408, message: '请求超时，请重试' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大' },
  URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  MEDIA_TYPE_UNSUPPORTED: { status: 415, message: '请求内容类型不受支持，请使用 JSON' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  INTERNAL_ERROR: { status: 500, message: '系统内部错误，请联系工作人员' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, message?: string) {
    super(message ?? ERRORS[code].message);
    this.name = 'KioskError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

export function isKioskError(err: unknown): err is KioskError {
  return err instanceof KioskError;
}
