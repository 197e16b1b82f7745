import { createHash } from 'node:crypto';
import { checkCharacter } from '../idcard/id-number.ts';
import type { InsuranceRecord, InsuredPerson, PaymentMonth } from './types.ts';

/**
 * Synthetic people of the insurance simulator. Every ID number is made up but carries a valid
 * GB 11643 check character (so the kiosk's own validation accepts it); names, employers and
 * e-voucher payloads are invented. Payment months are generated relative to the simulator's
 * clock so that "the last 36 months" always has data, with the gaps a real history has.
 */
export interface SimulatedPerson {
  /** Stable key for tests and the technician console. */
  readonly key: string;
  readonly description: string;
  readonly person: InsuredPerson;
  /** null: the backend has no record of this person. */
  readonly insurances: readonly InsuranceRecord[] | null;
  readonly payments: readonly PaymentMonth[];
  /** The opaque string a scanner reads from this person's 医保电子凭证. */
  readonly qr: string;
  readonly ecToken: string;
  readonly insuOrg: string;
}

const REGION = '371321';
const POOL = '371300';

/** 17 digits → 18 with the check character. */
export function syntheticIdNumber(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + checkCharacter(first17);
}

function digest(seed: string): string {
  return createHash('sha256').update(`insurance-simulator:${seed}`).digest('hex');
}

/** An opaque-looking payload, as a scanner would read it; the simulator alone knows its owner. */
function qrFor(key: string): string {
  return `SIMEC1${Buffer.from(digest(`qr:${key}`), 'hex')
    .toString('base64url')
    .slice(0, 42)}`;
}

/** 6-digit area + 32 characters, like the reference's sample token. */
function ecTokenFor(key: string): string {
  return `${POOL}ec${digest(`token:${key}`).slice(0, 30)}`;
}

function ym(now: Date, back: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function firstOfMonth(now: Date, back: number): string {
  return `${ym(now, back)}-01`;
}

interface Job {
  readonly employer: string;
  /** months back, inclusive: from (older) … to (newer) */
  readonly from: number;
  readonly to: number;
  readonly base: number;
}

/** Employee months for 310 (2 % personal, 8 % employer) and 510 (employer only), skipping `unpaid` and gap months. */
function employeeMonths(
  now: Date,
  jobs: readonly Job[],
  opts: { unpaid?: readonly number[]; backPaid?: readonly number[]; maternity?: boolean },
): PaymentMonth[] {
  const out: PaymentMonth[] = [];
  for (const job of jobs) {
    for (let back = job.from; back >= job.to; back--) {
      const month = ym(now, back);
      const status = opts.unpaid?.includes(back) ? 'unpaid' : opts.backPaid?.includes(back) ? 'back-paid' : 'paid';
      out.push({
        month,
        insutype: '310',
        employer: job.employer,
        base: job.base,
        personal: Math.round(job.base * 0.02 * 100) / 100,
        employerPart: Math.round(job.base * 0.08 * 100) / 100,
        status,
        regionCode: POOL,
      });
      if (opts.maternity) {
        out.push({
          month,
          insutype: '510',
          employer: job.employer,
          base: job.base,
          personal: 0,
          employerPart: Math.round(job.base * 0.01 * 100) / 100,
          status,
          regionCode: POOL,
        });
      }
    }
  }
  return out.sort((a, b) => (a.month === b.month ? a.insutype.localeCompare(b.insutype) : b.month.localeCompare(a.month)));
}

/** Residents pay once a year; the contribution is recorded on January of the 参保年度. */
function residentYears(now: Date, years: readonly number[]): PaymentMonth[] {
  const thisYear = now.getUTCFullYear();
  return years.map((ago) => ({
    month: `${thisYear - ago}-01`,
    insutype: '390',
    employer: null,
    base: null,
    personal: 380 + 20 * Math.max(0, 3 - ago),
    employerPart: null,
    status: 'paid' as const,
    regionCode: POOL,
  }));
}

function record(r: Partial<InsuranceRecord> & Pick<InsuranceRecord, 'insutype' | 'status' | 'statusCode'>): InsuranceRecord {
  return { personType: null, insuredSince: null, suspendedSince: null, employer: null, regionCode: POOL, civilServant: false, ...r };
}

/** The simulator's people, their records computed for `now`. */
export function samplePeople(now: Date = new Date()): SimulatedPerson[] {
  const mk = (key: string, description: string, person: InsuredPerson, insurances: InsuranceRecord[] | null, payments: PaymentMonth[]): SimulatedPerson => ({
    key,
    description,
    person,
    insurances,
    payments,
    qr: qrFor(key),
    ecToken: ecTokenFor(key),
    insuOrg: POOL,
  });
  const id = (birth: string, seq: string) => syntheticIdNumber(REGION, birth, seq);
  const EMP_A = '示例市恒通物流有限公司';
  const EMP_B = '示例县明达机械有限公司';
  const EMP_C = '示例县宏远建材有限公司';
  const EMP_D = '示例市华信软件有限公司';

  return [
    mk(
      'employee',
      '职工医保正常参保，换过单位，48 个月缴费中有 3 个月断缴、1 个月欠缴、1 个月补缴；另有一条已终止的居民医保',
      { name: '张建华', certType: '01', certNo: id('19780412', '031'), gender: 'male', birthDate: '1978-04-12', nationCode: '01' },
      [
        record({ insutype: '310', status: 'active', statusCode: '1', personType: '1101', insuredSince: '2009-07-01', employer: EMP_B }),
        record({ insutype: '510', status: 'active', statusCode: '1', personType: '1101', insuredSince: '2009-07-01', employer: EMP_B }),
        record({ insutype: '390', status: 'terminated', statusCode: '4', personType: '1501', insuredSince: '2006-01-01', suspendedSince: '2009-06-30' }),
      ],
      // Months 47…25 back at A, a gap of 3 months, 21…1 back at B; the current month is not posted yet (1–3 个月数据延时).
      employeeMonths(
        now,
        [
          { employer: EMP_A, from: 47, to: 25, base: 4800 },
          { employer: EMP_B, from: 21, to: 1, base: 5600 },
        ],
        { unpaid: [5], backPaid: [30], maternity: true },
      ),
    ),
    mk(
      'resident',
      '城乡居民医保正常参保，按年缴费',
      { name: '李秀英', certType: '01', certNo: id('19561103', '042'), gender: 'female', birthDate: '1956-11-03', nationCode: '01' },
      [record({ insutype: '390', status: 'active', statusCode: '1', personType: '1501', insuredSince: '2010-01-01' })],
      residentYears(now, [0, 1, 2, 3]),
    ),
    mk(
      'suspended',
      '职工医保暂停参保（8 个月前离职）',
      { name: '王立军', certType: '01', certNo: id('19850921', '017'), gender: 'male', birthDate: '1985-09-21', nationCode: '01' },
      [
        record({
          insutype: '310',
          status: 'suspended',
          statusCode: '2',
          personType: '1101',
          insuredSince: '2012-05-01',
          suspendedSince: firstOfMonth(now, 8),
          employer: EMP_C,
        }),
      ],
      employeeMonths(now, [{ employer: EMP_C, from: 44, to: 9, base: 4200 }], {}),
    ),
    mk(
      'terminated',
      '城乡居民医保终止参保',
      { name: '赵桂兰', certType: '01', certNo: id('19490214', '028'), gender: 'female', birthDate: '1949-02-14', nationCode: '01' },
      [record({ insutype: '390', status: 'terminated', statusCode: '4', personType: '1501', insuredSince: '2008-01-01' })],
      residentYears(now, [4, 5, 6]),
    ),
    mk(
      'rare-name',
      '姓名含生僻字“䶮”（扩展A区），职工医保和生育保险正常参保',
      { name: '龚䶮', certType: '01', certNo: id('19900630', '055'), gender: 'male', birthDate: '1990-06-30', nationCode: '01' },
      [
        record({ insutype: '310', status: 'active', statusCode: '1', personType: '1101', insuredSince: '2015-08-01', employer: EMP_D }),
        record({ insutype: '510', status: 'active', statusCode: '1', personType: '1101', insuredSince: '2015-08-01', employer: EMP_D }),
      ],
      employeeMonths(now, [{ employer: EMP_D, from: 39, to: 1, base: 7200 }], { maternity: true }),
    ),
    mk(
      'rare-name-b',
      '姓名含生僻字“𠈌”（扩展B区，UTF-16 代理对），城乡居民医保正常参保',
      { name: '陈𠈌', certType: '01', certNo: id('20010718', '066'), gender: 'female', birthDate: '2001-07-18', nationCode: '03' },
      [record({ insutype: '390', status: 'active', statusCode: '1', personType: '1501', insuredSince: '2019-01-01' })],
      residentYears(now, [0, 1, 2]),
    ),
    mk(
      'no-record',
      '身份证号有效，但没有参保记录',
      { name: '刘洋', certType: '01', certNo: id('19920101', '073'), gender: 'male', birthDate: '1992-01-01', nationCode: '01' },
      null,
      [],
    ),
  ];
}

/** A QR payload the decode service refuses (expired code). */
export const EXPIRED_QR = `SIMEC1${Buffer.from(digest('qr:expired'), 'hex').toString('base64url').slice(0, 42)}`;
