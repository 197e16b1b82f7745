/**
 * Synthetic insured people for certificate tests (no real person: the ID numbers are built with a
 * valid check digit for the demo region 371321, the names are invented; one has a 生僻字).
 */
import type { InsuredPersonData, PaymentMonth } from '../../../kiosk/certificates/types.ts';

/** 2025-03-14 09:26:53 in Asia/Shanghai. */
export const ISSUED_AT = Date.UTC(2025, 2, 14, 1, 26, 53);

function months(from: string, to: string, make: (ym: string) => PaymentMonth | PaymentMonth[] | null): PaymentMonth[] {
  const out: PaymentMonth[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    const r = make(ym);
    if (Array.isArray(r)) out.push(...r);
    else if (r) out.push(r);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** 职工医保 310 + 生育 510 at one employer, 38 months of payments with a two-month gap and one 欠缴. */
export const EMPLOYEE: InsuredPersonData = {
  baseinfo: {
    psn_no: '37000000000000000001',
    psn_cert_type: '01',
    certno: '37132119850612301X',
    psn_name: '张晓明',
    gend: '1',
    naty: '01',
    brdy: '1985-06-12',
  },
  insuinfo: [
    {
      insutype: '310',
      psn_type: '1101',
      psnTypeName: '在职职工',
      psn_insu_stas: '1',
      psn_insu_date: '2012-07-01',
      paus_insu_date: null,
      insuplc_admdvs: '371321',
      emp_name: '示例县明远机械制造有限公司',
    },
    { insutype: '510', psn_insu_stas: '1', psn_insu_date: '2012-07-01 00:00:00', insuplc_admdvs: '371321', emp_name: '示例县明远机械制造有限公司' },
  ],
  payments: months('2022-01', '2025-02', (ym) => {
    if (ym === '2023-05' || ym === '2023-06') return null; // gap
    const state = ym === '2024-11' ? 'unpaid' : 'paid';
    return [
      { ym, insutype: '310', emp_name: '示例县明远机械制造有限公司', clct_base: 5234.5, psn_clct_amt: 104.69, emp_clct_amt: 366.42, state },
      { ym, insutype: '510', emp_name: '示例县明远机械制造有限公司', clct_base: 5234.5, psn_clct_amt: 0, emp_clct_amt: 41.88, state },
    ];
  }),
};

/** 城乡居民 390, suspended, 生僻字 in the name, no payment history from the backend (nhsa 1101). */
export const RESIDENT_RARE_NAME: InsuredPersonData = {
  baseinfo: { psn_cert_type: '01', certno: '371321196203154527', psn_name: '王𠮷', gend: '2' },
  insuinfo: [{ insutype: '390', psn_insu_stas: '2', psn_insu_date: '20080101', paus_insu_date: '2024-12-31', insuplc_admdvs: '371321', emp_name: '' }],
};
