/** Citizen-facing error wording (no DOM: also used by the node tests). */

/** The generic Chinese sentence for an HTTP status. */
export function messageFor(status: number): string {
  if (status === 404) return '该功能暂不可用，请联系工作人员';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '系统繁忙，请稍后再试';
  return '操作未成功，请稍后再试或联系工作人员';
}

/**
 * What a citizen screen shows of a server message: Chinese only. A message carrying validator
 * text ("请求参数不正确：requestId must NOT have fewer than 8 characters") keeps its Chinese
 * lead; the English details stay in ApiError.details for the log, never on screen.
 */
export function citizenMessage(raw: string, status: number): string {
  if (!/[\u4e00-\u9fff]/.test(raw)) return messageFor(status);
  // English prose (two words in a row), not a lone code such as USB or A001.
  const english = /[A-Za-z/]{2,}\s+[A-Za-z]{2,}/;
  if (!english.test(raw)) return raw;
  const lead = raw.split(/[:：(（]/)[0]!.trim();
  return /[\u4e00-\u9fff]/.test(lead) && !english.test(lead) ? lead : messageFor(status);
}
