// Two rows reused across calls: suggestions run this a few hundred times per query.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance; gives up early (returns limit + 1) once the limit is exceeded. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return Math.min(limit + 1, Math.max(a.length, b.length));
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = prev[j]! + 1;
      const ins = curr[j - 1]! + 1;
      const sub = prev[j - 1]! + cost;
      const v = del < ins ? (del < sub ? del : sub) : ins < sub ? ins : sub;
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = curr;
    curr = t;
  }
  return prev[b.length]!;
}

/**
 * Distance between `query` and the closest prefix of `candidate` whose length is
 * within one character of the query's (people type the start of a name).
 */
export function prefixEditDistance(query: string, candidate: string, limit = Infinity): number {
  let best = editDistance(query, candidate, limit);
  for (let len = query.length - 1; len <= query.length + 1; len++) {
    if (best === 0) break;
    if (len <= 0 || len >= candidate.length) continue;
    best = Math.min(best, editDistance(query, candidate.slice(0, len), limit));
  }
  return best;
}
