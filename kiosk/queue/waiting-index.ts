/**
 * The waiting tickets of the current day, per service, sorted by (sort time, id): answers "how many
 * people are ahead of this ticket" by binary search instead of counting rows in SQLite on every
 * issue and every view. The engine updates it inside its transactions and rebuilds it from the
 * database whenever a transaction rolls back or the day changes, so it never disagrees with the
 * committed state.
 */
interface Entry {
  readonly sortAt: number;
  readonly id: number;
}

export class WaitingIndex {
  #byService = new Map<string, Entry[]>();
  #where = new Map<number, { service: string; sortAt: number }>();

  /** Replace the contents with the given waiting tickets. */
  load(rows: Iterable<{ id: number; service_code: string; sort_at: number }>): void {
    this.#byService.clear();
    this.#where.clear();
    for (const r of rows) this.set(r.id, r.service_code, r.sort_at);
  }

  /** Record where a ticket now waits, or (service null) that it no longer waits. */
  set(id: number, service: string | null, sortAt: number): void {
    const old = this.#where.get(id);
    if (old) {
      const list = this.#byService.get(old.service) as Entry[];
      const i = lowerBound(list, old.sortAt, id);
      if (list[i]?.id === id) list.splice(i, 1);
      this.#where.delete(id);
    }
    if (service === null) return;
    let list = this.#byService.get(service);
    if (!list) this.#byService.set(service, (list = []));
    list.splice(lowerBound(list, sortAt, id), 0, { sortAt, id });
    this.#where.set(id, { service, sortAt });
  }

  /** Waiting tickets of `service` that sort before (sortAt, id). */
  ahead(service: string, sortAt: number, id: number): number {
    const list = this.#byService.get(service);
    return list ? lowerBound(list, sortAt, id) : 0;
  }

  waiting(service: string): number {
    return this.#byService.get(service)?.length ?? 0;
  }
}

function lowerBound(list: readonly Entry[], sortAt: number, id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = list[mid] as Entry;
    if (e.sortAt < sortAt || (e.sortAt === sortAt && e.id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
