import { describe, expect, it } from 'vitest';
import { decodeReadBasicReply, FrameDecoder } from '../../../drivers/idcard/codec.ts';
import { NATION_TABLE, nationLabel } from '../../../drivers/idcard/nations.ts';
import { SAMPLE_CARDS } from '../../../drivers/idcard/sample-cards.ts';
import { cardTypeOf, decodeIdCard, decodeTextBlock } from '../../../drivers/idcard/text-block.ts';
import { encodeTextBlock } from '../../../drivers/idcard/text-block-encode.ts';
import type { IdCard } from '../../../drivers/idcard/types.ts';
import * as fx from '../../fixtures/idcard/frames.ts';

function decoded(text: Uint8Array): IdCard {
  const r = decodeTextBlock(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.card;
}

describe('text block (§1.5, §1.6)', () => {
  it('resident card, valid 长期', () => {
    expect(decoded(fx.RESIDENT_TEXT)).toEqual({
      type: 'resident',
      name: '张三',
      sex: { code: '1', label: '男' },
      nation: { code: '01', label: '汉' },
      birthDate: '1950-03-15',
      address: '北京市东城区示例胡同1号',
      idNumber: '11010119500315003X',
      issuer: '北京市公安局东城分局',
      validFrom: '2010-05-01',
      validTo: null,
    });
  });

  it('resident card with NUL at offset 248 and a dated validity', () => {
    const card = decoded(fx.RESIDENT_ADULT_TEXT);
    expect(card).toMatchObject({ type: 'resident', name: '李四', sex: { label: '女' }, nation: { code: '03', label: '回' }, validTo: '2041-03-01' });
  });

  it("'J' Hong Kong/Macau/Taiwan residence permit", () => {
    expect(decoded(fx.HK_PERMIT_TEXT)).toEqual({
      type: 'hk-mo-tw-permit',
      name: '陈大文',
      sex: { code: '1', label: '男' },
      birthDate: '1990-01-01',
      address: '北京市东城区示例胡同2号',
      idNumber: '810000199001010019',
      issuer: '北京市公安局东城分局',
      validFrom: '2019-06-01',
      validTo: '2024-06-01',
      passNumber: 'H00000000',
      issueCount: '01',
    });
  });

  it("'I' foreign permanent resident card (2017)", () => {
    expect(decoded(fx.FOREIGNER_2017_TEXT)).toEqual({
      type: 'foreign-permanent-2017',
      englishName: 'SMITH, JOHN EXAMPLE',
      name: '史密斯',
      sex: { code: '1', label: '男' },
      idNumber: 'USA310085010100',
      nationality: 'USA',
      birthDate: '1985-01-01',
      validFrom: '2018-06-01',
      validTo: '2028-06-01',
      cardVersion: '01',
      authorityCode: '3100',
    });
  });

  it("'Y' foreign permanent resident card (2023) joins the two English-name slots", () => {
    expect(decoded(fx.FOREIGNER_2023_TEXT)).toEqual({
      type: 'foreign-permanent-2023',
      name: '安娜',
      sex: { code: '2', label: '女' },
      renewalCount: '00',
      birthDate: '1988-08-08',
      englishName: 'EXAMPLE-SAMPLEWORTH, ANNA MARIA ELIZABETH JANE',
      idNumber: '913826198808080025',
      validFrom: '2023-12-01',
      validTo: '2033-12-01',
      nationality: 'GBR',
      previousCardLink: '',
    });
  });

  it.each([
    ['elder', fx.RESIDENT_TEXT],
    ['hkPermit', fx.HK_PERMIT_TEXT],
    ['foreigner2017', fx.FOREIGNER_2017_TEXT],
    ['foreigner2023', fx.FOREIGNER_2023_TEXT],
  ] as const)('the encoder lays out SAMPLE_CARDS.%s exactly like the hand-built fixture', (name, text) => {
    expect(Buffer.from(encodeTextBlock(SAMPLE_CARDS[name])).equals(Buffer.from(text))).toBe(true);
  });

  it.each(Object.keys(SAMPLE_CARDS) as (keyof typeof SAMPLE_CARDS)[])('SAMPLE_CARDS.%s round-trips', (name) => {
    expect(decoded(encodeTextBlock(SAMPLE_CARDS[name]))).toEqual(SAMPLE_CARDS[name]);
  });

  it('card type comes from the character at 248', () => {
    expect([fx.RESIDENT_TEXT, fx.HK_PERMIT_TEXT, fx.FOREIGNER_2017_TEXT, fx.FOREIGNER_2023_TEXT].map(cardTypeOf)).toEqual([
      'resident',
      'hk-mo-tw-permit',
      'foreign-permanent-2017',
      'foreign-permanent-2023',
    ]);
  });

  it('rejects a block that is not 256 bytes', () => {
    expect(decodeTextBlock(new Uint8Array(200))).toMatchObject({ ok: false, error: { code: 'bad-length' } });
  });

  it('reports an impossible date without quoting it', () => {
    const text = fx.RESIDENT_TEXT.slice();
    text.set(Buffer.from('19500231', 'utf16le'), 36);
    const r = decodeTextBlock(text);
    expect(r).toEqual({ ok: false, error: { code: 'bad-date', message: '证件日期格式错误' } });
  });

  it('reports an empty ID number', () => {
    const text = fx.RESIDENT_TEXT.slice();
    text.set(Buffer.from(' '.repeat(18), 'utf16le'), 122);
    expect(decodeTextBlock(text)).toMatchObject({ ok: false, error: { code: 'empty-id-number' } });
  });

  it('unknown sex and nation codes get 未知 labels, 9 is 未说明', () => {
    const text = fx.RESIDENT_TEXT.slice();
    text.set(Buffer.from('977', 'utf16le'), 30);
    const card = decoded(text);
    expect(card.sex).toEqual({ code: '9', label: '未说明' });
    expect(card.type === 'resident' && card.nation).toEqual({ code: '77', label: '未知' });
  });
});

describe('photo handling', () => {
  const frame = (() => {
    const [r] = new FrameDecoder().push(fx.readReply(fx.RESIDENT_TEXT));
    if (!r?.ok) throw new Error('fixture did not frame');
    const blocks = decodeReadBasicReply(r.frame);
    if (!blocks.ok) throw new Error('fixture did not decode');
    return blocks.value;
  })();

  it('drops the photo by default', () => {
    const r = decodeIdCard(frame);
    expect(r.ok && 'photo' in r.card).toBe(false);
  });

  it('keeps the photo as opaque bytes only when asked', () => {
    const r = decodeIdCard(frame, { includePhoto: true });
    expect(r.ok && Array.from(r.card.photo ?? [])).toEqual(Array.from(fx.PHOTO));
  });
});

describe('nation table (§1.5)', () => {
  it('has all 56 nations plus 97 and 98', () => {
    expect(NATION_TABLE.size).toBe(58);
    expect([nationLabel('01'), nationLabel('29'), nationLabel('43'), nationLabel('56'), nationLabel('97'), nationLabel('98')]).toEqual([
      '汉',
      '柯尔克孜',
      '乌孜别克',
      '基诺',
      '其他',
      '外国血统中国籍人士',
    ]);
    expect(nationLabel('57')).toBe('未知');
  });
});
