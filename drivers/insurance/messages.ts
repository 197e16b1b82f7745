/**
 * Chinese texts of the insurance backend: what a citizen reads when a lookup fails (each names the
 * counter that handles 参保 matters) and the simulator's own err_msg texts. None quotes personal data.
 */
export const INSURANCE_MESSAGES = {
  unavailable: (counter: number) => `参保信息系统暂时无法连接，请到 ${counter} 号窗口办理`,
  queryFailed: (counter: number) => `参保信息查询未成功，请到 ${counter} 号窗口办理`,
  noRecord: (counter: number) => `未查询到您的参保信息，请到 ${counter} 号窗口咨询`,
  evoucherInvalid: '医保电子凭证无法识别或已失效，请刷新后重新扫码，或使用身份证',
  evoucherUnsupported: '本终端暂不支持医保电子凭证，请使用身份证',
  notStarted: '参保信息服务尚未启动',
} as const;

/** err_msg / message texts the simulator answers with (infcode −1, decode code ≠ 0). */
export const SIMULATOR_MESSAGES = {
  notFound: '未查询到该人员的参保信息',
  signInRequired: '签到信息无效，请先签到（9001）',
  unknownInfno: '交易编号不存在',
  badEnvelope: (field: string) => `报文字段 ${field} 缺失或格式错误`,
  certTypeUnsupported: '不支持的就诊凭证类型',
  tokenMismatch: '电子凭证令牌与证件信息不符',
  injected: '系统异常（模拟故障）',
  tifRejected: '网关签名校验失败',
  qrExpired: '二维码已过期，请刷新后重试',
  qrUnknown: '二维码无法识别',
  deviceType: 'deviceType 须为 SelfService',
} as const;
