import { describe, expect, it } from 'vitest';
import { citizenMessage } from '../../ui/messages.ts';

// What a citizen screen shows of a daemon error message: Chinese only, never validator details.
describe('citizen-facing error messages', () => {
  it('keeps a Chinese message as it is', () => {
    expect(citizenMessage('差评请至少选择一项原因', 400)).toBe('差评请至少选择一项原因');
    expect(citizenMessage('号票 A001 尚未办结', 409)).toBe('号票 A001 尚未办结');
    expect(citizenMessage('打印机 USB 连接已断开', 503)).toBe('打印机 USB 连接已断开');
  });
  it('drops English validator text after the Chinese lead', () => {
    expect(citizenMessage('请求参数不正确：requestId must NOT have fewer than 8 characters', 400)).toBe('请求参数不正确');
    expect(citizenMessage('请求参数不正确 (body/serviceCode must match pattern)', 400)).toBe('请求参数不正确');
  });
  it('replaces a message with no Chinese by a generic Chinese sentence', () => {
    expect(citizenMessage('body must have required property serviceCode', 400)).toMatch(/^[\u4e00-\u9fff，]+$/);
    expect(citizenMessage('', 503)).toBe('系统繁忙，请稍后再试');
  });
});
