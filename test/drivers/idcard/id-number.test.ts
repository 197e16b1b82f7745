import { describe, expect, it } from 'vitest';
import { ageOn, checkCharacter, checkValidity, validateIdNumber } from '../../../drivers/idcard/id-number.ts';
import { SAMPLE_CARDS, sampleCardAged } from '../../../drivers/idcard/sample-cards.ts';

const TODAY = '2026-06-01';

describe('validateIdNumber (GB 11643, §2)', () => {
  it('accepts the §2.1 worked examples', () => {
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
    });
    expect(validateIdNumber('440524188001010014', TODAY)).toMatchObject({ ok: true, birthDate: '1880-01-01', sex: 'male' });
  });

  it('accepts a lower-case x and normalises it to X', () => {
    expect(validateIdNumber('11010519491231002x', TODAY)).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('computes the MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it.each(Object.entries(SAMPLE_CARDS).filter(([, c]) => c.type === 'resident' || c.type === 'hk-mo-tw-permit'))(
    'sample card %s carries a valid number matching its birth date',
    (_name, card) => {
      const r = validateIdNumber(card.idNumber, TODAY);
      expect(r).toMatchObject({ ok: true, birthDate: card.birthDate, sex: card.sex.code === '1' ? 'male' : 'female' });
    },
  );

  it.each([
    ['11010519491231002X'.slice(0, 17) + '5', 'bad-check-digit', '身份证号码校验位错误'],
    ['110105194912310021', 'bad-check-digit', '身份证号码校验位错误'],
    ['110105194902300021', 'bad-birth-date', '身份证号码中的出生日期无效'],
    ['110105203001010011', 'future-birth-date', '身份证号码中的出生日期晚于今天'],
    ['990105194912310021', 'bad-region', '身份证号码地区码错误'],
    ['11010519491231002', 'bad-length', '身份证号码应为18位'],
    ['1101051949123100A2', 'bad-format', '身份证号码格式错误'],
    ['110105491231002', 'first-generation', '不支持15位旧身份证号码，请使用18位身份证号码'],
    ['  ', 'empty', '请输入身份证号码'],
  ])('%s is rejected as %s', (id, reason, message) => {
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: false, reason, message });
  });

  it('the error message never contains the number', () => {
    const r = validateIdNumber('110105194912310021', TODAY);
    expect(!r.ok && r.message.includes('1101')).toBe(false);
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    expect(ageOn('1950-03-15', '2026-03-14')).toBe(75);
    expect(ageOn('1950-03-15', '2026-03-15')).toBe(76);
    expect(ageOn('1996-01-10', '2026-06-01')).toBe(30);
  });

  it('a 29 February birthday counts from 1 March in common years', () => {
    expect(ageOn('1980-02-29', '2026-02-28')).toBe(45);
    expect(ageOn('1980-02-29', '2026-03-01')).toBe(46);
    expect(ageOn('1980-02-29', '2028-02-29')).toBe(48);
  });

  it('accepts a Date (local calendar day)', () => {
    expect(ageOn('2000-01-01', new Date(2030, 0, 1, 12))).toBe(30);
  });

  it('rejects malformed dates', () => {
    expect(() => ageOn('1950-13-01', TODAY)).toThrow(RangeError);
  });
});

describe('sampleCardAged', () => {
  it.each([30, 70, 85])('builds a valid card whose holder is %i', (age) => {
    const card = sampleCardAged(age, '2024-02-29', 'female');
    expect(ageOn(card.birthDate, '2024-02-29')).toBe(age);
    expect(validateIdNumber(card.idNumber, '2024-02-29')).toMatchObject({ ok: true, sex: 'female', birthDate: card.birthDate });
  });
});

describe('checkValidity', () => {
  it('an expired card says 身份证已过期', () => {
    const c = SAMPLE_CARDS.expired;
    expect(checkValidity(c.validFrom, c.validTo, TODAY)).toEqual({ ok: false, reason: 'expired', message: '身份证已过期' });
  });

  it('the last valid day is still valid, the next is not', () => {
    expect(checkValidity('2021-03-01', '2041-03-01', '2041-03-01')).toEqual({ ok: true });
    expect(checkValidity('2021-03-01', '2041-03-01', '2041-03-02')).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('长期 (null) never expires; a future start is not yet valid', () => {
    expect(checkValidity('2010-05-01', null, '2199-01-01')).toEqual({ ok: true });
    expect(checkValidity('2030-01-01', null, TODAY)).toEqual({ ok: false, reason: 'not-yet-valid', message: '身份证尚未生效' });
  });

  it('malformed dates are a typed failure', () => {
    expect(checkValidity('2010-5-1', null, TODAY)).toMatchObject({ ok: false, reason: 'bad-date' });
  });
});
