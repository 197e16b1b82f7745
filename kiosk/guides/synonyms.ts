/**
 * Everyday words people type → the terms the guide data uses. A query containing
 * a key is also matched against its expansions (e.g. 报销 → 零星报销, 手工报销).
 */
export const SEARCH_SYNONYMS: SynonymTable = {
  异地: ['异地就医', '异地就医备案'],
  外地: ['异地就医', '异地'],
  外省: ['异地就医', '跨省就医'],
  报销: ['零星报销', '手工报销', '费用报销'],
  医药费: ['费用报销', '零星报销'],
  垫付: ['零星报销', '手工报销'],
  生育: ['生育津贴', '生育医疗费', '生育保险'],
  产假: ['生育津贴'],
  生孩子: ['生育医疗费', '生育津贴'],
  慢病: ['门诊慢特病'],
  慢性病: ['门诊慢特病'],
  特殊病: ['门诊慢特病'],
  大病: ['门诊慢特病'],
  特药: ['双通道'],
  转移: ['转移接续', '参保凭证'],
  转出: ['参保凭证', '关系转出'],
  转入: ['转移接续', '关系转入'],
  证明: ['参保凭证', '参保证明'],
  打印: ['参保证明', '参保凭证'],
  查询: ['参保信息查询'],
  余额: ['个人账户余额'],
  个账: ['个人账户'],
  缴费: ['缴费基数', '缴费记录'],
  新生儿: ['城乡居民参保登记'],
  学生: ['城乡居民参保登记'],
  // What people call the card they hold: the guide data says 社会保障卡 or 凭证, and what they
  // usually want with it is the 参保 record or the account balance.
  医保卡: ['社会保障卡', '医保电子凭证', '参保信息查询', '个人账户余额'],
  社保卡: ['社会保障卡', '医保电子凭证', '参保信息查询', '个人账户余额'],
  电子凭证: ['医保电子凭证'],
  共济: ['家庭共济'],
  家人: ['家庭共济'],
  亲属: ['家庭共济'],
  药店: ['零售药店'],
  医院: ['医疗机构'],
  救助: ['医疗救助'],
};

/** A synonym table: everyday word → the terms the guide data uses. */
export type SynonymTable = Readonly<Record<string, readonly string[]>>;

/**
 * Expansion terms for every synonym key the normalised query contains. `table` is the shipped
 * SEARCH_SYNONYMS unless the hall edited them in the console (kiosk/guides/local-guides.ts).
 */
export function expandSynonyms(normalizedQuery: string, table: SynonymTable = SEARCH_SYNONYMS): string[] {
  const out = new Set<string>();
  for (const [key, terms] of Object.entries(table)) {
    if (!normalizedQuery.includes(key)) continue;
    for (const t of terms) if (t !== normalizedQuery) out.add(t);
  }
  return [...out];
}
