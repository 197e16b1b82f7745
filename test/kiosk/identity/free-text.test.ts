import { describe, expect, it } from 'vitest';
import { maskFreeText } from '../../../kiosk/identity/free-text.ts';

describe('maskFreeText (kiosk/identity/free-text.ts)', () => {
  it('masks 18-digit ID numbers (X check digit too), old 15-digit ones and mobile numbers', () => {
    expect(maskFreeText('身份证110101199003078515，请回电13812345678')).toEqual({ text: '身份证110***********8515，请回电138****5678', masked: 2 });
    expect(maskFreeText('11010519491231002x').text).toBe('110***********002X');
    expect(maskFreeText('旧证110105491231002').text).toBe('旧证110********1002');
  });

  it('finds numbers typed with spaces or dashes, in full-width digits, or after +86 and another number', () => {
    expect(maskFreeText('1101 0119 9003 0785 15').text).toBe('110***********8515');
    expect(maskFreeText('138-1234-5678').text).toBe('138****5678');
    expect(maskFreeText('１３８１２３４５６７８').text).toBe('138****5678');
    expect(maskFreeText('手机 +86 13812345678').text).not.toContain('12345678');
    expect(maskFreeText('第3 138 1234 5678号').text).toBe('第3 138****5678号');
  });

  it('leaves other text alone: ticket numbers, dates, minutes, short or long numbers', () => {
    for (const t of ['等了30分钟 A023 号 2026-11-23 10:30', '工号12345678901', '费用1234.56元', '订单 1234567890123456789012']) {
      expect(maskFreeText(t)).toEqual({ text: t, masked: 0 });
    }
  });
});
