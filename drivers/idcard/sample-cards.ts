/**
 * Fictional identities for the simulator and for other areas' tests. Every ID number is valid
 * per GB 11643 (check digit computed by hand with the §2.1 weights) and uses a real region code;
 * the people, addresses and pass numbers are made up.
 */
import { checkCharacter } from './id-number.ts';
import { daysInMonth, toIsoDate, type IsoDate } from './dates.ts';
import type { IdCard, ResidentCard } from './types.ts';

export const SAMPLE_CARDS = Object.freeze({
  /** 张三, male, born 1950-03-15: aged 70+ (绿色通道 priority). 东城区, 北京 (110101). Valid 长期. */
  elder: {
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
  },
  /** 李四, female, born 1996-01-10: aged 30 during 2026-01-10 … 2027-01-09. 玄武区, 南京 (320102). */
  adult: {
    type: 'resident',
    name: '李四',
    sex: { code: '2', label: '女' },
    nation: { code: '03', label: '回' },
    birthDate: '1996-01-10',
    address: '江苏省南京市玄武区示例路88号',
    idNumber: '320102199601100028',
    issuer: '南京市公安局玄武分局',
    validFrom: '2021-03-01',
    validTo: '2041-03-01',
  },
  /** 王五, male, born 29 Feb 1980, card expired 2016-05-10. 福田区, 深圳 (440304). */
  expired: {
    type: 'resident',
    name: '王五',
    sex: { code: '1', label: '男' },
    nation: { code: '08', label: '壮' },
    birthDate: '1980-02-29',
    address: '广东省深圳市福田区示例大道100号',
    idNumber: '440304198002290014',
    issuer: '深圳市公安局福田分局',
    validFrom: '2006-05-10',
    validTo: '2016-05-10',
  },
  /** 陈大文, 港澳台居民居住证 ('J'), Hong Kong prefix 810000. */
  hkPermit: {
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
  },
  /** SMITH, JOHN, 外国人永久居留身份证 2017 ('I'). */
  foreigner2017: {
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
  },
  /** 安娜, 外国人永久居留身份证 2023 ('Y'); the English name is long enough to use both name slots. */
  foreigner2023: {
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
  },
  /** 张建华, the insurance simulator's 正常参保 employee (drivers/insurance/sample-people.ts, same ID number). */
  insured: {
    type: 'resident',
    name: '张建华',
    sex: { code: '1', label: '男' },
    nation: { code: '01', label: '汉' },
    birthDate: '1978-04-12',
    address: '山东省示例县示例路12号',
    idNumber: '371321197804120310',
    issuer: '示例县公安局',
    validFrom: '2015-04-01',
    validTo: '2035-04-01',
  },
  /** 刘洋: a valid ID number the insurance simulator has no 参保 record for. */
  uninsured: {
    type: 'resident',
    name: '刘洋',
    sex: { code: '1', label: '男' },
    nation: { code: '01', label: '汉' },
    birthDate: '1992-01-01',
    address: '山东省示例县示例路34号',
    idNumber: '371321199201010736',
    issuer: '示例县公安局',
    validFrom: '2016-01-01',
    validTo: '2036-01-01',
  },
} as const satisfies Record<string, IdCard>);

export type SampleCardName = keyof typeof SAMPLE_CARDS;

export function isSampleCardName(name: unknown): name is SampleCardName {
  return typeof name === 'string' && Object.hasOwn(SAMPLE_CARDS, name);
}

/**
 * A fictional resident card (张老三 / 李小四 style) whose holder is exactly `age` on `on`
 * (birthday = `on` minus `age` years; 28 February when that year has no 29th). Valid 长期, region 110101.
 */
export function sampleCardAged(age: number, on: Date | IsoDate = new Date(), sex: 'male' | 'female' = 'male'): ResidentCard {
  if (!Number.isInteger(age) || age < 0 || age > 150) throw new RangeError('age must be an integer from 0 to 150');
  const day = toIsoDate(on);
  const year = Number(day.slice(0, 4)) - age;
  let monthDay = day.slice(5);
  if (monthDay === '02-29' && daysInMonth(year, 2) === 28) monthDay = '02-28';
  const birthDate = `${String(year).padStart(4, '0')}-${monthDay}`;
  const first17 = `110101${birthDate.replaceAll('-', '')}${sex === 'male' ? '011' : '022'}`;
  return {
    type: 'resident',
    name: sex === 'male' ? '赵测试' : '钱测试',
    sex: sex === 'male' ? { code: '1', label: '男' } : { code: '2', label: '女' },
    nation: { code: '01', label: '汉' },
    birthDate,
    address: '北京市东城区示例胡同9号',
    idNumber: first17 + checkCharacter(first17),
    issuer: '北京市公安局东城分局',
    validFrom: '2020-01-01',
    validTo: null,
  };
}

/**
 * A stand-in 1024-byte WLT photo: the `57 4C 66 00 7E 00 32 00 00 FF` header seen in a captured
 * sample (§1.7) followed by a fixed pattern. Not a decodable image.
 */
export function fakeWltPhoto(): Uint8Array {
  const photo = new Uint8Array(1024);
  photo.set([0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff]);
  for (let i = 10; i < photo.length; i++) photo[i] = (i * 37 + 11) & 0xff;
  return photo;
}
